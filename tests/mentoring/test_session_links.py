"""From an ask, an offer or a booking to its session, through the API as on the web.

The web's ask and booking pages have "Open the session page"; the API had no way there but to page through
every session looking for the one whose ``ask`` or ``booking`` matched. Each now carries ``session``: the
session's id for its two people (``GET /api/v1/sessions/{id}/``), null for anyone else (a co-asker) and
until there is a session (nobody accepted yet; a booking's session follows its commit in the worker).
"""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.help.mentoring.models import Session
from openhelp.help.officehours.sessions import sync_from_booking
from openhelp.help.routing import services as routing
from openhelp.help.routing.models import Offer
from tests.factories import SkillFactory, UserFactory, make_access_token
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee, make_mentor
from tests.factories_routing import make_mentor as make_expert
from tests.factories_routing import open_ask
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def test_an_accepted_ask_and_its_offer_lead_to_the_session(django_capture_on_commit_callbacks):
    skill = SkillFactory(name="PostgreSQL")
    expert = make_expert(skill, name="Priya")
    ask = open_ask(skills=[skill], title="Slow query")
    co_asker = UserFactory()
    ask.co_askers.add(co_asker)
    routing.route_ask(ask=ask)
    offer = Offer.objects.get(ask=ask, mentor=expert)
    assert _api(ask.mentee).get(f"/api/v1/asks/{ask.pk}/").json()["session"] is None  # nobody accepted yet

    with django_capture_on_commit_callbacks(execute=True):
        accepted = _api(expert).post(f"/api/v1/offers/{offer.pk}/accept/")

    session = Session.objects.get(ask=ask)
    assert accepted.json()["session"] == session.pk
    assert _api(ask.mentee).get(f"/api/v1/asks/{ask.pk}/").json()["session"] == session.pk
    assert _api(ask.mentee).get("/api/v1/asks/").json()["results"][0]["session"] == session.pk
    assert _api(ask.mentee).get(f"/api/v1/sessions/{session.pk}/").status_code == 200
    # A co-asker follows the ask but is not in the session: no link to a page that answers 404.
    assert _api(co_asker).get(f"/api/v1/asks/{ask.pk}/").json()["session"] is None


def test_a_booking_leads_to_its_session():
    mentor, mentee = make_mentor(), make_mentee()
    booking = book(OfficeHoursFactory(mentor=mentor), mentee)
    assert _api(mentee).get(f"/api/v1/bookings/{booking.pk}/").json()["session"] is None  # the worker's next

    session = sync_from_booking(booking_id=booking.pk)

    for person in (mentee, mentor):
        assert _api(person).get(f"/api/v1/bookings/{booking.pk}/").json()["session"] == session.pk
        listed = _api(person).get("/api/v1/bookings/").json()["results"]
        assert [row["session"] for row in listed] == [session.pk]


def test_the_schema_says_so():
    components = openapi_schema()["components"]["schemas"]
    for name in ("Ask", "AskDetail", "Offer", "Booking"):
        field = components[name]["properties"]["session"]
        assert field["type"] == "integer" and field["nullable"] is True and field["readOnly"] is True, name
        assert "session" in components[name]["required"], name
