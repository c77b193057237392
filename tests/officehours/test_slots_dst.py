"""Slot expansion across time zones and daylight-saving changes (property-based, no database).

Zones: New York and Berlin (1-hour DST), Lord Howe (30-minute DST), Kolkata and Kathmandu (odd offsets,
no DST), Chatham (+12:45/+13:45). Dates are drawn around each zone's real transitions.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from openhelp.help.officehours.calendar import utc
from openhelp.help.officehours.slots import (
    Rule,
    between,
    expand,
    expand_between,
    local_exists,
    nominal_starts,
    slot_at,
)
from tests.harness.examples import examples

from . import ical_strict

ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
]
UTC = dt.UTC


@cache
def transition_days(zone_name: str) -> tuple[dt.date, ...]:
    """Local dates in 2024–2030 on which the zone's UTC offset changes (empty for zones without DST)."""
    tz = ZoneInfo(zone_name)
    days = []
    day = dt.date(2024, 1, 1)
    while day < dt.date(2031, 1, 1):
        before = dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz).utcoffset()
        after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz).utcoffset()
        if before != after:
            days.append(day)
        day += dt.timedelta(days=1)
    return tuple(days)


@st.composite
def zone_and_day(draw):
    zone_name = draw(st.sampled_from(ZONES))
    days = transition_days(zone_name)
    if days:
        around = draw(st.sampled_from(days))
    else:
        around = draw(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)))
    return zone_name, around + dt.timedelta(days=draw(st.integers(min_value=-1, max_value=1)))


