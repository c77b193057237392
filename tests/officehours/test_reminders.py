"""Reminders through the real task queue, with the clock moved by time-machine: sent once, on time, and
never after a cancellation or for a time the booking no longer has."""

from __future__ import annotations

import datetime as dt

import pytest

from openhelp.help.officehours.changes import cancel_booking, reschedule_booking
from openhelp.help.officehours.models import Reminder
from openhelp.help.officehours.reminders import send_reminder
from openhelp.help.officehours.services import set_reminders
from openhelp.platform.notifications.models import Notification
from tests.factories_officehours import book, first_slot, make_mentee
from tests.harness.tasks import run_pending_tasks

# Real commits: reminders are queued once the booking's transaction commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _reminders(**filters):
    return Notification.objects.filter(event="booking.reminder", **filters)


def _two_days_ahead(block, mentee):
    booking = book(block, mentee, skip=12)  # Wednesday 09:00 Berlin
    assert booking.start == dt.datetime(2025, 6, 4, 7, 0, tzinfo=dt.UTC)
    run_pending_tasks()  # the announcement plans the reminders
    return booking


def test_it_sends_each_reminder_once_at_its_time(block, mentor, mentee, _clock):
    booking = _two_days_ahead(block, mentee)
    assert Reminder.objects.count() == 4
    assert not _reminders().exists()

    _clock.move_to(booking.start - dt.timedelta(hours=24))
    run_pending_tasks()
    assert set(_reminders().values_list("recipient_id", flat=True)) == {mentor.pk, mentee.pk}
    to_mentee = _reminders().get(recipient=mentee)
    assert to_mentee.title.startswith("In 24 hours:") and "03:00 (America/New_York)" in to_mentee.title

    _clock.move_to(booking.start - dt.timedelta(minutes=15))
    run_pending_tasks()
    run_pending_tasks()
    assert _reminders().count() == 4
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 4


def test_a_cancelled_booking_never_triggers_an_old_reminder(block, mentee, _clock):
    booking = _two_days_ahead(block, mentee)
    cancel_booking(booking=booking, actor=mentee, reason="No longer needed")
    _clock.move_to(booking.start - dt.timedelta(minutes=10))
    run_pending_tasks()
    assert not _reminders().exists()
    assert set(Reminder.objects.values_list("skipped_reason", flat=True)) == {"cancelled"}


def test_a_rescheduled_booking_reminds_for_the_new_time_only(block, mentee, _clock):
    booking = _two_days_ahead(block, mentee)
    later = first_slot(block, skip=24)  # Friday
    moved = reschedule_booking(
        booking=booking, actor=mentee, office_hours=block, start=later.start, reason="Trip"
    )

    _clock.move_to(booking.start - dt.timedelta(minutes=10))  # the old time's reminders fall due
    run_pending_tasks()
    assert not _reminders().exists()
    assert set(Reminder.objects.filter(sequence=0).values_list("skipped_reason", flat=True)) == {
        "rescheduled"
    }

    _clock.move_to(moved.start - dt.timedelta(minutes=10))
    run_pending_tasks()
    assert _reminders(recipient=mentee).count() == 2  # 24 hours and 15 minutes before the new time
    assert all(n.context["sequence"] == 1 for n in _reminders())


def test_running_the_task_twice_sends_once(block, mentee, _clock):
    booking = _two_days_ahead(block, mentee)
    reminder = Reminder.objects.get(recipient=mentee, minutes_before=15)
    _clock.move_to(booking.start - dt.timedelta(minutes=15))
    assert send_reminder(reminder_id=reminder.pk) == "sent"
    assert send_reminder(reminder_id=reminder.pk) == "skipped: already sent"
    run_pending_tasks()  # the queued copy of the same task
    assert _reminders(recipient=mentee, context__minutes_before=15).count() == 1


def test_a_task_that_runs_early_waits_for_its_time(block, mentee, _clock):
    booking = _two_days_ahead(block, mentee)
    reminder = Reminder.objects.get(recipient=mentee, minutes_before=15)
    assert send_reminder(reminder_id=reminder.pk) == "early: queued again"
    assert not _reminders().exists()
    _clock.move_to(booking.start - dt.timedelta(minutes=14))
    run_pending_tasks()
    assert _reminders(recipient=mentee, context__minutes_before=15).count() == 1


def test_it_follows_each_persons_reminder_choice(block, mentor, mentee):
    set_reminders(user=mentee, minutes=[60])
    set_reminders(user=mentor, minutes=[])
    _two_days_ahead(block, mentee)
    assert list(Reminder.objects.values_list("recipient_id", "minutes_before")) == [(mentee.pk, 60)]


def test_a_mentor_gets_one_reminder_per_group_slot(group_block, mentor, _clock):
    bookings = [book(group_block, make_mentee(), skip=6) for _ in range(3)]
    run_pending_tasks()
    _clock.move_to(bookings[0].start - dt.timedelta(minutes=15))
    run_pending_tasks()
    assert _reminders(recipient=mentor).count() == 2  # 24 h and 15 min, not six
