"""A session for every interaction: made from an accepted ask or a booking, and kept in step with them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openhelp.help.asks.models import AskFormat, AskState
from openhelp.help.asks.services import cancel_ask, record_agreed_time
from openhelp.help.mentoring import services
from openhelp.help.mentoring.models import Session, SessionFormat, SessionState
from openhelp.help.officehours.changes import cancel_booking, reschedule_booking
from openhelp.help.routing.services import RoutingConflict, accept_offer
from openhelp.platform.lib.clock import now
from tests.factories_asks import AskFactory, ask_in_state
from tests.factories_officehours import OfficeHoursFactory, book, first_slot
from tests.factories_routing import OfferFactory
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db


def _offered_ask(mentee, skill, **fields):
    return AskFactory(
        mentee=mentee,
        skills=[skill],
        state=AskState.OFFERED,
        published_at=now(),
        preparation_questions=["Which test fits conversion rates?", "How many users do I need?"],
        **fields,
    )


def test_it_makes_a_session_when_an_expert_accepts_an_ask(
    mentee, mentor, skill, django_capture_on_commit_callbacks
):
    ask = _offered_ask(mentee, skill, format=AskFormat.CALL_30)
    offer = OfferFactory(ask=ask, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        accept_offer(offer=offer, mentor=mentor)

    session = Session.objects.get(ask=ask)
    assert (session.mentee, session.mentor) == (mentee, mentor)
    assert session.title == ask.title
    assert session.objective == ask.objective
    assert session.preparation_questions == ["Which test fits conversion rates?", "How many users do I need?"]
    assert list(session.skills.all()) == [skill]
    assert session.format == SessionFormat.CALL
    assert session.planned_minutes == 30
    assert session.starts_at is None  # no time agreed yet
    assert [step.title for step in session.steps.all()] == [
        "Objective and preparation",
        "Watch one",
        "Do one",
        "Debrief",
    ]
    assert sum(step.minutes for step in session.steps.all()) == 30


def test_it_makes_an_async_session_for_an_async_ask(
    mentee, mentor, skill, django_capture_on_commit_callbacks
):
    ask = _offered_ask(mentee, skill, format=AskFormat.ASYNC)
    with django_capture_on_commit_callbacks(execute=True):
        accept_offer(offer=OfferFactory(ask=ask, mentor=mentor), mentor=mentor)

    session = Session.objects.get(ask=ask)
    assert session.format == SessionFormat.ASYNC
    assert session.starts_at is None and session.ends_at is None
    assert session.steps.count() == 0  # async answers start with a blank agenda


def test_it_leaves_no_session_when_the_accept_is_refused(
    mentee, mentor, skill, django_capture_on_commit_callbacks
):
    ask = _offered_ask(mentee, skill)
    offer = OfferFactory(ask=ask, mentor=mentor, state="expired")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RoutingConflict):
        accept_offer(offer=offer, mentor=mentor)
    assert not Session.objects.filter(ask=ask).exists()


def test_it_is_idempotent_for_the_same_ask(mentee, mentor, skill):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill])
    first = services.session_for_ask(ask)
    second = services.session_for_ask(ask)
    assert first.pk == second.pk
    assert Session.objects.filter(ask=ask).count() == 1


def test_it_follows_the_time_agreed_for_an_ask(mentee, mentor, skill, django_capture_on_commit_callbacks):
    ask = ask_in_state(
        AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill], format=AskFormat.CALL_60
    )
    services.session_for_ask(ask)
    when = now() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        record_agreed_time(ask=ask, actor=mentee, scheduled_for=when, place="https://meet.example.org/x")

    session = Session.objects.get(ask=ask)
    assert session.starts_at == when
    assert session.ends_at == when + dt.timedelta(minutes=60)
    assert session.place == "https://meet.example.org/x"


def test_it_cancels_the_session_when_the_ask_is_cancelled(
    mentee, mentor, skill, django_capture_on_commit_callbacks
):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill])
    session = services.session_for_ask(ask)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_ask(ask=ask, actor=mentee, reason="Solved it myself")
    session.refresh_from_db()
    assert session.state == SessionState.CANCELLED


def test_it_makes_a_session_from_an_office_hours_booking(
    mentee, mentor, skill, django_capture_on_commit_callbacks
):
    block = OfficeHoursFactory(mentor=mentor, skills=[skill], place="Room 4.12")
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(block, mentee, topic="Query plans")
    assert not Session.objects.exists()  # not in the booking's request: the worker makes it

    with django_capture_on_commit_callbacks(execute=True):
        run_pending_tasks()
    session = Session.objects.get(booking=booking)
    assert (session.mentee, session.mentor) == (mentee, mentor)
    assert session.format == SessionFormat.OFFICE_HOURS
    assert session.title == "Query plans"
    assert session.preparation_questions == ["Why a seq scan?"]
    assert (session.starts_at, session.ends_at) == (booking.start, booking.end)
    assert session.place == "Room 4.12"
    assert list(session.skills.all()) == [skill]


def test_it_follows_a_rescheduled_booking(mentee, mentor, django_capture_on_commit_callbacks):
    block = OfficeHoursFactory(mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(block, mentee)
        run_pending_tasks()
    later = first_slot(block, skip=3)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(
            booking=booking, actor=mentee, office_hours=block, start=later.start, reason="Clash"
        )
        run_pending_tasks()

    session = Session.objects.get(booking=booking)
    assert session.starts_at == later.start
    assert Session.objects.count() == 1


def test_it_cancels_the_session_of_a_cancelled_booking(mentee, mentor, django_capture_on_commit_callbacks):
    block = OfficeHoursFactory(mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(block, mentee, skip=20)
        run_pending_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, actor=mentee, reason="Ill")
        run_pending_tasks()
    assert Session.objects.get(booking=booking).state == SessionState.CANCELLED


def test_it_links_the_booking_of_an_ask_to_the_ask_session(
    mentee, mentor, skill, django_capture_on_commit_callbacks
):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill])
    block = OfficeHoursFactory(mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(block, mentee, ask=ask)
    with django_capture_on_commit_callbacks(execute=True):
        run_pending_tasks()

    session = Session.objects.get(ask=ask)
    assert session.booking == booking
    assert session.starts_at == booking.start
    assert Session.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, actor=mentor, reason="Something came up")
    with django_capture_on_commit_callbacks(execute=True):
        run_pending_tasks()
    session.refresh_from_db()
    assert session.booking is None and session.starts_at is None
    assert session.state == SessionState.PLANNED  # the ask lives on and gets another time


def test_it_opens_the_session_from_the_ask_or_booking_page(
    mentee, mentor, mentee_client, mentor_client, skill
):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill])
    response = mentor_client.get(reverse("mentoring:for-ask", args=[ask.pk]))
    session = Session.objects.get(ask=ask)
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:detail", args=[session.pk])
    assert mentee_client.get(reverse("mentoring:for-ask", args=[ask.pk])).status_code == 302
    assert Session.objects.count() == 1

    block = OfficeHoursFactory(mentor=mentor)
    booking = book(block, mentee)  # no commit callbacks: the page makes the session itself
    response = mentee_client.get(reverse("officehours:booking-session", args=[booking.pk]))
    assert response["Location"] == reverse("mentoring:detail", args=[Session.objects.get(booking=booking).pk])


def test_it_shows_nobody_else_the_way_in(stranger_client, mentee, mentor, skill):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill])
    assert stranger_client.get(reverse("mentoring:for-ask", args=[ask.pk])).status_code == 404
    assert not Session.objects.exists()


def test_it_links_the_session_from_the_ask_and_booking_pages(
    mentee, mentor, mentee_client, mentor_client, skill
):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill])
    link = reverse("mentoring:for-ask", args=[ask.pk])
    assert link in mentee_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert link in mentor_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()

    booking = book(OfficeHoursFactory(mentor=mentor), mentee)
    page = mentee_client.get(reverse("officehours:booking", args=[booking.pk])).content.decode()
    assert reverse("officehours:booking-session", args=[booking.pk]) in page
    assert reverse("mentoring:list") in page  # the "Sessions" link in the navigation
