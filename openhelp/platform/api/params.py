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
