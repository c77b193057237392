"""Every invite (download and e-mail) and every feed, read by five iCalendar readers — the strict one of
these tests, icalendar, vobject, ical.js and node-ical — must give the same UTC instants as the API, the
same text, and the same reading in all five.

The bookings cover what calendar clients get wrong: the autumn repeated hour (Berlin 2027-10-31 and
New York 2027-11-07, where 02:30 local happens twice), the spring gap (Sydney 2027-10-03, where 02:00
local never happens), ordinary summer and winter times, a booking rescheduled into the repeated hour,
and cancelled ones; the people's names and the topic carry line breaks, quotes, separators and control
characters, written straight to the database as existing data could hold them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from openhelp.directory.people.models import Profile
from openhelp.help.officehours.booking import book_slot
from openhelp.help.officehours.calendar import FEED_PAST
from openhelp.help.officehours.changes import cancel_booking, reschedule_booking
from openhelp.help.officehours.models import Booking, BookingState
from openhelp.help.officehours.services import personal_calendar_for
from openhelp.platform.notifications.emails import build_email
from openhelp.platform.notifications.models import Notification
from tests.factories_officehours import OfficeHoursFactory, make_mentee, make_mentor, slots_of
from tests.harness.tasks import run_pending_tasks

from .ical_readers import READERS, Reading, read_everywhere, read_strict

# The module's scenario is built in the test database, once: in one test process (xdist_group), not in each
# process that happens to run one of these tests (about 3 s of CPU, and node-ical's, each time).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("calendar-readers")]
CLOCK = dt.datetime(2027, 9, 29, 12, 0, tzinfo=dt.UTC)
REPEAT_BERLIN = dt.date(2027, 10, 31)
REPEAT_NEW_YORK = dt.date(2027, 11, 7)
GAP_SYDNEY = dt.date(2027, 10, 3)
NAMES = {
    "berlin": 'Mira "the" Mentor;\nLine two, back\\slash: ROLE=CHAIR',
    "new_york": "Ny\u2028Yo\x85rk\r\nATTENDEE:mailto:evil@example.org",
    "sydney": "Syd\tney\x07\x1b ^caret^ \u00fc\u2713",
    "nico": "Nico\nMentee\r\nEND:VEVENT",
}
TOPIC = "Evil\r\nATTENDEE;CN=x:mailto:evil@example.org\nEND:VEVENT\nSUMMARY:;,\\"


def _rename(user, name: str) -> None:
    # Straight to the table, past any validation on the way in: names stored before it may hold anything.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Profile._meta.db_table} SET display_name = %s WHERE user_id = %s",  # noqa: S608
            [name, user.pk],
        )
    user.refresh_from_db()
    if hasattr(user, "profile"):
        user.profile.refresh_from_db()


def _day(block, day: dt.date):
    slots = [s for s in slots_of(block, days=45) if s.local_date == day]
    assert slots, f"{block.timezone} has no slot on {day}"
    return slots


def _book(block, mentee, start, topic="Query plans") -> Booking:
    return book_slot(mentee=mentee, office_hours=block, start=start, topic=topic, question="Why?")


def _bookings() -> tuple[dict, list[Booking]]:
    """The people and bookings of the scenario; the clock is frozen at CLOCK."""
    people = {
        "berlin": make_mentor(timezone="Europe/Berlin"),
        "new_york": make_mentor(timezone="America/New_York"),
        "sydney": make_mentor(timezone="Australia/Sydney"),
        "nico": make_mentee(timezone="America/New_York"),
    }
    night = {"start_time": dt.time(1, 0), "end_time": dt.time(4, 0), "horizon_weeks": 8}
    berlin = OfficeHoursFactory(mentor=people["berlin"], timezone="Europe/Berlin", **night)
    new_york = OfficeHoursFactory(mentor=people["new_york"], timezone="America/New_York", **night)
    sydney = OfficeHoursFactory(
        mentor=people["sydney"], timezone="Australia/Sydney", location_kind="chat", **night
    )
    daytime = OfficeHoursFactory(
        mentor=people["berlin"], start_time=dt.time(9, 0), end_time=dt.time(10, 0), horizon_weeks=8
    )
    others = (make_mentee() for _ in itertools.count())
    bookings = []

    repeat = _day(berlin, REPEAT_BERLIN)
    # The slots at 02:00 and 02:30 summer time, ambiguous as local times; one left free to move into.
    ambiguous = [s for s in repeat if s.start.astimezone(dt.UTC).hour == 0]
    assert len(ambiguous) == 2
    for slot in repeat:
        if slot is ambiguous[1]:
            continue
        mentee = people["nico"] if slot is ambiguous[0] else next(others)
        bookings.append(_book(berlin, mentee, slot.start, TOPIC if mentee == people["nico"] else "Plans"))
    for block, date in ((new_york, REPEAT_NEW_YORK), (sydney, GAP_SYDNEY)):
        bookings += [_book(block, next(others), slot.start) for slot in _day(block, date)]
    bookings.append(_book(sydney, people["nico"], _day(sydney, GAP_SYDNEY + dt.timedelta(days=1))[0].start))

    summer, winter = _day(daytime, dt.date(2027, 9, 30)), _day(daytime, dt.date(2027, 11, 2))
    moved_in_time = _book(daytime, people["nico"], summer[0].start)
    moved_in_time = reschedule_booking(
        booking=moved_in_time,
        actor=people["nico"],
        office_hours=daytime,
        start=winter[1].start,
        reason="later",
    )
    into_repeat = _book(daytime, next(others), summer[1].start)
    into_repeat = reschedule_booking(
        booking=into_repeat, actor=people["berlin"], office_hours=berlin, start=ambiguous[1].start, reason="x"
    )
    cancelled = _book(daytime, people["nico"], winter[0].start)
    cancelled = cancel_booking(booking=cancelled, actor=people["berlin"], reason="ill")
    # 01:30 daylight time in New York on the night 01:00–02:00 happens twice.
    in_repeat = next(b for b in bookings if b.start == dt.datetime(2027, 11, 7, 5, 30, tzinfo=dt.UTC))
    bookings.remove(in_repeat)
    cancelled_in_repeat = cancel_booking(booking=in_repeat, actor=people["new_york"], reason="ill")
    bookings += [moved_in_time, into_repeat, cancelled, cancelled_in_repeat]

    Booking.objects.filter(mentee=people["nico"]).update(location="Room 1\r\nORGANIZER:mailto:evil@x.org")
    for key, name in NAMES.items():
        _rename(people[key], name)
    return people, [Booking.objects.get(pk=b.pk) for b in bookings]


def _calendars(people, bookings) -> dict[str, bytes]:
    """Every invite (downloaded by each side, attached to each e-mail) and every person's feed."""
    calendars = {}
    clients = {}
    for person in people + [b.mentee for b in bookings]:
        clients[person.pk] = Client()
        clients[person.pk].force_login(person)
    for booking in bookings:
        for side in ("mentor", "mentee"):
            client = clients[getattr(booking, f"{side}_id")]
            response = client.get(reverse("officehours:booking-ics", args=[booking.pk]))
            assert response.status_code == 200
            calendars[f"download {booking.pk} {side}"] = response.content
    run_pending_tasks()
    for notification in Notification.objects.filter(event__startswith="booking.").order_by("pk"):
        for n, part in enumerate(build_email(notification).message().walk()):
            if part.get_content_type() == "text/calendar":
                calendars[f"e-mail {notification.pk} {notification.event} {n}"] = part.get_payload(
                    decode=True
                )
    for person in people + [b.mentee for b in bookings]:
        calendar = personal_calendar_for(person)
        response = Client().get(reverse("officehours:feed", args=[calendar.feed_key, calendar.feed_secret]))
        assert response.status_code == 200, response.content[:300]
        calendars[f"feed {person.pk}"] = response.content
    return calendars


