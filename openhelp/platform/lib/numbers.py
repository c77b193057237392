"""Numbers typed into a request: a query parameter, a form field, a header, a chat command."""

from __future__ import annotations

# The largest key a row can have (a 64-bit signed column): an id past it names no row, and the database
# refuses to compare it with a column (OverflowError on SQLite, a 500).
MAX_ID = 2**63 - 1


def is_number(raw: str) -> bool:
    """Whether ``raw`` is a whole number written in ASCII digits. ``str.isdigit()`` is also true of "³" or
    "①", which ``int()`` and the database refuse (a 500 where a 400 or "no such thing" was meant)."""
    return raw.isascii() and raw.isdigit()


def is_id(raw: str) -> bool:
    """Whether ``raw`` can be the key of a row: ASCII digits, at most ``MAX_ID``."""
    return is_number(raw) and int(raw) <= MAX_ID
