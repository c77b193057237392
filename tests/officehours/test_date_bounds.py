"""Dates and times at the edges of the calendar (year 1, year 9999) in every office-hours input that becomes
a date range or an instant: a 400 with a field error (or a 404 for a URL that names no slot), never a 500.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.help.asks.models import AskState
from tests.factories_asks import ask_in_state
from tests.factories_officehours import book, make_mentee

from .conftest import client_for

FAR_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"]
FAR_TIMES = [
    "9999-12-31T23:30:00+00:00",
    "9999-12-31T23:30:00-05:00",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00Z",
    "1899-12-31T09:00:00Z",
]
FAR_LOCAL_TIMES = ["9999-12-31T23:30", "0001-01-01T00:00", "1899-12-31T09:00"]
FAR_KEYS = ["99991231T233000Z", "00010101T000000Z"]


def _assert_field_error(response, field: str) -> None:
    assert response.status_code == 400, response.content[:300]
    fields = response.json()["error"]["fields"]
    assert list(fields) == [field] and fields[field], fields


@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize("field", ["start", "end"])
def test_the_slots_list_refuses_a_far_date(mentee_client, block, field, value):
    params = {field: value}
    if field == "end":
        params["start"] = value  # an end alone would only be "before the start"
    response = mentee_client.get(reverse("api:office-hours-slots"), params)
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("value", FAR_TIMES)
def test_booking_refuses_a_far_start(mentee_client, block, value):
    response = mentee_client.post(
        reverse("api:bookings-list"),
        {"office_hours": block.pk, "start": value, "topic": "x"},
        content_type="application/json",
    )
    _assert_field_error(response, "start")


@pytest.mark.parametrize("value", FAR_TIMES)
def test_rescheduling_refuses_a_far_start(mentee_client, block, mentee, value):
    booking = book(block, mentee)
    response = mentee_client.post(
        reverse("api:bookings-reschedule", args=[booking.pk]),
        {"office_hours": block.pk, "start": value, "reason": "later"},
        content_type="application/json",
    )
    _assert_field_error(response, "start")


@pytest.mark.parametrize("value", FAR_TIMES)
def test_the_waiting_list_refuses_a_far_start(block, value):
    client = client_for(make_mentee())
    response = client.post(
        reverse("api:waitlist-list"),
        {"office_hours": block.pk, "start": value, "topic": "x"},
        content_type="application/json",
    )
    _assert_field_error(response, "start")


@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_api_time_off_refuses_a_far_date(mentor_client, block, field, value):
    body = {"start_date": "2025-06-10", field: value}
    response = mentor_client.post(reverse("api:office-hours-time-off"), body, content_type="application/json")
    _assert_field_error(response, field)


@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_web_time_off_refuses_a_far_date_and_keeps_what_was_typed(mentor_client, block, field, value):
    data = {"start_date": "2025-06-10", "end_date": "", "note": "away", field: value}
    response = mentor_client.post(reverse("officehours:time-off"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert form[field].value() == value and form["note"].value() == "away"


@pytest.mark.parametrize("value", FAR_DATES)
def test_the_week_page_refuses_a_far_day(mentee_client, block, value):
    response = mentee_client.get(reverse("officehours:week"), {"day": value})
    assert response.status_code == 200
    assert "day" in response.context["form"].errors


@pytest.mark.parametrize("key", FAR_KEYS)
def test_a_slot_url_at_a_far_time_is_not_found(mentee_client, block, key):
    assert mentee_client.get(reverse("officehours:book", args=[block.pk, key])).status_code == 404
    response = mentee_client.post(reverse("officehours:book", args=[block.pk, key]), {"topic": "x"})
    assert response.status_code == 404
    response = mentee_client.post(reverse("officehours:waitlist-join", args=[block.pk, key]), {"topic": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("value", FAR_LOCAL_TIMES)
def test_proposed_times_refuse_a_far_time_and_keep_what_was_typed(mentor, mentee, block, value):
    ask = ask_in_state(AskState.ACCEPTED, helper=mentor, mentee=mentee)
    response = client_for(mentor).post(
        reverse("officehours:ask-schedule", args=[ask.pk]),
        {"propose": "1", "time_1": value, "location": "Room 1"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "time_1" in form.errors and form["location"].value() == "Room 1"


@pytest.mark.parametrize("key", FAR_KEYS)
def test_picking_a_slot_at_a_far_time_for_an_ask_is_refused(mentor, mentee, block, key):
    ask = ask_in_state(AskState.ACCEPTED, helper=mentor, mentee=mentee)
    response = client_for(mentee).post(
        reverse("officehours:ask-schedule", args=[ask.pk]), {"slot": f"{block.pk}:{key}"}
    )
    assert response.status_code == 200  # the page again, with "Choose one of the listed slots."
    ask.refresh_from_db()
    assert ask.state == AskState.ACCEPTED
