"""A mentor's office hours as a week grid in the viewer's time zone: seven days, every slot of their rules,
each one bookable, full (waiting list), the viewer's own, or shown disabled (past or not available).

The grid only arranges what ``open_slots`` decides; it adds the slots that rule left out so a person can
see the shape of the week, never a slot that ``open_slots`` did not offer as bookable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from openhelp.help.officehours.availability import OpenSlot, open_slots
from openhelp.help.officehours.models import OfficeHours
from openhelp.help.officehours.slots import Rule, expand_between

FREE, FULL, BOOKED, WAITING, OWN, PAST, UNAVAILABLE = (
    "free",
    "full",
    "booked",
    "waiting",
    "own",
    "past",
    "unavailable",
)
BOOKABLE = {FREE, FULL}


@dataclass
class GridSlot:
    office_hours: OfficeHours
    start: dt.datetime
    end: dt.datetime
    state: str
    open: OpenSlot | None = None

    @property
    def bookable(self) -> bool:
        return self.state in BOOKABLE

    @property
    def key(self) -> str:
        return self.open.key if self.open else ""


@dataclass
class GridDay:
    date: dt.date
    is_today: bool
    slots: list[GridSlot] = field(default_factory=list)

    @property
    def bookable(self) -> int:
        return sum(1 for slot in self.slots if slot.bookable)

    @property
    def is_over(self) -> bool:
        """Every slot of the day has passed: the page says so in a word instead of listing them."""
        return bool(self.slots) and all(slot.state == PAST for slot in self.slots)


@dataclass
class WeekGrid:
    monday: dt.date
    zone: str
    days: list[GridDay]
    previous: dt.date | None
    next: dt.date | None

    @property
    def bookable(self) -> int:
        return sum(day.bookable for day in self.days)

    def count(self, state: str) -> int:
        return sum(1 for day in self.days for slot in day.slots if slot.state == state)

    @property
    def free(self) -> int:
        return self.count(FREE)

    @property
    def full(self) -> int:
        return self.count(FULL)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_week(text: str | None, *, first: dt.date, last: dt.date) -> dt.date:
    """The Monday a ``?week=YYYY-MM-DD`` names, kept within [first, last]; the first week if unreadable."""
    try:
        monday = monday_of(dt.date.fromisoformat(text or ""))
    except ValueError:
        return first
    return min(max(monday, first), last)


def _utc_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz).astimezone(dt.UTC)


def week_grid(
    blocks: Sequence[OfficeHours],
    *,
    week: str | None,
    tz: ZoneInfo,
    moment: dt.datetime,
    viewer,
) -> WeekGrid:
    """The week named by ``week`` (the current one by default) of ``blocks`` (one mentor's, with
    ``select_related("mentor__profile")``), in ``tz``. Navigation stops at the current week and at the
    furthest week any block lets people book."""
    today = moment.astimezone(tz).date()
    first = monday_of(today)
    horizon = max((block.horizon_weeks for block in blocks if block.is_active), default=1)
    last = monday_of(today + dt.timedelta(weeks=horizon))
    monday = parse_week(week, first=first, last=last)
    start = _utc_midnight(monday, tz)
    end = _utc_midnight(monday + dt.timedelta(days=7), tz)

    offered = {
        (slot.office_hours.pk, slot.start): slot
        for slot in open_slots(blocks, start=start, end=end, moment=moment, viewer=viewer)
    }
    days = {
        monday + dt.timedelta(days=n): GridDay(
            monday + dt.timedelta(days=n), monday + dt.timedelta(days=n) == today
        )
        for n in range(7)
    }
    for block in blocks:
        if not block.is_active:
            continue
        for time in expand_between(Rule.of(block), start, end):
            slot = offered.get((block.pk, time.start))
            day = days.get(time.start.astimezone(tz).date())
            if day is not None:
                day.slots.append(
                    GridSlot(block, time.start, time.end, _state(slot, time.start, moment, viewer), slot)
                )
    for day in days.values():
        day.slots.sort(key=lambda s: (s.start, s.office_hours.pk))
    return WeekGrid(
        monday=monday,
        zone=str(tz),
        days=list(days.values()),
        previous=monday - dt.timedelta(days=7) if monday > first else None,
        next=monday + dt.timedelta(days=7) if monday < last else None,
    )


def _state(slot: OpenSlot | None, start: dt.datetime, moment: dt.datetime, viewer) -> str:
    if slot is None:
        return PAST if start <= moment else UNAVAILABLE
    if slot.booked_by_viewer:
        return BOOKED
    if slot.waiting_by_viewer:
        return WAITING
    if viewer is not None and slot.office_hours.mentor_id == viewer.pk:
        return OWN
    return FULL if slot.is_full else FREE
