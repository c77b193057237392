"""Many people booking at the same instant, through the real HTTP stack of a live server.

Each guarantee has a negative control: with the lock switched off and the database backstops dropped,
the same burst really does double-book, so the passing tests are not passing by luck. The race window
between the availability check and the write is held open in every run by a condition, not a pause
(race.RaceWindow): without the lock, every racer has checked before any of them writes, so the negative
controls double-book every time, whatever the load; with it, every racer has queued for the window.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from openhelp.help.officehours.models import Booking, BookingState, Slot
from openhelp.help.officehours.slots import overlaps
from openhelp.platform.accounts.models import AccessToken
from openhelp.platform.lib.clock import now
from tests.factories import make_access_token
from tests.factories_officehours import OfficeHoursFactory, first_slot, make_mentee, make_mentor

from .race import fire, race_window, without_backstops, without_locking

# Bursts of concurrent requests hold up to 50 database connections each: one worker runs them all
# (make test uses --dist loadgroup), so two bursts never exceed PostgreSQL's 100 connections together.
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bursts")]
BURST = 50


def _authorization(user) -> dict:
    token, key = make_access_token(user)
    # Used just now: the burst's requests then write nothing before the lock (on SQLite a write would
    # queue behind the racer holding the window, and never reach the lock).
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now())
    return {"Authorization": f"Bearer {key}"}


def _mentees(n: int) -> list[dict]:
    return [_authorization(make_mentee()) for _ in range(n)]


def _burst(server, block, start, n=BURST):
    url = f"{server}/api/v1/bookings/"
    body = {"office_hours": block.pk, "start": start.isoformat(), "topic": "Same instant"}
    return fire(url, [(headers, body) for headers in _mentees(n)])


def _codes(results) -> dict[int, int]:
    counts: dict[int, int] = {}
    for status, _ in results:
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_it_gives_a_one_seat_slot_to_exactly_one_of_fifty(burst_server, monkeypatch):
    block = OfficeHoursFactory(mentor=make_mentor(), seats=1)
    slot = first_slot(block)
    with race_window(monkeypatch, BURST) as window:
        results = _burst(burst_server, block, slot.start)
    assert window.widest == 1
    assert _codes(results) == {201: 1, 409: BURST - 1}, results[:3]
    assert {body["error"]["code"] for status, body in results if status == 409} <= {"slot_full", "taken"}
    assert Booking.objects.filter(state=BookingState.CONFIRMED).count() == 1


def test_it_gives_a_five_seat_slot_to_exactly_five(burst_server, monkeypatch):
    block = OfficeHoursFactory(mentor=make_mentor(), seats=5)
    slot = first_slot(block)
    with race_window(monkeypatch, BURST) as window:
        results = _burst(burst_server, block, slot.start)
    assert window.widest == 1
    assert _codes(results) == {201: 5, 409: BURST - 5}
    seats = sorted(Booking.objects.filter(state=BookingState.CONFIRMED).values_list("seat", flat=True))
    assert seats == [1, 2, 3, 4, 5]


def _overlapping_blocks():
    """One mentor, three blocks over the same morning with 20-, 30- and 45-minute slots."""
    mentor = make_mentor()
    blocks = [
        OfficeHoursFactory(
            mentor=mentor, slot_minutes=minutes, start_time=dt.time(9, 0), end_time=dt.time(11, 0)
        )
        for minutes in (20, 30, 45)
    ]
    targets = []
    for block in blocks:
        day = first_slot(block).local_date
        targets += [(block, s.start) for s in _slots_on(block, day)]
    return mentor, targets


def _slots_on(block, day):
    from tests.factories_officehours import slots_of

    return [s for s in slots_of(block) if s.local_date == day]


def _burst_across(server, targets):
    url = f"{server}/api/v1/bookings/"
    calls = []
    for headers, (block, start) in zip(_mentees(BURST), itertools.cycle(targets), strict=False):
        calls.append((headers, {"office_hours": block.pk, "start": start.isoformat(), "topic": "Overlap"}))
    return fire(url, calls)


def _held_overlaps(mentor) -> list[tuple]:
    held = list(Slot.objects.filter(mentor=mentor, held=True).values_list("start", "end"))
    return [(a, b) for a, b in itertools.combinations(held, 2) if overlaps(a[0], a[1], b[0], b[1])]


def test_it_never_overlaps_a_mentors_sessions_across_blocks_of_different_lengths(burst_server, monkeypatch):
    mentor, targets = _overlapping_blocks()
    with race_window(monkeypatch, BURST) as window:
        results = _burst_across(burst_server, targets)
    assert window.widest == 1
    assert _codes(results).get(201, 0) >= 1
    assert set(_codes(results)) <= {201, 409}
    assert _held_overlaps(mentor) == []
    bookings = list(
        Booking.objects.filter(mentor=mentor, state=BookingState.CONFIRMED).values_list("start", "end")
    )
    assert all(not overlaps(a[0], a[1], b[0], b[1]) for a, b in itertools.combinations(bookings, 2))


# --- Negative controls ----------------------------------------------------------------------------------


def test_without_the_lock_the_database_backstop_still_refuses_the_second_seat(burst_server, monkeypatch):
    block = OfficeHoursFactory(mentor=make_mentor(), seats=1)
    slot = first_slot(block)
    # A slot booked once and cancelled: its row exists, so the racers meet at the seat index itself.
    Slot.objects.create(mentor=block.mentor, office_hours=block, start=slot.start, end=slot.end, held=False)
    without_locking(monkeypatch)
    with race_window(monkeypatch, 20) as window:
        results = _burst(burst_server, block, slot.start, n=20)
    # All twenty passed the check together, and the unique index turned all but one away.
    assert window.widest == 20
    assert _codes(results) == {201: 1, 409: 19}
    assert {body["error"]["code"] for status, body in results if status == 409} == {"taken"}
    assert Booking.objects.filter(state=BookingState.CONFIRMED).count() == 1


def test_negative_control_without_lock_and_backstop_a_one_seat_slot_is_oversold(burst_server, monkeypatch):
    block = OfficeHoursFactory(mentor=make_mentor(), seats=1)
    slot = first_slot(block)
    without_locking(monkeypatch)
    with without_backstops(), race_window(monkeypatch, 20) as window:
        results = _burst(burst_server, block, slot.start, n=20)
        oversold = Booking.objects.filter(state=BookingState.CONFIRMED).count()
    assert window.widest == 20
    assert _codes(results) == {201: 20}
    assert oversold == 20, "the negative control must show the race it protects against"


def test_negative_control_without_lock_and_backstop_a_mentor_is_double_booked(burst_server, monkeypatch):
    mentor, targets = _overlapping_blocks()
    without_locking(monkeypatch)
    with without_backstops(), race_window(monkeypatch, BURST) as window:
        results = _burst_across(burst_server, targets)
        clashes = _held_overlaps(mentor)
    assert window.widest == BURST
    assert _codes(results) == {201: BURST}
    assert clashes, "the negative control must show overlapping sessions"


def _same_time_elsewhere(n: int):
    """``n`` mentors, each with a slot at the same hour, and one mentee's token."""
    blocks = [OfficeHoursFactory(mentor=make_mentor(), seats=3) for _ in range(n)]
    headers = _authorization(make_mentee())
    start = first_slot(blocks[0]).start
    return [
        (headers, {"office_hours": b.pk, "start": start.isoformat(), "topic": "Everywhere"}) for b in blocks
    ]


def test_one_mentee_booking_many_mentors_at_the_same_time_gets_one(burst_server, monkeypatch):
    calls = _same_time_elsewhere(20)
    with race_window(monkeypatch, 20) as window:
        results = fire(f"{burst_server}/api/v1/bookings/", calls)
    assert window.widest == 1
    assert _codes(results) == {201: 1, 409: 19}
    assert Booking.objects.filter(state=BookingState.CONFIRMED).count() == 1


def test_negative_control_without_lock_and_backstop_a_mentee_is_double_booked(burst_server, monkeypatch):
    calls = _same_time_elsewhere(20)
    without_locking(monkeypatch)
    with without_backstops(), race_window(monkeypatch, 20) as window:
        fire(f"{burst_server}/api/v1/bookings/", calls)
        confirmed = Booking.objects.filter(state=BookingState.CONFIRMED).count()
    assert window.widest == 20
    assert confirmed == 20, "the negative control must show one person booked twice at once"
