"""The session page offers the debrief only when the debrief page would take it (one rule:
``lifecycle.debrief_window``); before that it says when the debrief opens, in the viewer's own time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openhelp.help.mentoring.models import SessionFormat
from tests.factories_mentoring import SessionFactory

pytestmark = pytest.mark.django_db

# The call is the day after the frozen clock (tests/mentoring/conftest.py START, Monday 06:00 UTC): Tuesday 10:00 UTC, 30 minutes.
CALL_AT = dt.datetime(2025, 6, 3, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def session(mentee, mentor):
    return SessionFactory(mentee=mentee, mentor=mentor, starts_at=CALL_AT, title="Read my A/B test")


def session_page(client, session) -> str:
    response = client.get(reverse("mentoring:detail", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def debrief_href(session) -> str:
    return f'href="{reverse("mentoring:debrief", args=[session.pk])}"'


def test_before_the_start_it_says_when_the_debrief_opens_instead_of_offering_it(
    session, mentee_client, mentor_client
):
    mentee_page = session_page(mentee_client, session)  # the mentee lives in New York
    mentor_page = session_page(mentor_client, session)  # the mentor in Berlin

    for page in (mentee_page, mentor_page):
        assert debrief_href(session) not in page
        assert "Write the debrief" not in page
    assert (
        'Debrief opens at <time datetime="2025-06-03T10:00:00+00:00">Tue 3 Jun, 06:00 EDT</time>'
        in mentee_page
    )
    assert (
        'Debrief opens at <time datetime="2025-06-03T10:00:00+00:00">Tue 3 Jun, 12:00 CEST</time>'
        in mentor_page
    )


def test_from_the_start_it_offers_the_debrief(session, mentee_client, time_travel):
    time_travel.move_to(CALL_AT + dt.timedelta(minutes=1))

    page = session_page(mentee_client, session)

    assert debrief_href(session) in page
    assert "Write the debrief" in page
    assert "Debrief opens at" not in page


def test_without_an_agreed_time_it_says_why_the_debrief_is_not_open(mentee, mentor, mentee_client):
    session = SessionFactory(mentee=mentee, mentor=mentor, starts_at=None)

    page = session_page(mentee_client, session)

    assert debrief_href(session) not in page
    assert "No time is agreed for this call yet; the debrief opens when the call starts." in page


def test_an_async_session_offers_the_debrief_at_once(mentee, mentor, mentee_client):
    session = SessionFactory(mentee=mentee, mentor=mentor, format=SessionFormat.ASYNC, starts_at=None)

    assert debrief_href(session) in session_page(mentee_client, session)


@pytest.mark.parametrize("minutes_from_start", [-60, -1, 1, 60])
def test_the_button_shows_exactly_when_the_debrief_page_takes_a_debrief(
    session, mentee_client, time_travel, minutes_from_start
):
    time_travel.move_to(CALL_AT + dt.timedelta(minutes=minutes_from_start))

    offered = debrief_href(session) in session_page(mentee_client, session)
    debrief_page = mentee_client.get(reverse("mentoring:debrief", args=[session.pk])).content.decode()

    assert offered == ("Save the debrief" in debrief_page)
    assert offered == (minutes_from_start > 0)