def _api_bookings(person) -> dict[str, dict]:
    client = Client()
    client.force_login(person)
    found, url = {}, reverse("api:bookings-list") + "?past=1"
    while url:
        page = client.get(url).json()
        found.update({row["uid"]: row for row in page["results"]})
        url = page["next"]
    return found


def _instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC)


@dataclass(frozen=True)
class Scenario:
    people: dict[str, int]  # the named people's ids
    everyone: list[int]  # every person with a booking
    bookings: dict[str, int]  # the booking id of each booking's uid
    calendars: dict[str, bytes]
    readings: dict[str, dict[str, Reading]]
    api: dict[str, dict]  # the API's answer for each booking, by uid


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker) -> Scenario:
    """Built once for the module (it is the slow part) in a transaction rolled back before the tests,
    which only read what it gathered: the calendars, their readings and the API's answers."""
    rolled_back = transaction.atomic()
    rolled_back._from_testcase = True  # as in Django's TestCase: the services' durable blocks nest in it
    with django_db_blocker.unblock(), rolled_back, time_machine.travel(CLOCK, tick=False):
        people, bookings = _bookings()
        calendars = _calendars(list(people.values()), bookings)
        everyone = list(people.values()) + [b.mentee for b in bookings]
        api = {}
        for person in everyone:
            api.update(_api_bookings(person))
        transaction.set_rollback(True)
    return Scenario(
        people={key: person.pk for key, person in people.items()},
        everyone=sorted({person.pk for person in everyone}),
        bookings={str(b.uid): b.pk for b in bookings},
        calendars=calendars,
        readings=read_everywhere(calendars),
        api=api,
    )


