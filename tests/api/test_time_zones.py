"""Every date-time in the API is in the caller's own time zone (their profile's), with its offset, whichever
way the caller signs in — as the pages show it.

With a browser session the zone was the person's (the middleware reads it before the view); with a personal
access token it was UTC, because the token is only read inside the API view, after the middleware had seen
an anonymous request. The same person reading the same ask got ``…+01:00`` in one and ``…Z`` in the other,
and a booking's ``start`` (UTC) did not match the ``start`` of the slot it was booked from (the slots list
is in the person's zone), so a client could not find its booking among the slots by comparing them.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import SkillFactory, make_access_token
from tests.factories_officehours import OfficeHoursFactory, make_mentee, make_mentor

pytestmark = pytest.mark.django_db
WINTER = dt.datetime(2027, 1, 12, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _winter():
    with time_machine.travel(WINTER, tick=False):
        yield


def _by_token(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def _by_session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_token_and_a_session_read_the_same_times():
    mentee = make_mentee(timezone="Europe/Berlin")
    ask = _by_token(mentee).post(
        "/api/v1/asks/",
        {
            "title": "Help",
            "objective": "ship",
            "preparation_questions": ["Why?"],
            "skills": [SkillFactory().pk],
        },
        content_type="application/json",
    )
    path = f"/api/v1/asks/{ask.json()['id']}/"

    by_token, by_session = _by_token(mentee).get(path).json(), _by_session(mentee).get(path).json()

    assert by_token["created_at"] == by_session["created_at"]
    assert by_token["created_at"].endswith("+01:00")  # Berlin in January


def test_a_booking_starts_when_its_slot_did():
    mentor, mentee = make_mentor(timezone="America/New_York"), make_mentee(timezone="Asia/Tokyo")
    block = OfficeHoursFactory(mentor=mentor, timezone="America/New_York")
    api = _by_token(mentee)
    slot = api.get("/api/v1/office-hours/slots/", {"mentor": mentor.pk}).json()["results"][0]

    booking = api.post(
        "/api/v1/bookings/",
        {"office_hours": block.pk, "start": slot["start"], "topic": "Indexes"},
        content_type="application/json",
    )

    assert booking.status_code == 201, booking.content
    assert slot["start"].endswith("+09:00")
    assert booking.json()["start"] == slot["start"] and booking.json()["end"] == slot["end"]
    assert api.get(booking["Location"]).json()["start"] == slot["start"]
