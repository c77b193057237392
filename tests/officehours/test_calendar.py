"""iCalendar invites, downloads and the private feed: stable UID, SEQUENCE, CANCEL, zones, escaping, and
parsing in two implementations (the icalendar library and tests/officehours/ical_strict.py)."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from openhelp.help.officehours.calendar import feed, invite
from openhelp.help.officehours.changes import cancel_booking, reschedule_booking
from openhelp.help.officehours.services import personal_calendar_for, rotate_feed
from openhelp.platform.notifications.emails import build_email
from openhelp.platform.notifications.models import Notification
from tests.factories_officehours import book, first_slot, make_mentee
from tests.harness.tasks import run_pending_tasks

from . import ical_strict

EVIL_TOPIC = "Evil\r\nATTENDEE;CN=x:mailto:evil@example.org\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:;,\\"


def _both(data: bytes):
    return ical_strict.parse(data), icalendar.Calendar.from_ical(data)


def test_an_invite_has_a_stable_uid_a_rising_sequence_and_a_cancel(block, mentor, mentee):
    booking = book(block, mentee)
    first, _ = _both(invite(booking, viewer=mentee))
    event = first.walk("VEVENT")[0]
    assert first.one("METHOD").value == "REQUEST"
    assert event.one("SEQUENCE").value == "0"
    uid = event.one("UID").value

    moved = reschedule_booking(
        booking=booking,
        actor=mentee,
        office_hours=block,
        start=first_slot(block, skip=2).start,
        reason="later",
    )
    second = ical_strict.parse(invite(moved, viewer=mentor)).walk("VEVENT")[0]
    assert second.one("UID").value == uid
    assert second.one("SEQUENCE").value == "1"
    assert ical_strict.date_time(second.one("DTSTART")) == moved.start

    cancelled = cancel_booking(booking=moved, actor=mentor, reason="ill")
    third = ical_strict.parse(invite(cancelled, viewer=mentee))
    assert third.one("METHOD").value == "CANCEL"
    event = third.walk("VEVENT")[0]
    assert (event.one("UID").value, event.one("SEQUENCE").value, event.one("STATUS").value) == (
        uid,
        "2",
        "CANCELLED",
    )


def test_an_invite_writes_its_instants_in_utc_without_zone_definitions(block, mentee):
    booking = book(block, mentee)
    cal, lib = _both(invite(booking, viewer=mentee))
    start = cal.walk("VEVENT")[0].one("DTSTART")
    assert start.params == {} and start.value == "20250602T070000Z"  # 09:00 in Berlin
    assert cal.walk("VTIMEZONE") == []
    assert ical_strict.date_time(start) == booking.start
    assert lib.walk("VEVENT")[0]["DTSTART"].dt.astimezone(dt.UTC) == booking.start


def test_user_text_cannot_break_out_of_its_property(block, mentee):
    booking = book(block, mentee, topic="x")
    booking.topic = EVIL_TOPIC[:120]
    booking.location = "Room 1\r\nORGANIZER:mailto:evil@example.org"
    booking.save()
    for data in (invite(booking, viewer=mentee), feed(mentee)):
        cal, lib = _both(data)
        events = cal.walk("VEVENT")
        assert len(events) == 1 and len(list(lib.walk("VEVENT"))) == 1
        assert len(events[0].all("ATTENDEE")) <= 1
        assert len(events[0].all("ORGANIZER")) <= 1
        assert "END:VEVENT" in events[0].one("SUMMARY").value  # kept as text, not structure
        assert "evil" not in "".join(p.value for p in events[0].all("ATTENDEE") + events[0].all("ORGANIZER"))
    invite_event = ical_strict.parse(invite(booking, viewer=mentee)).walk("VEVENT")[0]
    assert invite_event.one("ATTENDEE").value == f"mailto:{mentee.email}"


def test_the_feed_lists_sessions_as_mentor_and_as_mentee_without_private_text(block, mentor, mentee):
    mine = book(block, mentee)
    other_mentor_block = block.__class__.objects.create(
        mentor=mentee,
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        start_time=dt.time(15, 0),
        end_time=dt.time(16, 0),
        timezone="America/New_York",
        slot_minutes=30,
        location_kind="chat",
    )
    as_mentor = book(other_mentor_block, make_mentee())
    cancelled = book(block, make_mentee(), skip=1)
    cancel_booking(booking=cancelled, actor=mentor, reason="x")

    cal, _ = _both(feed(mentee))
    events = cal.walk("VEVENT")
    assert [ical_strict.date_time(e.one("DTSTART")) for e in events] == [mine.start, as_mentor.start]
    text = feed(mentee).decode()
    assert "Why a seq scan?" not in text  # the preparation question stays out of the feed
    assert "ATTENDEE" not in text and "ORGANIZER" not in text


def test_the_feed_url_needs_the_secret_and_rotating_it_retires_the_old_one(client, block, mentee):
    book(block, mentee)
    calendar = personal_calendar_for(mentee)
    assert len(calendar.feed_secret) >= 43  # 32 random bytes, URL-safe: 256 bits
    url = reverse("officehours:feed", args=[calendar.feed_key, calendar.feed_secret])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert len(ical_strict.parse(response.content).walk("VEVENT")) == 1
    assert client.get(reverse("officehours:feed", args=[calendar.feed_key, "wrong" * 9])).status_code == 404
    assert client.get(reverse("officehours:feed", args=["nobody", calendar.feed_secret])).status_code == 404
    rotate_feed(user=mentee)
    assert client.get(url).status_code == 404
    fresh = personal_calendar_for(mentee)
    assert (
        client.get(reverse("officehours:feed", args=[fresh.feed_key, fresh.feed_secret])).status_code == 200
    )


@pytest.mark.parametrize("event, method", [("booking.confirmed", "REQUEST"), ("booking.cancelled", "CANCEL")])
def test_booking_emails_carry_the_invite(block, mentor, mentee, event, method):
    booking = book(block, mentee)
    if event == "booking.cancelled":
        cancel_booking(booking=booking, actor=mentee, reason="x")
    run_pending_tasks()
    notification = Notification.objects.filter(event=event, recipient=mentor).first()
    message = build_email(notification).message()
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == method
    assert parts[0].get_filename() == "invite.ics"
    cal = ical_strict.parse(parts[0].get_payload(decode=True))
    assert cal.one("METHOD").value == method


def test_the_download_is_only_for_the_two_people(client, block, mentee, mentor):
    booking = book(block, mentee)
    url = reverse("officehours:booking-ics", args=[booking.pk])
    client.force_login(mentor)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    ical_strict.parse(response.content)
    client.force_login(make_mentee())
    assert client.get(url).status_code == 404


def test_names_with_quotes_and_separators_stay_inside_their_parameter(block, mentee):
    mentee.profile.display_name = 'Eve "the"; ROLE=CHAIR:mailto:x, y'
    mentee.profile.save()
    booking = book(block, mentee)
    cal, lib = _both(invite(booking, viewer=mentee))
    attendee = cal.walk("VEVENT")[0].one("ATTENDEE")
    assert attendee.value == f"mailto:{mentee.email}"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert "Eve" in attendee.params["CN"]


@pytest.mark.parametrize(
    "broken",
    [
        b"BEGIN:VCALENDAR\nEND:VCALENDAR\n",
        b"BEGIN:VCALENDAR\r\nSUMMARY:a, b\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nX-LONG:" + b"x" * 80 + b"\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nSUMMARY:bad \\q escape\r\nEND:VCALENDAR\r\n",
    ],
)
def test_the_strict_reader_rejects_what_picky_clients_reject(broken):
    with pytest.raises(ical_strict.StrictError):
        ical_strict.parse(broken)
