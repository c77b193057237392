"""The API's JSON parser: bounded in size and nesting, so that no body costs more than reading it once."""

from __future__ import annotations

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from lib import bounded_json

# The largest body any operation needs (a profile with its bio, shared notes); a view that takes more —
# the people import, a CSV inside JSON — says so with its own ``max_body_bytes``.
MAX_BODY_BYTES = 256 * 1024


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = getattr(parser_context.get("view"), "max_body_bytes", MAX_BODY_BYTES)
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise ParseError(f"The body is larger than {limit // 1024} KB.")
        try:
            text = raw.decode(parser_context.get("encoding", settings.DEFAULT_CHARSET))
            return bounded_json.loads(text, strict=self.strict)
        except UnicodeDecodeError as error:
            raise ParseError("The body is not valid UTF-8.") from error
        except bounded_json.JSONRejected as error:
            raise ParseError(f"JSON parse error - {error}") from error
