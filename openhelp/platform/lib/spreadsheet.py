"""The one guard for every CSV we write (insights, the helper network, people exports).

A cell that starts with ``= + - @`` (or a tab or carriage return) is a formula to a spreadsheet: it is
written with a leading ``'``. A cell that already starts with quotes in front of such a character gets
one more, so the import (``openhelp.organisers.imports.parsing.unescape_cell``) can take exactly one off again. Anything else
— numbers, empty cells, ordinary text — is written as it is.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    """True when the text, after any quotes already in front, starts like a formula (never for "")."""
    return value.lstrip("'").startswith(FORMULA_STARTS)


def safe_cell(value: object) -> object:
    """The value to hand to ``csv.writer``: text that would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value
