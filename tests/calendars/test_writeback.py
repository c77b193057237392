"""Confirmed bookings are written into the connected calendars of the people in them: once (a retry or
a repeated delivery never adds a second event), moved on reschedule, deleted on cancel — and our own
events never count as busy."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from openhelp.directory.calendars.models import BusyInterval, WrittenEvent
from openhelp.directory.calendars.sync import sync_connection
from openhelp.directory.calendars.writeback import write_booking
from openhelp.help.officehours.changes import cancel_booking, reschedule_booking
from tests.calendars.radicale_server import ACCOUNTS
from tests.factories_calendars import connect_directly
from tests.factories_officehours import book, slots_of
from tests.harness.outbox import deliver_events
from tests.harness.tasks import run_pending_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("radicale")]  # one Radicale per run


def deliver_and_run(capture) -> None:
    with capture(execute=True):
        deliver_events()
    run_pending_tasks()


def starts(events: dict[str, str]) -> list[dt.datetime]:
    found = []
    for text in events.values():
        for component in icalendar.Calendar.from_ical(text).walk("VEVENT"):
            found.append(component["DTSTART"].dt)
    return found


@pytest.fixture
def calendars(radicale, mentor, mentee):
    mentor_url = radicale.new_calendar("mira")
    mentee_url = radicale.new_calendar("nico")
    mentor_connection = connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=mentor_url
    )
    connect_directly(
        mentee, server_url=radicale.url, username="nico", password=ACCOUNTS["nico"], calendar_url=mentee_url
    )
    return mentor_url, mentee_url, mentor_connection


def test_a_booking_appears_once_moves_on_reschedule_and_disappears_on_cancel(
    radicale, calendars, mentor, mentee, block, django_capture_on_commit_callbacks
):
    mentor_url, mentee_url, mentor_connection = calendars
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(block, mentee)
    deliver_and_run(django_capture_on_commit_callbacks)

    mentor_events = radicale.events("mira", mentor_url)
    assert len(mentor_events) == 1
    assert starts(mentor_events) == [booking.start]
    assert f"booking-{booking.uid}@" in next(iter(mentor_events.values()))
    assert starts(radicale.events("nico", mentee_url)) == [booking.start]  # the mentee's calendar too

    # A retry (the task again, the consumer again from the start): still one event.
    assert write_booking(booking.pk, mentor_connection.pk) == "unchanged"
    WrittenEvent.objects.all().delete()  # as if the first answer was lost after the PUT
    assert write_booking(booking.pk, mentor_connection.pk) == "written"
    assert len(radicale.events("mira", mentor_url)) == 1

    # Our own event is not busy: the slot stays listed (as booked), and no busy interval is kept.
    assert sync_connection(mentor_connection.pk) == "full"
    assert not BusyInterval.objects.filter(connection=mentor_connection).exists()

    later = [s for s in slots_of(block) if s.start > booking.start and not s.is_full][2]
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(
            booking=booking, actor=mentee, office_hours=block, start=later.start, reason="Clash"
        )
    deliver_and_run(django_capture_on_commit_callbacks)
    moved = radicale.events("mira", mentor_url)
    assert starts(moved) == [later.start]
    assert "SEQUENCE:1" in next(iter(moved.values()))
    assert starts(radicale.events("nico", mentee_url)) == [later.start]

    booking.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, actor=mentor, reason="Ill")
    deliver_and_run(django_capture_on_commit_callbacks)
    assert radicale.events("mira", mentor_url) == {}
    assert radicale.events("nico", mentee_url) == {}
    assert not WrittenEvent.objects.exists()
    assert write_booking(booking.pk, mentor_connection.pk) == "unchanged"  # a late retry: nothing returns


def test_without_a_write_calendar_nothing_is_written(
    radicale, mentor, mentee, block, django_capture_on_commit_callbacks
):
    url = radicale.new_calendar("mira")
    connect_directly(
        mentor,
        server_url=radicale.url,
        username="mira",
        password=ACCOUNTS["mira"],
        calendar_url=url,
        write=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        book(block, mentee)
    deliver_and_run(django_capture_on_commit_callbacks)
    assert radicale.events("mira", url) == {}
