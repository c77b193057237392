"""Booking a slot: seats, overlaps across blocks and asks, caps, pauses, time off, idempotency, backstops."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from openhelp.directory.people.capacity import current_week
from openhelp.help.asks.models import AskState
from openhelp.help.officehours.booking import (
    Idempotency,
    book_slot,
    idempotency_window,
    purge_expired_keys,
)
from openhelp.help.officehours.capacity import sessions_from_bookings
from openhelp.help.officehours.errors import AlreadyBooked, CapReached, Overlap, SlotFull
from openhelp.help.officehours.models import Booking, BookingState, IdempotencyKey, Reminder, Slot
from openhelp.help.officehours.waitlist import join_waitlist
from openhelp.platform.lib.sql import supports_exclusion_constraints
from openhelp.platform.notifications.models import Notification
from tests.factories_asks import ask_in_state
from tests.factories_officehours import (
    OfficeHoursFactory,
    TimeOffFactory,
    book,
    first_slot,
    make_mentee,
    slots_of,
)
from tests.harness.tasks import run_pending_tasks

from .conftest import START


def test_it_books_a_slot_and_tells_both_sides(block, mentor, mentee):
    booking = book(block, mentee, topic="Query plans")
    run_pending_tasks()  # the announcement: notifications and reminders

    assert booking.state == BookingState.CONFIRMED
    assert booking.start == dt.datetime(2025, 6, 2, 7, 0, tzinfo=dt.UTC)  # 09:00 in Berlin
    assert booking.end - booking.start == dt.timedelta(minutes=30)
    assert booking.slot.held and booking.seat == 1
    assert booking.location == "Room 4.12"
    events = set(
        Notification.objects.filter(event="booking.confirmed").values_list("recipient_id", flat=True)
    )
    assert events == {mentor.pk, mentee.pk}
    # 24 h before is already past for a slot an hour away; 15 minutes before is planned for each side.
    assert set(Reminder.objects.values_list("recipient_id", "minutes_before")) == {
        (mentor.pk, 15),
        (mentee.pk, 15),
    }


def test_it_writes_the_times_in_each_recipients_zone(block, mentor, mentee):
    book(block, mentee)
    run_pending_tasks()
    to_mentee = Notification.objects.get(recipient=mentee, event="booking.confirmed")
    to_mentor = Notification.objects.get(recipient=mentor, event="booking.confirmed")
    assert "03:00 (America/New_York)" in to_mentee.title
    assert "09:00 (Europe/Berlin)" in to_mentor.title


def test_the_confirmation_writes_the_day_as_the_pages_do_and_no_empty_question(block, mentor, mentee):
    book_slot(
        mentee=mentee, office_hours=block, start=first_slot(block).start, topic="Query plans", question=""
    )
    run_pending_tasks()
    to_mentee = Notification.objects.get(recipient=mentee, event="booking.confirmed")
    to_mentor = Notification.objects.get(recipient=mentor, event="booking.confirmed")

    assert "Mon 2 Jun 2025, 09:00 (Europe/Berlin)" in to_mentor.title  # not "Mon 02 Jun"
    assert "question" not in to_mentee.body and "—" not in to_mentee.body
    assert to_mentor.body == "Topic: Query plans."


def test_it_refuses_a_time_that_is_not_a_slot_of_the_block(block, mentee):
    with pytest.raises(ValidationError) as error:
        book_slot(
            mentee=mentee,
            office_hours=block,
            start=dt.datetime(2025, 6, 2, 7, 10, tzinfo=dt.UTC),
            topic="x",
        )
    assert "start" in error.value.message_dict


def test_it_refuses_slots_in_the_past_or_without_enough_notice(block, mentee):
    block.min_notice_minutes = 180
    block.save()
    with pytest.raises(ValidationError) as error:
        book_slot(mentee=mentee, office_hours=block, start=START + dt.timedelta(hours=1), topic="x")
    assert error.value.message_dict["start"] == ["This slot is too soon: it needs more notice."]
    assert slots_of(block)[0].start >= START + dt.timedelta(hours=3)


def test_it_asks_for_a_topic_and_keeps_the_question_short(block, mentee):
    slot = first_slot(block)
    with pytest.raises(ValidationError) as error:
        book_slot(mentee=mentee, office_hours=block, start=slot.start, topic="  ", question="q" * 1001)
    assert set(error.value.message_dict) == {"topic", "question"}


def test_it_refuses_booking_your_own_office_hours(block, mentor):
    with pytest.raises(ValidationError):
        book(block, mentor)


def test_it_never_gives_a_one_seat_slot_twice(block, mentee):
    booking = book(block, mentee)
    with pytest.raises(SlotFull):
        book_slot(mentee=make_mentee(), office_hours=block, start=booking.start, topic="Me too")
    assert Booking.objects.count() == 1


def test_it_fills_a_group_slot_seat_by_seat_and_then_offers_the_waiting_list(group_block):
    people = [make_mentee() for _ in range(4)]
    bookings = [book(group_block, person) for person in people[:3]]
    assert sorted(b.seat for b in bookings) == [1, 2, 3]
    assert len({b.slot_id for b in bookings}) == 1
    slot = first_slot(group_block, free=False)
    assert slot.is_full and slot.seats_left == 0
    with pytest.raises(SlotFull):
        book_slot(mentee=people[3], office_hours=group_block, start=slot.start, topic="Me too")
    entry = join_waitlist(mentee=people[3], office_hours=group_block, start=slot.start, topic="Me too")
    assert entry.state == "waiting"


def test_it_refuses_a_second_seat_for_the_same_person(group_block, mentee):
    booking = book(group_block, mentee)
    with pytest.raises(AlreadyBooked):
        book_slot(mentee=mentee, office_hours=group_block, start=booking.start, topic="Again")


def test_it_never_lets_a_mentee_hold_two_overlapping_bookings(block, mentee):
    from tests.factories_officehours import make_mentor

    other = OfficeHoursFactory(mentor=make_mentor(), start_time=dt.time(9, 15), end_time=dt.time(10, 0))
    book(block, mentee)  # 09:00–09:30 Berlin
    with pytest.raises(Overlap, match="You already have a booking"):
        book(other, mentee)  # 09:15–09:45 Berlin


def test_it_never_double_books_a_mentor_across_blocks_of_different_lengths(mentor, block):
    short = OfficeHoursFactory(
        mentor=mentor, start_time=dt.time(9, 0), end_time=dt.time(12, 0), slot_minutes=20
    )
    book(block, make_mentee())  # 09:00–09:30
    # The 20-minute block's 09:00 and 09:20 slots overlap that session: not offered, not bookable.
    offered = [s.start for s in slots_of(short)[:2]]
    assert offered[0] == dt.datetime(2025, 6, 2, 7, 40, tzinfo=dt.UTC)
    with pytest.raises(Overlap, match="The mentor already has a session"):
        book_slot(
            mentee=make_mentee(),
            office_hours=short,
            start=dt.datetime(2025, 6, 2, 7, 20, tzinfo=dt.UTC),
            topic="x",
        )


def test_it_counts_a_scheduled_call_ask_as_a_commitment(block, mentor, mentee):
    ask_in_state(
        AskState.SCHEDULED,
        helper=mentor,
        scheduled_for=dt.datetime(2025, 6, 2, 7, 15, tzinfo=dt.UTC),
        format="call30",
    )
    assert first_slot(block).start == dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)
    with pytest.raises(Overlap, match="call scheduled"):
        book_slot(
            mentee=mentee, office_hours=block, start=dt.datetime(2025, 6, 2, 7, 30, tzinfo=dt.UTC), topic="x"
        )


def test_it_stops_at_the_daily_cap(block):
    block.daily_cap = 2
    block.save()
    book(block, make_mentee())
    book(block, make_mentee())
    today = [s for s in slots_of(block) if s.local_date == dt.date(2025, 6, 2)]
    assert len(today) == 2 and all(s.is_full for s in today)
    with pytest.raises(CapReached, match="fully booked that day"):
        book_slot(
            mentee=make_mentee(),
            office_hours=block,
            start=dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC),
            topic="x",
        )
    tomorrow = [s for s in slots_of(block) if s.local_date == dt.date(2025, 6, 3)]
    assert len(tomorrow) == 6


def test_it_counts_bookings_against_the_weekly_capacity(mentor, block):
    mentor.profile.sessions_per_week = 1
    mentor.profile.save()
    booking = book(block, make_mentee())
    week_start, week_end = current_week(booking.start)
    assert sessions_from_bookings([mentor.profile.pk], week_start, week_end) == {mentor.profile.pk: 1}
    with pytest.raises(CapReached, match="no sessions left that week"):
        book_slot(mentee=make_mentee(), office_hours=block, start=booking.end, topic="x")
    next_week = [s for s in slots_of(block) if s.start >= week_end]
    assert next_week and all(not s.is_full for s in next_week)


def test_it_hides_and_refuses_slots_while_the_mentor_is_paused(mentor, block, mentee):
    mentor.profile.paused_until = dt.date(2025, 6, 5)
    mentor.profile.save()
    assert first_slot(block).local_date == dt.date(2025, 6, 5)
    with pytest.raises(ValidationError, match="paused"):
        book_slot(
            mentee=mentee, office_hours=block, start=dt.datetime(2025, 6, 3, 7, 0, tzinfo=dt.UTC), topic="x"
        )


def test_it_skips_time_off_for_one_block_or_all(mentor, block, group_block):
    TimeOffFactory(office_hours=block, start_date=dt.date(2025, 6, 2), end_date=dt.date(2025, 6, 2))
    TimeOffFactory(
        office_hours=None, mentor=mentor, start_date=dt.date(2025, 6, 3), end_date=dt.date(2025, 6, 4)
    )
    assert first_slot(block).local_date == dt.date(2025, 6, 5)
    assert first_slot(group_block).local_date == dt.date(2025, 6, 2)
    assert dt.date(2025, 6, 3) not in {s.local_date for s in slots_of(group_block)}


def test_it_opens_slots_only_within_the_booking_horizon(block):
    block.horizon_weeks = 1
    block.save()
    assert max(s.local_date for s in slots_of(block, days=30)) == dt.date(2025, 6, 9)


def test_it_returns_the_same_booking_for_a_repeated_idempotency_key(block, mentee):
    key = Idempotency(key="retry-1", fingerprint="abc")
    first = book(block, mentee, idempotency=key)
    again = book(block, mentee, idempotency=key)
    assert again.pk == first.pk
    assert Booking.objects.count() == 1
    with pytest.raises(ValidationError, match="different request"):
        book(block, mentee, idempotency=Idempotency(key="retry-1", fingerprint="other"))


def test_it_schedules_an_accepted_call_ask_in_a_slot(block, mentor, mentee):
    ask = ask_in_state(AskState.ACCEPTED, helper=mentor, mentee=mentee)
    booking = book(block, mentee, ask=ask)
    ask.refresh_from_db()
    assert ask.state == AskState.SCHEDULED
    assert ask.scheduled_for == booking.start
    week_start, week_end = current_week(booking.start)
    # The ask already used one of the mentor's sessions when it was accepted: not counted twice.
    assert sessions_from_bookings([mentor.profile.pk], week_start, week_end) == {}


def test_it_refuses_to_link_an_ask_someone_else_helps_with(block, mentee):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee)
    with pytest.raises(ValidationError) as error:
        book(block, mentee, ask=ask)
    assert "ask" in error.value.message_dict


# --- The database backstops -----------------------------------------------------------------------------


def test_the_database_refuses_two_people_in_one_seat(block, mentee):
    booking = book(block, mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            slot=booking.slot,
            mentor=booking.mentor,
            mentee=make_mentee(),
            seat=1,
            start=booking.start,
            end=booking.end,
            topic="sneaking in",
        )


def test_the_database_refuses_two_held_slots_of_a_mentor_at_one_time(block, mentor):
    booking = book(block, make_mentee())
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(mentor=mentor, start=booking.start, end=booking.end + dt.timedelta(minutes=15))


@pytest.mark.skipif(not supports_exclusion_constraints(), reason="exclusion constraints are PostgreSQL-only")
def test_postgresql_refuses_overlapping_held_slots_and_bookings(block, mentor, mentee):
    booking = book(block, mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(
            mentor=mentor,
            start=booking.start + dt.timedelta(minutes=10),
            end=booking.end + dt.timedelta(minutes=10),
        )
    other_slot = Slot.objects.create(
        mentor=make_mentee(),
        start=booking.start + dt.timedelta(minutes=10),
        end=booking.end + dt.timedelta(minutes=10),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            slot=other_slot,
            mentor=other_slot.mentor,
            mentee=mentee,
            start=other_slot.start,
            end=other_slot.end,
            topic="overlapping",
        )


def test_an_idempotency_key_returns_its_booking_only_within_the_window(block, mentee, _clock):
    key = Idempotency(key="retry-2", fingerprint="abc")
    first = book(block, mentee, idempotency=key)

    _clock.move_to(START + dt.timedelta(hours=23))
    assert book(block, mentee, idempotency=key).pk == first.pk  # a retry within 24 hours

    _clock.move_to(START + dt.timedelta(hours=25))
    later = book(block, mentee, idempotency=Idempotency(key="retry-2", fingerprint="other body"))
    assert later.pk != first.pk  # expired: the key counts as new, even for another request
    assert Booking.objects.filter(mentee=mentee, state=BookingState.CONFIRMED).count() == 2
    assert list(IdempotencyKey.objects.filter(user=mentee).values_list("booking_id", flat=True)) == [later.pk]


def test_the_idempotency_window_is_a_setting_with_a_default(block, mentee, _clock, settings):
    settings.OFFICE_HOURS = {**settings.OFFICE_HOURS, "IDEMPOTENCY_KEY_HOURS": 1}
    key = Idempotency(key="retry-3", fingerprint="abc")
    first = book(block, mentee, idempotency=key)
    _clock.move_to(START + dt.timedelta(hours=2))
    assert book(block, mentee, idempotency=key).pk != first.pk

    settings.OFFICE_HOURS = {k: v for k, v in settings.OFFICE_HOURS.items() if k != "IDEMPOTENCY_KEY_HOURS"}
    assert idempotency_window() == dt.timedelta(hours=24)


def test_writing_a_key_purges_expired_ones_and_keeps_live_ones(
    block, mentee, _clock, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(
        "openhelp.help.officehours.booking.PURGE_EVERY", 1
    )  # every write purges (normally every 10th)
    people = [make_mentee() for _ in range(3)]
    for n, person in enumerate(people):
        book(block, person, skip=n, idempotency=Idempotency(key="same-key", fingerprint="abc"))
    _clock.move_to(START + dt.timedelta(hours=20))
    live = book(block, mentee, skip=3, idempotency=Idempotency(key="live", fingerprint="abc"))

    _clock.move_to(START + dt.timedelta(hours=25))  # the first three expired, the fourth has not
    with django_capture_on_commit_callbacks(execute=True):
        newest = book(block, make_mentee(), idempotency=Idempotency(key="new", fingerprint="abc"))

    assert set(IdempotencyKey.objects.values_list("booking_id", flat=True)) == {live.pk, newest.pk}
    assert Booking.objects.filter(mentee__in=people).count() == 3  # only the keys go, never bookings
    assert purge_expired_keys() == 0  # nothing left to purge


def test_only_every_tenth_key_written_purges(block, mentee, _clock, django_capture_on_commit_callbacks):
    stale = book(block, make_mentee(), idempotency=Idempotency(key="stale", fingerprint="abc"))
    _clock.move_to(START + dt.timedelta(hours=25))
    for n in range(10):  # ten writes: exactly one of them has an id divisible by ten
        with django_capture_on_commit_callbacks(execute=True):
            book(block, make_mentee(), skip=n, idempotency=Idempotency(key=f"k{n}", fingerprint="abc"))
    assert not IdempotencyKey.objects.filter(booking=stale).exists()
    assert IdempotencyKey.objects.count() == 10
