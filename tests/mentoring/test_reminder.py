"""One reminder to debrief, through the real task queue and worker — sent at most once, and never when
it no longer applies (cancelled, already debriefed, a no-show).

The steps run their on-commit callbacks (that is when tasks are queued), inside the test's transaction:
the worker runs in this process, on the same connection.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from openhelp.help.mentoring import attendance, debriefs
from openhelp.help.mentoring.models import AttendanceKind, Session
from openhelp.help.mentoring.tasks import remind_debrief, remind_debrief_task
from openhelp.help.officehours.changes import cancel_booking, reschedule_booking
from openhelp.platform.notifications.models import Notification
from tests.factories_officehours import OfficeHoursFactory, book, first_slot
from tests.harness.tasks import queued_task_names, run_pending_tasks

pytestmark = pytest.mark.django_db


def reminders() -> int:
    return Notification.objects.filter(event="session.debrief_reminder").count()


@pytest.fixture
def booked(mentee, mentor, committed):
    block = OfficeHoursFactory(mentor=mentor)
    with committed():
        booking = book(block, mentee, skip=2)
    with committed():
        run_pending_tasks()  # the worker makes the session (and queues its debrief reminder)
    return Session.objects.get(booking=booking)


def run_tasks(committed) -> None:
    with committed():
        run_pending_tasks()
    with committed():
        run_pending_tasks()  # the e-mails the first run queued


def test_it_queues_the_reminder_for_after_the_session(booked):
    assert remind_debrief_task.module_path in queued_task_names()


def test_it_reminds_both_people_once(booked, committed, time_travel, mentee, mentor):
    time_travel.move_to(booked.ends_at + dt.timedelta(hours=1))
    run_tasks(committed)
    assert reminders() == 0  # not yet: two hours after the end

    time_travel.move_to(booked.ends_at + dt.timedelta(hours=3))
    run_tasks(committed)
    assert reminders() == 2
    assert set(
        Notification.objects.filter(event="session.debrief_reminder").values_list("recipient", flat=True)
    ) == {
        mentee.pk,
        mentor.pk,
    }
    assert remind_debrief(session_id=booked.pk) == "already reminded"
    with committed():
        remind_debrief_task.enqueue(booked.pk)  # a duplicate in the queue changes nothing
    run_tasks(committed)
    assert reminders() == 2
    assert any("Two minutes on" in message.subject for message in mail.outbox)


def test_it_waits_for_a_session_moved_later(booked, committed, time_travel, mentee):
    block = booked.booking.slot.office_hours
    later = first_slot(block, skip=30)
    with committed():
        reschedule_booking(
            booking=booked.booking, actor=mentee, office_hours=block, start=later.start, reason="Clash"
        )
    with committed():
        run_pending_tasks()  # the session follows the booking
    booked.refresh_from_db()
    assert booked.starts_at == later.start

    time_travel.move_to(first_slot(block, skip=2).end + dt.timedelta(hours=3))
    run_tasks(committed)
    assert reminders() == 0
    time_travel.move_to(booked.ends_at + dt.timedelta(hours=3))
    run_tasks(committed)
    assert reminders() == 2


def test_it_does_not_remind_after_a_cancellation(booked, committed, time_travel, mentee):
    with committed():
        cancel_booking(booking=booked.booking, actor=mentee, reason="Not needed any more")
    time_travel.move_to(booked.ends_at + dt.timedelta(hours=3))
    run_tasks(committed)
    assert reminders() == 0


def test_it_does_not_remind_once_debriefed(booked, committed, time_travel, mentee):
    time_travel.move_to(booked.ends_at + dt.timedelta(minutes=10))
    debriefs.record_debrief(session=booked, actor=mentee, takeaways=["Read the plan bottom-up"])
    time_travel.move_to(booked.ends_at + dt.timedelta(hours=3))
    run_tasks(committed)
    assert reminders() == 0


def test_it_does_not_remind_after_a_no_show(booked, committed, time_travel, mentor):
    time_travel.move_to(booked.ends_at + dt.timedelta(minutes=10))
    attendance.report_attendance(session=booked, reporter=mentor, kind=AttendanceKind.NO_SHOW)
    time_travel.move_to(booked.ends_at + dt.timedelta(hours=3))
    run_tasks(committed)
    assert reminders() == 0