@st.composite
def rules(draw, zone_name: str):
    # Blocks around the small hours, where the transitions are, as well as ordinary daytime blocks.
    start_minute = draw(st.integers(min_value=0, max_value=22 * 60)) // 5 * 5
    length = draw(st.integers(min_value=30, max_value=6 * 60)) // 5 * 5
    end_minute = min(start_minute + length, 23 * 60 + 55)
    return Rule(
        weekdays=frozenset(range(7)),
        start_time=dt.time(start_minute // 60, start_minute % 60),
        end_time=dt.time(end_minute // 60, end_minute % 60),
        timezone=zone_name,
        slot_minutes=draw(st.integers(min_value=10, max_value=60)),
        buffer_minutes=draw(st.sampled_from([0, 0, 5, 10, 15])),
    )


@st.composite
def cases(draw):
    zone_name, day = draw(zone_and_day())
    return draw(rules(zone_name)), day


def _no_transition_inside(tz: ZoneInfo, naive_start: dt.datetime, minutes: int) -> bool:
    start = naive_start.replace(tzinfo=tz).astimezone(UTC)
    end = start + dt.timedelta(minutes=minutes)
    return start.astimezone(tz).utcoffset() == (end - dt.timedelta(microseconds=1)).astimezone(tz).utcoffset()


@settings(max_examples=examples(full=250, test=100), deadline=None)
@given(cases())
def test_it_keeps_every_slot_at_its_local_wall_clock_time(case):
    rule, day = case
    tz = ZoneInfo(rule.timezone)
    allowed = set(nominal_starts(rule))
    for slot in expand(rule, day, day):
        local = slot.start.astimezone(tz)
        assert local.date() == day == slot.local_date
        assert local.time().replace(tzinfo=None) == slot.local_start
        assert slot.local_start in allowed
        assert slot.end - slot.start == dt.timedelta(minutes=rule.slot_minutes)
        assert slot.start.tzinfo is not None and slot.start.utcoffset() == dt.timedelta(0)


@settings(max_examples=examples(full=250, test=100), deadline=None)
@given(cases())
def test_it_skips_local_times_that_do_not_exist_and_keeps_all_that_do(case):
    rule, day = case
    tz = ZoneInfo(rule.timezone)
    produced = {slot.local_start for slot in expand(rule, day, day)}
    for start_time in nominal_starts(rule):
        naive = dt.datetime.combine(day, start_time)
        if not local_exists(naive, tz):
            assert start_time not in produced, f"{naive} does not exist in {rule.timezone}"
        elif _no_transition_inside(tz, naive, rule.slot_minutes) and _none_before_straddles(rule, day, tz):
            assert start_time in produced, f"{naive} exists in {rule.timezone} but has no slot"


def _none_before_straddles(rule: Rule, day: dt.date, tz: ZoneInfo) -> bool:
    """Completeness is only promised on days where no slot straddles a transition (those are skipped)."""
    return all(
        _no_transition_inside(tz, dt.datetime.combine(day, t), rule.slot_minutes)
        for t in nominal_starts(rule)
        if local_exists(dt.datetime.combine(day, t), tz)
    )


@settings(max_examples=examples(full=250, test=100), deadline=None)
@given(cases())
def test_it_never_repeats_or_overlaps_slots_even_in_a_repeated_hour(case):
    rule, day = case
    slots = expand(rule, day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    starts = [slot.start for slot in slots]
    assert len(starts) == len(set(starts))
    local_keys = [(slot.local_date, slot.local_start) for slot in slots]
    assert len(local_keys) == len(set(local_keys)), "a repeated local hour must yield one slot"
    for earlier, later in zip(slots, slots[1:], strict=False):
        assert earlier.end <= later.start


@settings(max_examples=examples(full=200, test=80), deadline=None)
@given(cases())
def test_it_finds_each_slot_again_from_its_utc_start(case):
    rule, day = case
    for slot in expand(rule, day, day):
        assert slot_at(rule, slot.start) == slot
    window_start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=ZoneInfo(rule.timezone))
    between = expand_between(rule, window_start, window_start + dt.timedelta(days=1))
    assert {s.start for s in between} <= {
        s.start for s in expand(rule, day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    }


@settings(max_examples=examples(full=200, test=80), deadline=None)
@given(
    cases(),
    st.integers(min_value=-36 * 60, max_value=36 * 60),
    st.integers(min_value=0, max_value=4 * 24 * 60),
)
def test_between_cuts_the_same_slots_as_filtering_every_one(case, offset_minutes, length_minutes):
    """``between`` bisects the remembered expansion: the same slots, in the same order, as checking each."""
    rule, day = case
    start = dt.datetime.combine(day, dt.time(12, 0), tzinfo=UTC) + dt.timedelta(minutes=offset_minutes)
    end = start + dt.timedelta(minutes=length_minutes)
    tz = ZoneInfo(rule.timezone)
    every = expand(
        rule,
        start.astimezone(tz).date() - dt.timedelta(days=1),
        end.astimezone(tz).date() + dt.timedelta(days=1),
    )
    assert list(between(rule, start, end)) == [slot for slot in every if start <= slot.start < end]
    assert expand_between(rule, start, end) == list(between(rule, start, end))


@settings(max_examples=examples(full=200, test=80), deadline=None)
@given(cases())
def test_it_round_trips_slot_times_through_icalendar_in_utc(case):
    """Calendars carry UTC instants, never the mentor's local time: a repeated hour makes that
    ambiguous, and clients resolve it differently (test_calendar_readers.py reads it in five)."""
    rule, day = case
    slots = expand(rule, day, day)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//test//EN")
    cal.add("version", "2.0")
    for n, slot in enumerate(slots):
        event = icalendar.Event()
        event.add("uid", f"{n}@test")
        event.add("dtstamp", dt.datetime(2025, 1, 1, tzinfo=UTC))
        event.add("dtstart", utc(slot.start))
        event.add("dtend", utc(slot.end))
        cal.add_component(event)
    data = cal.to_ical()
    events = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    strict = ical_strict.parse(data).walk("VEVENT")  # a second, independent reader
    assert len(events) == len(strict) == len(slots)
    for event, plain, slot in zip(events, strict, slots, strict=True):
        assert event["dtstart"].dt.astimezone(UTC) == slot.start
        assert event["dtend"].dt.astimezone(UTC) == slot.end
        assert ical_strict.date_time(plain.one("DTSTART")).astimezone(UTC) == slot.start
        assert ical_strict.date_time(plain.one("DTEND")).astimezone(UTC) == slot.end
        assert plain.one("DTSTART").value.endswith("Z") and "TZID" not in plain.one("DTSTART").params


def test_it_skips_the_spring_forward_gap_in_new_york():
    rule = Rule(frozenset({6}), dt.time(1, 0), dt.time(4, 0), "America/New_York", 30, 0)
    slots = expand(rule, dt.date(2025, 3, 9), dt.date(2025, 3, 9))
    assert [s.local_start for s in slots] == [dt.time(1, 0), dt.time(1, 30), dt.time(3, 0), dt.time(3, 30)]
    assert [s.start.strftime("%H:%M") for s in slots] == ["06:00", "06:30", "07:00", "07:30"]


def test_it_yields_one_slot_per_wall_clock_time_in_the_repeated_hour_in_berlin():
    rule = Rule(frozenset({6}), dt.time(2, 0), dt.time(3, 0), "Europe/Berlin", 30, 0)
    slots = expand(rule, dt.date(2025, 10, 26), dt.date(2025, 10, 26))
    assert [s.local_start for s in slots] == [dt.time(2, 0), dt.time(2, 30)]
    assert [s.start.strftime("%H:%M") for s in slots] == ["00:00", "00:30"]  # the first occurrence (CEST)


def test_it_handles_lord_howes_thirty_minute_shift():
    # 5 Oct 2025: 02:00 LHST jumps to 02:30 LHDT, so 02:00 and 02:15 do not exist.
    rule = Rule(frozenset({6}), dt.time(1, 30), dt.time(3, 0), "Australia/Lord_Howe", 15, 0)
    slots = expand(rule, dt.date(2025, 10, 5), dt.date(2025, 10, 5))
    assert [s.local_start for s in slots] == [dt.time(1, 30), dt.time(1, 45), dt.time(2, 30), dt.time(2, 45)]


def test_it_skips_a_slot_that_straddles_the_gap_instead_of_overlapping_the_next():
    # 60-minute slots from 01:45 on Lord Howe's spring-forward night: 01:45 would really end at 03:15.
    rule = Rule(frozenset({6}), dt.time(1, 45), dt.time(4, 0), "Australia/Lord_Howe", 60, 0)
    slots = expand(rule, dt.date(2025, 10, 5), dt.date(2025, 10, 5))
    assert [s.local_start for s in slots] == [dt.time(2, 45)]


def test_it_keeps_summer_and_winter_slots_at_the_same_local_time():
    rule = Rule(frozenset({1}), dt.time(10, 0), dt.time(10, 30), "Europe/Berlin", 30, 0)
    winter, summer = expand(rule, dt.date(2025, 3, 25), dt.date(2025, 4, 1))
    assert (winter.start.hour, summer.start.hour) == (9, 8)
    assert winter.local_start == summer.local_start == dt.time(10, 0)
