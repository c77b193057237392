"""Times in the seeded world: everything is an offset from the world's "now" (``Cast.moment``)."""

from __future__ import annotations

import datetime as dt


def monday_utc(moment: dt.datetime) -> dt.datetime:
    """Monday 00:00 UTC of the week of ``moment`` (the week ``openhelp.directory.people.capacity`` counts sessions in)."""
    start = moment.astimezone(dt.UTC)
    return dt.datetime.combine(start.date() - dt.timedelta(days=start.weekday()), dt.time.min, tzinfo=dt.UTC)


def at_hour(day: dt.datetime, hour: int) -> dt.datetime:
    """``hour``:00 UTC on the UTC date of ``day``."""
    return day.astimezone(dt.UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
