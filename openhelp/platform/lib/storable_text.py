"""Text from outside that no database column can hold: refused once, where it comes in.

PostgreSQL can neither store nor compare U+0000 (``DataError``), and a lone surrogate (U+D800–U+DFFF, which
JSON's ``"\\ud800"`` escapes produce) cannot even be encoded for the wire (``UnicodeEncodeError``): either,
reaching a query, answered 500. No person types them. The API's parsers refuse them in every body as a field
error (``openhelp.platform.api.parsers``); ``RefuseUnstorableTextMiddleware`` (``openhelp.platform.core``)
refuses them in every query string and web form with a 400, before any view looks at them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

NUL_MESSAGE = "Text may not contain the NUL character (U+0000)."
SURROGATE_MESSAGE = "Text may not contain a lone surrogate (U+D800 to U+DFFF); send it as UTF-8."
_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable_reason(text: str) -> str | None:
    """Why ``text`` cannot be stored or looked up, in words for the sender; None when it can."""
    if "\x00" in text:
        return NUL_MESSAGE
    if _SURROGATE.search(text):
        return SURROGATE_MESSAGE
    return None


def first_unstorable(fields: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(field, reason)`` for the first key or value of a QueryDict (or any ``{key: [values]}``) that
    cannot be stored, else None."""
    items: Iterable[tuple[str, Any]] = fields.lists() if hasattr(fields, "lists") else fields.items()
    for key, values in items:
        for text in (key, *values):
            if isinstance(text, str) and (reason := unstorable_reason(text)):
                return key, reason
    return None
