"""Query parameters read the same way by every operation.

A filter that is sent is a filter: a value it does not know, or none at all (``?state=``), is a 400 naming
the parameter and the values it takes — a typo, or a client that left the value out, must not quietly
mean "no filter" and answer everything."""

from __future__ import annotations

from collections.abc import Iterable

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

TRUE = {"true", "1"}
FALSE = {"false", "0"}


def query_flag(request: Request, name: str) -> bool | None:
    """A true/false query parameter: ``None`` when it is absent, a 400 for anything but true/false (or
    1/0), an empty value included."""
    if name not in request.query_params:
        return None
    raw = request.query_params.get(name, "").strip().lower()
    if raw not in TRUE | FALSE:
        raise ValidationError({name: ["Use true or false."]})
    return raw in TRUE


def query_choice(
    request: Request, name: str, choices: Iterable[str], *, default: str | None = None
) -> str | None:
    """An enumerated query parameter (``state``, ``direction``, ``format`` …): ``default`` when it is absent,
    else one of ``choices`` or a 400 that lists them, an empty value included."""
    if name not in request.query_params:
        return default
    allowed = list(choices)
    raw = request.query_params.get(name, "").strip()
    if raw not in allowed:
        raise ValidationError({name: [f"Use one of: {', '.join(allowed)}."]})
    return raw


def refuse_empty(request: Request, *names: str) -> None:
    """Filters that name one of a set the database holds (a team, a language, a category, a mentor): sent
    empty they are not absent, but a 400 naming each (the web forms read an empty choice as "any")."""
    empty = [
        name for name in names if name in request.query_params and not request.query_params[name].strip()
    ]
    if empty:
        raise ValidationError({name: [f"Give a value, or leave {name} out."] for name in empty})
