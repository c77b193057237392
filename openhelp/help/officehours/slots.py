"""Slot expansion: a weekly rule in local wall-clock time → concrete slots in UTC. Pure Python, no database.

The rule says "Tuesdays 10:00–11:30 Europe/Berlin, 20-minute slots, 5 minutes between them". Each day the
rule applies to, the nominal local starts are 10:00, 10:25, 10:50 … and every slot lasts its length in real
minutes. Across daylight-saving changes:

* every slot keeps its local wall-clock start (10:00 stays 10:00 in summer and winter);
* a local start that does not exist that day (in the spring-forward gap) is skipped;
* a local start that happens twice (in the fall-back hour) yields one slot, the first occurrence;
* a slot whose real end would run past its nominal local end (it straddles the gap) is skipped, since it
  would eat into the next slot; and, as a last guard, a slot that would overlap the one before it is
  skipped. So slots of one rule never overlap and never repeat, and in date order they are in time order.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.UTC


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class Rule:
    weekdays: frozenset[int]
    start_time: dt.time
    end_time: dt.time
    timezone: str
    slot_minutes: int
    buffer_minutes: int = 0

    @classmethod
    def of(cls, office_hours) -> Rule:
        """The rule of an OfficeHours row (or anything with the same attributes)."""
        return cls(
            weekdays=frozenset(int(d) for d in office_hours.weekdays),
            start_time=office_hours.start_time,
            end_time=office_hours.end_time,
            timezone=office_hours.timezone,
            slot_minutes=int(office_hours.slot_minutes),
            buffer_minutes=int(office_hours.buffer_minutes),
        )


@dataclass(frozen=True)
class SlotTime:
    start: dt.datetime  # aware, UTC
    end: dt.datetime  # aware, UTC
    local_date: dt.date
    local_start: dt.time

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def local_exists(naive: dt.datetime, tz: ZoneInfo) -> bool:
    """False for a wall-clock time skipped by a daylight-saving change (e.g. 02:30 on a spring-forward night)."""
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def to_utc(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The first occurrence (fold=0) of a local wall-clock time, in UTC."""
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def nominal_starts(rule: Rule) -> list[dt.time]:
    """The local start times of one day's slots: start, start + slot + buffer, … while a slot still fits."""
    step = rule.slot_minutes + rule.buffer_minutes
    begin = rule.start_time.hour * 60 + rule.start_time.minute
    finish = rule.end_time.hour * 60 + rule.end_time.minute
    if rule.slot_minutes <= 0 or step <= 0:
        return []
    return [
        dt.time(minute // 60, minute % 60) for minute in range(begin, finish - rule.slot_minutes + 1, step)
    ]


def _day_slots(rule: Rule, day: dt.date, tz: ZoneInfo, starts: list[dt.time]) -> Iterator[SlotTime]:
    length = dt.timedelta(minutes=rule.slot_minutes)
    previous_end: dt.datetime | None = None
    for start_time in starts:
        naive_start = dt.datetime.combine(day, start_time)
        if not local_exists(naive_start, tz):
            continue
        start = to_utc(naive_start, tz)
        end = start + length
        if end > to_utc(naive_start + length, tz):
            continue  # straddles a spring-forward gap: it would run into the next slot
        if previous_end is not None and start < previous_end:
            continue
        previous_end = end
        yield SlotTime(start=start, end=end, local_date=day, local_start=start_time)


def expand(
    rule: Rule,
    first_day: dt.date,
    last_day: dt.date,
    *,
    skip_day: Callable[[dt.date], bool] | None = None,
) -> list[SlotTime]:
    """Every slot of ``rule`` on the local dates first_day…last_day (both included), in order."""
    if skip_day is None:
        return list(_expanded(rule, first_day, last_day))
    return _expand(rule, first_day, last_day, skip_day=skip_day)


@lru_cache(maxsize=4096)
def _expanded(rule: Rule, first_day: dt.date, last_day: dt.date) -> tuple[SlotTime, ...]:
    """``expand`` without skipped days, remembered: the slot list expands every block of the organisation
    on every request, and a block's slots over given dates never change (the rule and the dates are the
    key; SlotTime is frozen, so sharing the objects is safe)."""
    return tuple(_expand(rule, first_day, last_day, skip_day=None))


def _expand(
    rule: Rule, first_day: dt.date, last_day: dt.date, *, skip_day: Callable[[dt.date], bool] | None
) -> list[SlotTime]:
    tz = zone(rule.timezone)
    starts = nominal_starts(rule)
    found: list[SlotTime] = []
    day = first_day
    while day <= last_day:
        if day.weekday() in rule.weekdays and not (skip_day and skip_day(day)):
            found.extend(_day_slots(rule, day, tz, starts))
        day += dt.timedelta(days=1)
    return found


def expand_between(
    rule: Rule,
    start: dt.datetime,
    end: dt.datetime,
    *,
    skip_day: Callable[[dt.date], bool] | None = None,
) -> list[SlotTime]:
    """Slots of ``rule`` that start within [start, end) (aware datetimes, any zone)."""
    if skip_day is None:
        return list(between(rule, start, end))
    tz = zone(rule.timezone)
    first_day = start.astimezone(tz).date() - dt.timedelta(days=1)
    last_day = end.astimezone(tz).date() + dt.timedelta(days=1)
    return [
        slot for slot in expand(rule, first_day, last_day, skip_day=skip_day) if start <= slot.start < end
    ]


def between(rule: Rule, start: dt.datetime, end: dt.datetime) -> Sequence[SlotTime]:
    """``expand_between`` without skipped days, cut by bisection from the remembered expansion of the
    dates around [start, end): a listing asks this of every block of the organisation on every request."""
    tz = zone(rule.timezone)
    first_day = start.astimezone(tz).date() - dt.timedelta(days=1)
    last_day = end.astimezone(tz).date() + dt.timedelta(days=1)
    slots, starts = _with_starts(rule, first_day, last_day)
    return slots[bisect_left(starts, start) : bisect_left(starts, end)]


@lru_cache(maxsize=4096)
def _with_starts(
    rule: Rule, first_day: dt.date, last_day: dt.date
) -> tuple[tuple[SlotTime, ...], tuple[dt.datetime, ...]]:
    """``_expanded`` and its slots' starts, in order (slots of one rule are in time order), to bisect."""
    slots = _expanded(rule, first_day, last_day)
    return slots, tuple(slot.start for slot in slots)


def slot_at(rule: Rule, start: dt.datetime) -> SlotTime | None:
    """The slot of ``rule`` that starts exactly at ``start``, or None when the rule has no such slot."""
    # A slot of local date D starts, by construction, at a wall-clock time of D: only that day can hold it.
    day = start.astimezone(zone(rule.timezone)).date()
    for slot in expand(rule, day, day):
        if slot.start == start:
            return slot
    return None


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> bool:
    """Half-open intervals: a slot ending at 10:30 does not overlap one starting at 10:30."""
    return a_start < b_end and b_start < a_end


def days_in(dates: Iterable[tuple[dt.date, dt.date]]) -> Callable[[dt.date], bool]:
    """A skip_day test from (first, last) date ranges, e.g. time off."""
    ranges = list(dates)
    return lambda day: any(first <= day <= last for first, last in ranges)
