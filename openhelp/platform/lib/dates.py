"""The range of dates the product accepts from people: 1900 to 2199.

Python's dates end at year 1 and year 9999, and a date at either end overflows as soon as it is turned
into a day's bounds in a time zone or moved by a day (``OverflowError``, a 500). Nothing we schedule or
record lies outside two centuries, so every date and date-time input is checked against this one range
(``validate_in_range`` as a form or serializer validator) and gets a field error; a slot key in a URL
outside it names no slot.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


def in_range(value: dt.date | dt.datetime) -> bool:
    # A date-time's own calendar date, in the offset it was given with: converting it first could
    # overflow, and the range is two centuries wide, so a day either way does not matter.
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST <= day <= LATEST


def validate_in_range(value: dt.date | dt.datetime | None) -> None:
    if value is not None and not in_range(value):
        raise ValidationError(
            "Choose a date between %(earliest)s and %(latest)s.",
            code="date_out_of_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )
