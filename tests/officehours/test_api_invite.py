"""A booking's calendar invitation over the API: the web download's bytes, for its mentee and its mentor
only; errors in the one JSON shape even when the client asked for text/calendar."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openhelp.help.officehours.changes import cancel_booking
from openhelp.platform.lib.clock import now
from tests.factories import make_access_token
from tests.factories_officehours import book, make_mentee
from tests.harness.openapi import openapi_schema

from . import ical_strict
from .conftest import client_for

PATH = "/api/v1/bookings/{id}/invite/"


def _url(booking) -> str:
    return PATH.format(id=booking.pk)


def _token_client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


@pytest.mark.parametrize("side", ["mentee", "mentor"])
def test_each_side_gets_the_same_invitation_as_the_web_download(request, block, mentee, side):
    booking = book(block, mentee)
    viewer = request.getfixturevalue(side)
    with time_machine.travel(now(), tick=False):  # one DTSTAMP for both downloads
        response = _token_client(viewer).get(_url(booking))
        web = client_for(viewer).get(reverse("officehours:booking-ics", args=[booking.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="booking-{booking.pk}.ics"'
    assert response.content == web.content
    cal = ical_strict.parse(response.content)
    assert cal.one("METHOD").value == "REQUEST"
    assert cal.walk("VEVENT")[0].one("ATTENDEE").value == f"mailto:{mentee.email}"


def test_a_client_may_ask_for_text_calendar(block, mentee):
    booking = book(block, mentee)
    response = _token_client(mentee).get(_url(booking), headers={"Accept": "text/calendar"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")


def test_a_cancelled_booking_is_a_cancel(block, mentee):
    booking = book(block, mentee)
    cancel_booking(booking=booking, actor=mentee, reason="Something came up")
    cal = ical_strict.parse(_token_client(mentee).get(_url(booking)).content)
    assert cal.one("METHOD").value == "CANCEL"
    assert cal.walk("VEVENT")[0].one("STATUS").value == "CANCELLED"


@pytest.mark.parametrize("accept", ["application/json", "text/calendar"])
def test_anyone_else_gets_a_json_404(block, mentee, accept):
    booking = book(block, mentee)
    response = _token_client(make_mentee()).get(_url(booking), headers={"Accept": accept})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
    assert _token_client(mentee).get(PATH.format(id=booking.pk + 1000)).status_code == 404


def test_anonymous_gets_a_json_401(block, mentee):
    booking = book(block, mentee)
    response = Client().get(_url(booking), headers={"Accept": "text/calendar"})
    assert response.status_code == 401 and "WWW-Authenticate" in response
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_schema_says_text_calendar_and_json_errors():
    responses = openapi_schema()["paths"][PATH]["get"]["responses"]
    assert list(responses["200"]["content"]) == ["text/calendar"]
    for code in ("401", "404", "429"):
        assert list(responses[code]["content"]) == ["application/json"], code
