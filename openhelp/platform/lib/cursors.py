"""Page cursors: the sort key of a page's edge row, opaque to clients (URL-safe base64 of a JSON list).

Keyset pages (the directory, a skill's people) hand one out in their "more" links and read strictly after
it. A cursor a client made up or cut short is a ``ValueError`` with ``INVALID_CURSOR``, the message the
page shows; each caller still checks the types of what the list holds.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from openhelp.platform.lib.numbers import DATABASE_INTEGERS
from openhelp.platform.lib.storable_text import unstorable_reason

INVALID_CURSOR = "This page link is not valid; start again from the first page."


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, length: int) -> list[Any]:
    """The ``length`` values a cursor holds."""
    try:
        padded = token + "=" * (-len(token) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error) as error:
        raise ValueError(INVALID_CURSOR) from error
    if not isinstance(values, list) or len(values) != length or not all(map(_comparable, values)):
        raise ValueError(INVALID_CURSOR)
    return values


def _comparable(value: Any) -> bool:
    """Whether the database can compare ``value`` with a column: a made-up cursor's text with a NUL once
    answered 500 on PostgreSQL, and an integer past 64 bits is no key of any row."""
    if isinstance(value, str):
        return unstorable_reason(value) is None
    if isinstance(value, int):
        return value in DATABASE_INTEGERS
    return True
