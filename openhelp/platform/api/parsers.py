"""The API's JSON parser: bounded in size and nesting, so that no body costs more than reading it once.
Bodies are JSON (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``); ``MultiPartParser`` only where a file is
uploaded (the people import)."""

from __future__ import annotations

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from openhelp.platform.lib import bounded_json
from openhelp.platform.lib.storable_text import NUL_MESSAGE, unstorable_reason

# The largest body any operation needs (a profile with its bio, shared notes); a view that takes more —
# the people import, a CSV inside JSON — says so with its own ``max_body_bytes``.
MAX_BODY_BYTES = 256 * 1024


__all__ = ["NUL_MESSAGE", "JSONParser", "MultiPartParser", "refuse_unstorable"]


def refuse_unstorable(data, field: str | None = None) -> None:
    """No text anywhere in a request may hold U+0000 or a lone surrogate (``lib.storable_text``): the
    database can neither store nor compare them, and no person types them. Refused as a field error on the
    top-level field that holds it."""
    if isinstance(data, str):
        if reason := unstorable_reason(data):
            raise ValidationError({field or "non_field_errors": [reason]})
    elif isinstance(data, dict):
        for key, value in data.items():
            refuse_unstorable(key, field)  # a bad key is never echoed back as a field name
            refuse_unstorable(value, field or str(key))
    elif isinstance(data, (list, tuple)):
        for value in data:
            refuse_unstorable(value, field)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = getattr(parser_context.get("view"), "max_body_bytes", MAX_BODY_BYTES)
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise ParseError(f"The body is larger than {limit // 1024} KB.")
        try:
            text = raw.decode(parser_context.get("encoding", settings.DEFAULT_CHARSET))
            data = bounded_json.loads(text, strict=self.strict)
        except UnicodeDecodeError as error:
            raise ParseError("The body is not valid UTF-8.") from error
        except bounded_json.JSONRejected as error:
            raise ParseError(f"JSON parse error - {error}") from error
        refuse_unstorable(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_unstorable({key: result.data.getlist(key) for key in result.data})  # fields; files are bytes
        return result
