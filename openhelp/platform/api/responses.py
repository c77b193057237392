"""Answers shared by every operation that makes something."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.request import Request
from rest_framework.response import Response


def created(response: Response, request: Request, view_name: str, **kwargs) -> Response:
    """The 201 of a create, with ``Location``: the absolute address where the new object is read again
    (``view_name`` is its ``api:v1`` URL name)."""
    response["Location"] = request.build_absolute_uri(reverse(f"v1:{view_name}", kwargs=kwargs))
    return response
