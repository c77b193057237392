"""Who may open what: every office-hours page and endpoint from the mentor's, the mentee's, an outsider's
and an anonymous visitor's side. Others' blocks and bookings answer 404, never 403."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.help.asks.models import AskState
from openhelp.help.officehours.services import personal_calendar_for
from tests.factories_asks import ask_in_state
from tests.factories_officehours import (
    OfficeHoursFactory,
    TimeOffFactory,
    book,
    first_slot,
    make_mentee,
    make_mentor,
)
from tests.harness.access import Row, assert_access_matrix

from .conftest import client_for


@pytest.fixture
def world(mentor, mentee, block, group_block):
    booking = book(block, mentee)
    calendar = personal_calendar_for(mentee)
    ask = ask_in_state(AskState.ACCEPTED, helper=mentor, mentee=mentee)
    # Someone else's time off: nobody in the matrix may remove it.
    time_off = TimeOffFactory(office_hours=OfficeHoursFactory(mentor=make_mentor()))
    return SimpleNamespace(
        time_off=time_off,
        block=block,
        booking=booking,
        slot=first_slot(group_block),
        group=group_block,
        calendar=calendar,
        ask=ask,
        clients={
            "mentor": client_for(mentor),
            "mentee": client_for(mentee),
            "outsider": client_for(make_mentee()),
            "anonymous": Client(),
        },
    )


ALL = ("mentor", "mentee", "outsider")


def everyone(status: int, anonymous: int = 302) -> dict[str, int]:
    return {**dict.fromkeys(ALL, status), "anonymous": anonymous}


PAGES = [
    Row("GET", lambda w: reverse("officehours:mine"), everyone(200)),
    Row("GET", lambda w: reverse("officehours:block-new"), everyone(200)),
    Row("GET", lambda w: reverse("officehours:block-preview"), everyone(200)),
    Row(
        "GET",
        lambda w: reverse("officehours:block-edit", args=[w.block.pk]),
        {"mentor": 200, "mentee": 404, "outsider": 404, "anonymous": 302},
    ),
    Row(
        "POST",
        lambda w: reverse("officehours:block-delete", args=[w.block.pk]),
        {"mentee": 404, "outsider": 404, "anonymous": 302},
    ),
    Row("GET", lambda w: reverse("officehours:time-off"), everyone(200)),
    Row("GET", lambda w: reverse("officehours:week"), everyone(200)),
    Row("GET", lambda w: reverse("officehours:mentor", args=[w.block.mentor_id]), everyone(200)),
    Row("GET", lambda w: reverse("officehours:mentor", args=[999999]), everyone(404)),
    Row("GET", lambda w: reverse("officehours:book", args=[w.group.pk, w.slot.key]), everyone(200)),
    Row("GET", lambda w: reverse("officehours:book", args=[w.group.pk, "not-a-time"]), everyone(404)),
    Row(
        "GET",
        lambda w: reverse("officehours:booking", args=[w.booking.pk]),
        {**everyone(200), "outsider": 404},
    ),
    Row(
        "GET",
        lambda w: reverse("officehours:booking-ics", args=[w.booking.pk]),
        {**everyone(200), "outsider": 404},
    ),
    Row(
        "GET",
        lambda w: reverse("officehours:booking-cancel", args=[w.booking.pk]),
        {**everyone(200), "outsider": 404},
    ),
    Row(
        "GET",
        lambda w: reverse("officehours:booking-reschedule", args=[w.booking.pk]),
        {**everyone(200), "outsider": 404},
    ),
    Row(
        "POST",
        lambda w: reverse("officehours:booking-cancel", args=[w.booking.pk]),
        {"outsider": 404, "anonymous": 302},
        data={"reason": "not mine"},
    ),
    Row("GET", lambda w: reverse("officehours:calendar"), everyone(200)),
    Row(
        "GET",
        lambda w: reverse("officehours:feed", args=[w.calendar.feed_key, w.calendar.feed_secret]),
        everyone(200, anonymous=200),
    ),
    Row(
        "GET", lambda w: reverse("officehours:feed", args=[w.calendar.feed_key, "x" * 43]), everyone(404, 404)
    ),
    Row(
        "GET",
        lambda w: reverse("officehours:ask-schedule", args=[w.ask.pk]),
        {**everyone(200), "outsider": 404},
    ),
    Row(
        "POST",
        lambda w: reverse("officehours:booking-reschedule", args=[w.booking.pk]),
        {"outsider": 404, "anonymous": 302},
        data={"reason": "x"},
    ),
    Row(
        "POST",
        lambda w: reverse("officehours:waitlist-join", args=[w.group.pk, w.slot.key]),
        {"anonymous": 302},
        data={"topic": "x"},
    ),
    Row("POST", lambda w: reverse("officehours:waitlist-leave", args=[999999]), everyone(404)),
    Row("POST", lambda w: reverse("officehours:time-off-delete", args=[w.time_off.pk]), everyone(404)),
    Row("POST", lambda w: reverse("officehours:calendar-rotate"), {"anonymous": 302}),
]

API = [
    Row("GET", lambda w: "/api/v1/office-hours/", everyone(200, 401)),
    Row("GET", lambda w: f"/api/v1/office-hours/{w.block.pk}/", {**everyone(404, 401), "mentor": 200}),
    Row("GET", lambda w: "/api/v1/office-hours/slots/", everyone(200, 401)),
    Row("GET", lambda w: "/api/v1/office-hours/time-off/", everyone(200, 401)),
    Row("GET", lambda w: "/api/v1/bookings/", everyone(200, 401)),
    Row("GET", lambda w: f"/api/v1/bookings/{w.booking.pk}/", {**everyone(200, 401), "outsider": 404}),
    Row("GET", lambda w: f"/api/v1/bookings/{w.booking.pk}/invite/", {**everyone(200, 401), "outsider": 404}),
    Row(
        "POST",
        lambda w: f"/api/v1/bookings/{w.booking.pk}/cancel/",
        {"outsider": 404, "anonymous": 401},
        data={"reason": "x"},
        json=True,
    ),
    Row(
        "POST",
        lambda w: f"/api/v1/bookings/{w.booking.pk}/reschedule/",
        {"outsider": 404, "anonymous": 401},
        data={"reason": "x"},
        json=True,
    ),
    Row("GET", lambda w: "/api/v1/waitlist/", everyone(200, 401)),
    Row("DELETE", lambda w: "/api/v1/waitlist/999999/", everyone(404, 401)),
    Row("GET", lambda w: "/api/v1/calendar/", everyone(200, 401)),
    Row("POST", lambda w: "/api/v1/bookings/", {"anonymous": 401}, data={}, json=True),
    Row("POST", lambda w: "/api/v1/office-hours/", {"anonymous": 401}, data={}, json=True),
    Row(
        "PATCH",
        lambda w: f"/api/v1/office-hours/{w.block.pk}/",
        {"mentor": 200, "mentee": 404, "outsider": 404, "anonymous": 401},
        data={},
        json=True,
    ),
    Row(
        "DELETE",
        lambda w: f"/api/v1/office-hours/{w.block.pk}/",
        {"mentee": 404, "outsider": 404, "anonymous": 401},
    ),
    Row("DELETE", lambda w: f"/api/v1/office-hours/time-off/{w.time_off.pk}/", everyone(404, 401)),
    Row("POST", lambda w: "/api/v1/waitlist/", {"anonymous": 401}, data={}, json=True),
    Row("PATCH", lambda w: "/api/v1/calendar/", {"anonymous": 401}, data={}, json=True),
    Row("POST", lambda w: "/api/v1/calendar/rotate/", everyone(200, 401)),
]


def test_it_enforces_the_access_matrix_on_pages(world):
    assert_access_matrix(PAGES, world)


def test_it_enforces_the_access_matrix_on_the_api(world):
    assert_access_matrix(API, world)
