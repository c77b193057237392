"""A step sent again after its answer was lost (a timeout, a dropped connection) answers as the first one
did, and changes nothing: a client can retry a cancel or a "it helped" without reading a 409's words to
learn that it had worked. (Accepting an offer: tests/routing/test_api.py; booking a slot takes an
Idempotency-Key: tests/officehours/test_api.py.)

Someone who may not take the step still gets the refusal, and a step the ask's state does not allow stays a
409: only the step that put the ask, or the booking, where it is is taken as done."""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.help.asks.models import AskState
from openhelp.help.officehours.models import BookingEvent
from tests.factories import UserFactory, make_access_token
from tests.factories_asks import ask_in_state
from tests.factories_officehours import OfficeHoursFactory, book, make_mentee, make_mentor

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def _post(client: Client, path: str, body: dict | None = None):
    return client.post(path, body or {}, content_type="application/json")


def test_cancelling_an_ask_again_answers_the_cancelled_ask():
    ask = ask_in_state(AskState.OPEN)
    api = _api(ask.mentee)
    first = _post(api, f"/api/v1/asks/{ask.pk}/cancel/", {"reason": "Solved it myself"})

    again = _post(api, f"/api/v1/asks/{ask.pk}/cancel/", {"reason": "Solved it myself"})

    assert first.status_code == 200 and again.status_code == 200
    assert again.json()["state"] == "cancelled" and again.json()["cancel_reason"] == "Solved it myself"
    assert ask.events.filter(kind="cancelled").count() == 1


def test_confirming_it_helped_again_answers_the_completed_ask():
    ask = ask_in_state(AskState.ANSWERED)
    api = _api(ask.mentee)
    assert _post(api, f"/api/v1/asks/{ask.pk}/complete/").status_code == 200

    again = _post(api, f"/api/v1/asks/{ask.pk}/complete/")

    assert again.status_code == 200 and again.json()["state"] == "completed"
    assert ask.events.filter(kind="completed").count() == 1


def test_a_step_the_state_does_not_allow_is_still_a_409_and_a_stranger_still_refused():
    completed = ask_in_state(AskState.COMPLETED)
    cancel = _post(_api(completed.mentee), f"/api/v1/asks/{completed.pk}/cancel/", {"reason": "No"})
    assert cancel.status_code == 409

    cancelled = ask_in_state(AskState.CANCELLED, co_askers=[co_asker := UserFactory()])
    refused = _post(_api(co_asker), f"/api/v1/asks/{cancelled.pk}/cancel/", {"reason": "No"})
    assert refused.status_code == 403


def test_cancelling_a_booking_again_answers_the_cancelled_booking():
    mentor, mentee = make_mentor(), make_mentee()
    booking = book(OfficeHoursFactory(mentor=mentor), mentee)
    api = _api(mentee)
    first = _post(api, f"/api/v1/bookings/{booking.pk}/cancel/", {"reason": "Clash"})

    again = _post(api, f"/api/v1/bookings/{booking.pk}/cancel/", {"reason": "Clash"})

    assert first.status_code == 200 and again.status_code == 200, again.content
    assert again.json()["state"] == "cancelled" and again.json() == first.json()
    assert BookingEvent.objects.filter(booking=booking, kind="cancelled").count() == 1
