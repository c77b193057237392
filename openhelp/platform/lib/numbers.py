"""Whole numbers read from what a request carries: ids, page numbers, sizes.

A request's text is a number here only when it is plain ASCII digits, short enough for a database
integer, and within the range asked for; anything else is ``None``, for the caller to answer as it
answers any unknown value (a 404, a field error, the default). ``str.isdecimal()`` and ``int()`` alone
let through what then fails further down, as a 500:

- ``int()`` refuses more than 4,300 digits with a ValueError (Python's guard against slow conversions);
- the database refuses an integer past 64 bits (SQLite's driver with an OverflowError in ``pk__in``);
- ``isdecimal()`` accepts other scripts' digits ("٣"), which no link of ours ever carries.
"""

from __future__ import annotations

from collections.abc import Iterable

# The integers a database column can hold (a BigAutoField's range; SQLite's INTEGER is the same).
DATABASE_INTEGERS = range(-(2**63), 2**63)
# The ids rows are given (auto-increment keys start at 1).
IDS = range(1, 2**63)
_MOST_DIGITS = len(str(2**63))


def number_from_text(text: object, *, within: range) -> int | None:
    """The whole number ``text`` spells in ASCII digits, if it lies ``within`` the range; else None.

    An ``int`` (from JSON) is taken as it is, a ``bool`` is not a number; no sign, spaces or separators.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if text in within else None
    if not isinstance(text, str) or not 0 < len(text) <= _MOST_DIGITS:
        return None
    if not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if number in within else None


def id_from_text(text: object) -> int | None:
    """The row id ``text`` names (1 to 2**63 - 1), or None for anything that cannot name a row."""
    return number_from_text(text, within=IDS)


def ids_from_texts(texts: Iterable[object]) -> list[int]:
    """The ids among ``texts`` (a form's or query's list of values), in order; anything else is skipped."""
    return [number for number in map(id_from_text, texts) if number is not None]
