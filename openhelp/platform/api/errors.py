"""Structured JSON errors: every API error body is {"error": {"code", "message", "fields"?}}.

``fields`` is always flat — each field maps to a list of messages — whatever the shape of the serializer
that produced them: an error on the 3rd item of a list field reads ``"Item 3: …"``, one on a key of a nested
object ``"<key>: …"``. One schema (``ERROR_BODY``) documents it for every operation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from openhelp.platform.lib.ratelimit import is_rate_limited

ERROR_BODY = inline_serializer(
    "Error",
    fields={
        "error": inline_serializer(
            "ErrorDetail",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    required=False,
                    help_text='Each invalid field and its messages; an item of a list reads "Item 2: …".',
                ),
            },
        )
    },
)


def error_response(description: str) -> OpenApiResponse:
    """An error response for an operation's schema, always in the one error shape."""
    return OpenApiResponse(ERROR_BODY, description=description)


class Conflict(exceptions.APIException):
    """A request that is valid but not allowed in the object's current state (e.g. an illegal transition)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This action is not possible in the current state."
    default_code = "conflict"


def _messages(detail, prefix: str = "") -> list[str]:
    """Every message under ``detail``, each prefixed with where it belongs inside the field."""
    if isinstance(detail, dict):
        messages = []
        for key, value in detail.items():
            where = f"Item {key + 1}" if isinstance(key, int) else str(key)
            messages += _messages(value, f"{prefix}{where}: ")
        return messages
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [f"{prefix}{item}" for item in detail]
        # A list of nested objects (a ListSerializer) has one entry per item, empty for valid items.
        messages = []
        for index, item in enumerate(detail):
            messages += _messages(item, f"{prefix}Item {index + 1}: ") if item else []
        return messages
    return [f"{prefix}{detail}"]


def flatten_fields(detail) -> dict[str, list[str]]:
    """A ValidationError's detail as {field: [message, …]}."""
    if not isinstance(detail, dict):
        return {"non_field_errors": _messages(detail)}
    return {str(field): _messages(value) for field, value in detail.items()}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError) and is_rate_limited(exc):
        exc = exceptions.Throttled(detail=exc.messages[0])  # 429, whichever view let it through
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(_too_much(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        message = "Some fields are not valid."
        body = {"error": {"code": "invalid", "message": message, "fields": flatten_fields(exc.detail)}}
    else:
        code = getattr(exc, "default_code", "error")
        if hasattr(exc, "get_codes"):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else code
        body = {"error": {"code": code, "message": str(getattr(exc, "detail", exc))}}
    return Response(body, status=response.status_code, headers=_retry_headers(response))


def _too_much(exc: Exception) -> str:
    """Django's own limits on a form or multipart body, said like the JSON parser's (``parsers.py``);
    unhandled, they became Django's HTML 400 page."""
    if isinstance(exc, RequestDataTooBig):
        return f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KB."
    if isinstance(exc, TooManyFilesSent):
        return f"The body has more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files."
    return f"The body has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields."


def _retry_headers(response: Response) -> dict:
    return {
        key: value for key, value in response.items() if key in {"Retry-After", "WWW-Authenticate", "Allow"}
    }
