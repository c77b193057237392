"""Query parameters read the same way by every operation."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

TRUE = {"true", "1"}
FALSE = {"false", "0"}


def query_flag(request: Request, name: str) -> bool | None:
    """A true/false query parameter: ``None`` when it is absent or empty, a 400 for anything but
    true/false (or 1/0) — a typo must not quietly mean "no filter"."""
    raw = request.query_params.get(name, "").strip().lower()
    if not raw:
        return None
    if raw not in TRUE | FALSE:
        raise ValidationError({name: ["Use true or false."]})
    return raw in TRUE


# The largest key a row can have (a 64-bit signed column): an id past it names no row, and the database
# refuses to compare it with a column (OverflowError on SQLite, a 500).
MAX_ID = 2**63 - 1


def is_number(raw: str) -> bool:
    """Whether a query parameter is a whole number written in ASCII digits: ``str.isdigit()`` is also true
    of "³" or "①", which ``int()`` refuses (a 500 where a 400 was meant)."""
    return raw.isascii() and raw.isdigit()