def _event_booking(scenario: Scenario, event) -> dict:
    """The API's booking an event is about, by its UID (booking-<uid>@<host>)."""
    return scenario.api[event.uid.removeprefix("booking-").split("@")[0]]


def _differences(disagreements: dict) -> list:
    """What the readers disagree on, field by field, against the strict reader."""
    found = set()
    for by_reader in disagreements.values():
        base = by_reader["strict"]
        for reader, reading in by_reader.items():
            if (reading.method, reading.name) != (base.method, base.name):
                found.add((reader, "calendar", (reading.method, reading.name), (base.method, base.name)))
            if len(reading.events) != len(base.events):
                found.add((reader, "events", len(reading.events), len(base.events)))
            for mine, theirs in zip(reading.events, base.events, strict=False):
                for name in mine.__dataclass_fields__:
                    if getattr(mine, name) != getattr(theirs, name):
                        found.add((reader, name, getattr(mine, name), getattr(theirs, name)))
    return sorted(found, key=str)


def test_all_five_readers_read_every_invite_and_feed_the_same_way(scenario):
    assert set(scenario.readings) == set(scenario.calendars)
    disagreements = {
        label: by_reader
        for label, by_reader in scenario.readings.items()
        if len({by_reader[reader] for reader in READERS}) != 1
    }
    assert not disagreements, _differences(disagreements)


def test_every_invite_has_the_apis_instants_sequence_and_state(scenario):
    """Downloads, and the e-mails' attachments (built after the last change, so they carry the booking
    as it is now, like a download)."""
    seen = set()
    for label, by_reader in scenario.readings.items():
        if label.startswith("feed"):
            continue
        for reader, reading in by_reader.items():
            assert len(reading.events) == 1, (label, reader)
            event = reading.events[0]
            row = _event_booking(scenario, event)
            cancelled = row["state"] == BookingState.CANCELLED
            assert (event.start, event.end) == (_instant(row["start"]), _instant(row["end"])), (label, reader)
            assert event.sequence == row["sequence"], (label, reader)
            assert reading.method == ("CANCEL" if cancelled else "REQUEST"), (label, reader)
            assert event.status == ("CANCELLED" if cancelled else "CONFIRMED"), (label, reader)
            seen.add((label.split()[0], row["uid"]))
    assert {uid for kind, uid in seen if kind == "download"} == set(scenario.bookings)
    assert {uid for kind, uid in seen if kind == "e-mail"} == set(scenario.bookings)


def test_every_feed_lists_the_apis_confirmed_bookings_at_the_apis_instants(scenario):
    listed = 0
    for person in scenario.everyone:
        expected = {
            (_instant(row["start"]), _instant(row["end"]), row["sequence"])
            for row in scenario.api.values()
            if person in (row["mentor"]["id"], row["mentee"]["id"])
            and row["state"] == BookingState.CONFIRMED
            and _instant(row["end"]) >= CLOCK - FEED_PAST
        }
        for reader, reading in scenario.readings[f"feed {person}"].items():
            assert len(reading.events) == len(expected), (person, reader)
            assert {(e.start, e.end, e.sequence) for e in reading.events} == expected, (person, reader)
        listed += len(expected)
    confirmed = [uid for uid in scenario.bookings if scenario.api[uid]["state"] == BookingState.CONFIRMED]
    assert listed == 2 * len(confirmed)  # in the mentor's feed and in the mentee's


