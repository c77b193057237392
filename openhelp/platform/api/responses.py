"""Answers shared by every operation that makes something."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.request import Request
from rest_framework.response import Response


def created(response: Response, request: Request, view_name: str, **kwargs) -> Response:
    """The 201 of a create, with ``Location``: the absolute address of the new object, where it is read,
    changed or removed (``view_name`` is its ``api:v1`` URL name). Every create whose object has an address
    of its own says it, even one that is only removed there (a token, a waiting-list place)."""
    response["Location"] = request.build_absolute_uri(reverse(f"v1:{view_name}", kwargs=kwargs))
    return response
