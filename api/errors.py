"""Structured JSON errors: every API error body is {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """A request that is valid but not allowed in the object's current state (e.g. an illegal transition)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This action is not possible in the current state."
    default_code = "conflict"


def _flatten(detail):
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        message = "Some fields are not valid."
        body = {"error": {"code": "invalid", "message": message, "fields": fields}}
    else:
        code = getattr(exc, "default_code", "error")
        if hasattr(exc, "get_codes"):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else code
        body = {"error": {"code": code, "message": str(getattr(exc, "detail", exc))}}
    return Response(body, status=response.status_code, headers=_retry_headers(response))


def _retry_headers(response: Response) -> dict:
    return {
        key: value for key, value in response.items() if key in {"Retry-After", "WWW-Authenticate", "Allow"}
    }
