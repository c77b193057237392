"""Changing plans: cancel and reschedule from either side, late cancellations, history, the waiting list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openhelp.help.asks.models import Ask, AskState
from openhelp.help.officehours.changes import cancel_booking, reschedule_booking
from openhelp.help.officehours.errors import NotChangeable, Overlap
from openhelp.help.officehours.models import Booking, BookingEvent, BookingState, Slot, WaitlistEntry
from openhelp.help.officehours.waitlist import join_waitlist
from openhelp.platform.notifications.models import Notification
from tests.factories_asks import ask_in_state
from tests.factories_officehours import OfficeHoursFactory, book, first_slot, make_mentee, make_mentor
from tests.harness.tasks import run_pending_tasks

from .conftest import START


def test_the_mentee_cancels_with_a_reason_and_the_mentor_is_told(block, mentor, mentee):
    booking = book(block, mentee, skip=6)  # tomorrow 09:00 Berlin: more than 24 hours away
    cancelled = cancel_booking(booking=booking, actor=mentee, reason="Found the answer in the docs")
    assert cancelled.state == BookingState.CANCELLED
    assert cancelled.cancel_reason == "Found the answer in the docs"
    assert not cancelled.late_cancellation
    assert cancelled.sequence == booking.sequence + 1
    assert not Slot.objects.get(pk=booking.slot_id).held
    run_pending_tasks()
    notice = Notification.objects.get(event="booking.cancelled")
    assert notice.recipient == mentor and "Found the answer" in notice.body


def test_a_cancellation_inside_the_window_is_recorded_as_late(block, mentor, mentee):
    booking = book(block, mentee)  # starts in an hour
    cancelled = cancel_booking(booking=booking, actor=mentor, reason="Sick today")
    assert cancelled.late_cancellation
    run_pending_tasks()
    assert Notification.objects.get(event="booking.cancelled").recipient == mentee
    event = BookingEvent.objects.get(booking=booking, kind="cancelled")
    assert event.late and event.actor == mentor


def test_a_cancellation_needs_a_reason_and_a_party(block, mentee):
    booking = book(block, mentee)
    with pytest.raises(ValidationError):
        cancel_booking(booking=booking, actor=mentee, reason="  ")
    with pytest.raises(PermissionDenied):
        cancel_booking(booking=booking, actor=make_mentee(), reason="not mine")
    cancel_booking(booking=booking, actor=mentee, reason="ok")
    with pytest.raises(NotChangeable):
        cancel_booking(booking=booking, actor=mentee, reason="twice")


def test_the_first_in_line_gets_a_freed_seat_and_is_told(group_block, mentor):
    seated = [make_mentee() for _ in range(3)]
    bookings = [book(group_block, person) for person in seated]
    first, second = make_mentee(), make_mentee()
    slot = first_slot(group_block, free=False)
    join_waitlist(mentee=first, office_hours=group_block, start=slot.start, topic="First in line")
    join_waitlist(mentee=second, office_hours=group_block, start=slot.start, topic="Second")

    cancel_booking(booking=bookings[1], actor=seated[1], reason="Clash")

    promoted = Booking.objects.get(mentee=first, state=BookingState.CONFIRMED)
    assert promoted.from_waitlist and promoted.seat == 2 and promoted.topic == "First in line"
    assert WaitlistEntry.objects.get(mentee=first).state == "promoted"
    assert WaitlistEntry.objects.get(mentee=second).state == "waiting"
    run_pending_tasks()
    assert Notification.objects.filter(event="booking.promoted", recipient=first).exists()
    assert Booking.objects.filter(slot=promoted.slot, state=BookingState.CONFIRMED).count() == 3


def test_a_waiting_person_whose_time_filled_up_keeps_waiting(group_block, block):
    seated = [make_mentee() for _ in range(3)]
    bookings = [book(group_block, person) for person in seated]
    busy, free = make_mentee(), make_mentee()
    slot = first_slot(group_block, free=False)
    join_waitlist(mentee=busy, office_hours=group_block, start=slot.start, topic="Busy")
    join_waitlist(mentee=free, office_hours=group_block, start=slot.start, topic="Free")
    other = OfficeHoursFactory(mentor=make_mentor(), start_time=dt.time(14, 0), end_time=dt.time(15, 0))
    book(other, busy)  # now busy at that very time
    cancel_booking(booking=bookings[0], actor=seated[0], reason="Clash")
    assert Booking.objects.filter(mentee=free, slot=bookings[0].slot, state=BookingState.CONFIRMED).exists()
    assert WaitlistEntry.objects.get(mentee=busy).state == "waiting"


def test_rescheduling_moves_the_same_booking_keeps_history_and_tells_the_other_side(block, mentor, mentee):
    booking = book(block, mentee)
    target = first_slot(block, skip=3)
    moved = reschedule_booking(
        booking=booking, actor=mentee, office_hours=block, start=target.start, reason="Meeting ran over"
    )
    assert moved.pk == booking.pk and moved.uid == booking.uid
    assert moved.start == target.start and moved.sequence == booking.sequence + 1
    assert not Slot.objects.get(pk=booking.slot_id).held
    assert Slot.objects.get(pk=moved.slot_id).held
    event = BookingEvent.objects.get(booking=booking, kind="rescheduled")
    assert (event.from_start, event.to_start, event.reason) == (
        booking.start,
        target.start,
        "Meeting ran over",
    )
    run_pending_tasks()
    notice = Notification.objects.get(event="booking.rescheduled")
    assert notice.recipient == mentor and "was " in notice.title


def test_the_mentor_can_move_a_booking_to_another_of_their_blocks(block, group_block, mentor, mentee):
    booking = book(block, mentee)
    target = first_slot(group_block)
    moved = reschedule_booking(
        booking=booking, actor=mentor, office_hours=group_block, start=target.start, reason="Group"
    )
    assert moved.slot.office_hours == group_block
    run_pending_tasks()
    assert Notification.objects.get(event="booking.rescheduled").recipient == mentee


def test_rescheduling_into_an_overlapping_slot_of_another_block_works_when_it_frees_the_old_one(
    mentor, block, mentee
):
    short = OfficeHoursFactory(
        mentor=mentor, start_time=dt.time(9, 10), end_time=dt.time(12, 0), slot_minutes=20
    )
    booking = book(block, mentee)  # 09:00–09:30
    moved = reschedule_booking(
        booking=booking,
        actor=mentee,
        office_hours=short,
        start=dt.datetime(2025, 6, 2, 7, 10, tzinfo=dt.UTC),  # 09:10–09:30, overlapping the old one
        reason="A bit later",
    )
    assert moved.start == dt.datetime(2025, 6, 2, 7, 10, tzinfo=dt.UTC)
    assert list(Slot.objects.filter(mentor=mentor, held=True).values_list("start", flat=True)) == [
        moved.start
    ]


def test_rescheduling_refuses_a_time_where_the_mentee_is_busy(block, mentee):
    booking = book(block, mentee)
    other = OfficeHoursFactory(mentor=make_mentor(), start_time=dt.time(11, 0), end_time=dt.time(12, 0))
    taken = book(other, mentee)
    with pytest.raises(Overlap):
        reschedule_booking(booking=booking, actor=mentee, office_hours=block, start=taken.start, reason="x")
    booking.refresh_from_db()
    assert booking.sequence == 0 and booking.start == dt.datetime(2025, 6, 2, 7, 0, tzinfo=dt.UTC)


def test_rescheduling_to_the_same_time_or_another_mentor_is_refused(block, mentee):
    booking = book(block, mentee)
    with pytest.raises(ValidationError):
        reschedule_booking(booking=booking, actor=mentee, office_hours=block, start=booking.start, reason="x")
    stranger = OfficeHoursFactory(mentor=make_mentor())
    with pytest.raises(ValidationError):
        reschedule_booking(
            booking=booking, actor=mentee, office_hours=stranger, start=first_slot(stranger).start, reason="x"
        )


def test_moving_out_of_a_full_slot_promotes_the_waiting_list(group_block, block, mentor):
    seated = [make_mentee() for _ in range(3)]
    bookings = [book(group_block, person) for person in seated]
    waiting = make_mentee()
    join_waitlist(mentee=waiting, office_hours=group_block, start=bookings[0].start, topic="Waiting")
    reschedule_booking(
        booking=bookings[0], actor=seated[0], office_hours=block, start=first_slot(block).start, reason="x"
    )
    assert Booking.objects.get(mentee=waiting).slot_id == bookings[0].slot_id


def test_cancelling_a_call_booked_for_an_ask_takes_the_time_off_the_ask(block, mentor, mentee):
    ask = ask_in_state(AskState.ACCEPTED, helper=mentor, mentee=mentee)
    booking = book(block, mentee, ask=ask)
    cancel_booking(booking=booking, actor=mentor, reason="Conflict")
    ask.refresh_from_db()
    assert ask.state == AskState.ACCEPTED  # scheduled → accepted: it waits for a new time
    assert (ask.scheduled_for, ask.scheduled_place) == (None, "")
    event = ask.events.get(kind="unscheduled")
    assert (event.from_state, event.to_state, event.actor) == (AskState.SCHEDULED, AskState.ACCEPTED, mentor)
    assert "Conflict" in event.note

    again = book(block, mentee, skip=2, ask=ask)  # the mentee books a new time for the same ask
    ask.refresh_from_db()
    assert ask.state == AskState.SCHEDULED and ask.scheduled_for == again.start


def test_cancelling_a_call_leaves_an_ask_that_moved_on_alone(block, mentor, mentee):
    ask = ask_in_state(AskState.ACCEPTED, helper=mentor, mentee=mentee)
    booking = book(block, mentee, ask=ask)
    Ask.objects.filter(pk=ask.pk).update(state=AskState.COMPLETED)
    cancel_booking(booking=booking, actor=mentor, reason="Conflict")
    ask.refresh_from_db()
    assert ask.state == AskState.COMPLETED
    assert not ask.events.filter(kind="unscheduled").exists()


def test_a_session_that_started_can_no_longer_change(block, mentee, _clock):
    booking = book(block, mentee)
    _clock.move_to(booking.start + dt.timedelta(minutes=1))
    with pytest.raises(NotChangeable):
        cancel_booking(booking=booking, actor=mentee, reason="too late")
    assert START < booking.start