def test_the_repeated_hour_reads_as_the_apis_instants(scenario):
    """The case that failed in ical.js and node-ical, named: in Berlin's repeated hour, a booking from
    02:30 summer time (00:30 UTC) to 02:00 winter time (01:00 UTC) was read from 01:30 UTC to 01:00 UTC:
    an hour late, and ending before it started."""
    ambiguous = (
        dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2027, 10, 31, 1, 0, tzinfo=dt.UTC),
    )
    rows = [
        row for row in scenario.api.values() if (_instant(row["start"]), _instant(row["end"])) == ambiguous
    ]
    assert len(rows) == 1 and rows[0]["sequence"] == 1  # the booking moved into the repeated hour
    berlin = scenario.readings[f"feed {scenario.people['berlin']}"]
    for reader, reading in berlin.items():
        assert ambiguous in {(e.start, e.end) for e in reading.events}, reader
        assert all(e.end > e.start for e in reading.events), reader


def test_names_topics_and_places_stay_text_inside_their_property(scenario):
    for label, by_reader in scenario.readings.items():
        reading = by_reader["strict"]
        if label.startswith("feed"):
            assert reading.name.startswith(f"{settings.SITE_NAME}: ") and "\n" not in reading.name
        for event in reading.events:
            for value in (
                event.summary,
                event.description,
                event.location,
                event.organizer_cn,
                *event.attendee_cns,
            ):
                assert not any(ord(c) < 32 and c != "\n" for c in value or ""), (label, value)
                assert not set(value or "") & {"\x7f", "\x85", "\u2028", "\u2029"}, (label, value)
            if not label.startswith("feed"):
                assert len(event.attendee_cns) == 1 and event.organizer_cn, label
    nico = scenario.readings[f"feed {scenario.people['nico']}"]["node-ical"]
    assert nico.name == f"{settings.SITE_NAME}: Nico Mentee END:VEVENT"
    evil = next(e for e in nico.events if "Evil" in e.summary)
    assert evil.summary == (
        'Office hours with Mira "the" Mentor; Line two, back\\slash: ROLE=CHAIR: '
        "Evil ATTENDEE;CN=x:mailto:evil@example.org END:VEVENT SUMMARY:;,\\"
    )
    assert evil.location == "Room 1\nORGANIZER:mailto:evil@x.org"
    berlin_invites = [
        by_reader["node-ical"].events[0]
        for label, by_reader in scenario.readings.items()
        if label.startswith("download") and "Mira" in (by_reader["node-ical"].events[0].organizer_cn or "")
    ]
    assert berlin_invites
    for event in berlin_invites:
        assert event.organizer_cn == "Mira 'the' Mentor, Line two, back\\slash: ROLE=CHAIR"


@pytest.mark.parametrize(
    "name, shown",
    [
        ("Nico\nMentee", "Nico Mentee"),
        ("Nico\r\nX-EVIL:1", "Nico X-EVIL:1"),
        ("Nico\u2028Mentee\u2029", "Nico Mentee"),
        ("Nico\x0b\x1c\x85\x1fMentee", "Nico Mentee"),
    ],
)
def test_a_feed_and_an_invite_answer_whatever_a_stored_name_holds(client, block, mentor, mentee, name, shown):
    booking = _book(block, mentee, slots_of(block)[0].start)
    _rename(mentee, name)
    _rename(mentor, name)
    calendar = personal_calendar_for(mentee)
    response = client.get(reverse("officehours:feed", args=[calendar.feed_key, calendar.feed_secret]))
    assert response.status_code == 200
    client.force_login(mentor)
    download = client.get(reverse("officehours:booking-ics", args=[booking.pk]))
    assert download.status_code == 200
    feed, invite = read_strict(response.content), read_strict(download.content)
    assert feed.name == f"{settings.SITE_NAME}: {shown}"
    assert feed.events[0].summary == f"Office hours with {shown}: Query plans"
    assert (invite.events[0].organizer_cn, invite.events[0].attendee_cns) == (shown, (shown,))
