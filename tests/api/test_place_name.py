"""Where a meeting happens is ``place`` in every answer: an ask's agreed call, its session, a booking, an
office-hours block, Today's upcoming items. An ask said ``scheduled_place`` and a booking ``location``
for the same idea; both old names stay in answers for one release, read-only and ``deprecated`` in the
schema (docs/api.md, "Renamed")."""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.help.asks.models import AskState
from openhelp.help.officehours.models import Booking
from tests.factories import make_access_token
from tests.factories_asks import ask_in_state
from tests.factories_mentoring import SessionFactory
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee, make_mentor
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def test_an_ask_a_session_and_a_booking_say_place():
    ask = ask_in_state(AskState.ACCEPTED)
    helper = _api(ask.helper)
    scheduled = helper.post(
        f"/api/v1/asks/{ask.pk}/schedule/",
        {"scheduled_for": "2099-01-01T10:00:00+01:00", "place": "Room 2"},
        content_type="application/json",
    ).json()
    made = SessionFactory(mentee=ask.mentee, mentor=ask.helper, place="Room 2")
    session = helper.get(f"/api/v1/sessions/{made.pk}/").json()

    mentee = make_mentee()
    booking = book(OfficeHoursFactory(mentor=make_mentor(), place="Room 7"), mentee)
    booked = _api(mentee).get(f"/api/v1/bookings/{booking.pk}/").json()

    assert (scheduled["place"], session["place"]) == ("Room 2", "Room 2")
    assert booked["place"] == Booking.objects.get(pk=booking.pk).location != ""
    assert scheduled["scheduled_place"] == scheduled["place"]  # the old names, for one release
    assert booked["location"] == booked["place"]


def test_the_old_names_are_deprecated_and_read_only_in_the_schema():
    components = openapi_schema()["components"]["schemas"]
    for component, old in (
        ("Ask", "scheduled_place"),
        ("AskDetail", "scheduled_place"),
        ("Booking", "location"),
    ):
        properties = components[component]["properties"]
        assert properties[old]["deprecated"] is True and properties[old]["readOnly"] is True, component
        assert "place" in properties and not properties["place"].get("deprecated"), component
