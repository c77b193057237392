"""iCalendar text → the busy intervals it holds in a window. Pure Python, no database, no network.

What counts as busy: every instance of every VEVENT (RRULE, RDATE, EXDATE and moved instances with a
RECURRENCE-ID expanded by ``recurring_ical_events``) unless it is free (TRANSP:TRANSPARENT) or cancelled
(STATUS:CANCELLED). An all-day event makes the whole day busy in the person's time zone, and a floating
time (no zone) is read in that zone too. Events we wrote ourselves (a booking's UID) are skipped: the
booking already blocks its time, and counting it again would hide the slot it sits in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]


@dataclass(frozen=True)
class Busy:
    uid: str
    starts_at: dt.datetime  # aware, UTC
    ends_at: dt.datetime  # aware, UTC


def _instant(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        return aware.astimezone(dt.UTC)
    return dt.datetime.combine(value, dt.time.min, tzinfo=tz).astimezone(dt.UTC)


def busy_in(
    ics: str,
    *,
    start: dt.datetime,
    end: dt.datetime,
    tz_name: str,
    skip_uid: Callable[[str], bool] = lambda uid: False,
) -> list[Busy]:
    """The busy intervals of one calendar resource overlapping [start, end). Unreadable text → []."""
    try:
        calendar = icalendar.Calendar.from_ical(ics)
        instances = recurring_ical_events.of(calendar, components=["VEVENT"]).between(start, end)
    except (ValueError, KeyError, TypeError, AttributeError, recurring_ical_events.InvalidCalendar):
        return []
    tz = ZoneInfo(tz_name)
    found = []
    for event in instances:
        uid = str(event.get("UID", ""))
        if skip_uid(uid):
            continue
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if "DTSTART" not in event:
            continue
        first = event["DTSTART"].dt
        if "DTEND" in event:
            last = event["DTEND"].dt
        elif "DURATION" in event:
            last = first + event["DURATION"].dt
        else:  # RFC 5545: a date lasts the day, a date-time is an instant
            last = first + dt.timedelta(days=1) if not isinstance(first, dt.datetime) else first
        begins, ends = _instant(first, tz), _instant(last, tz)
        if ends <= begins or ends <= start or begins >= end:
            continue
        found.append(Busy(uid=uid, starts_at=begins, ends_at=ends))
    return found
