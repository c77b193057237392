"""The session's one state machine, in step with its ask and its booking: a session completes only once it
has taken place, completing it closes its ask in the same transaction, a cancelled ask or booking cancels it,
and nothing moves outside the table."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.help.asks.lifecycle import transition as ask_transition
from openhelp.help.asks.models import AskEvent, AskFormat, AskState
from openhelp.help.asks.services import cancel_ask, confirm_helped, record_agreed_time
from openhelp.help.mentoring import attendance, debriefs, lifecycle, services
from openhelp.help.mentoring.models import AttendanceKind, Debrief, Session, SessionState
from openhelp.help.mentoring.services import SessionConflict
from openhelp.help.officehours.changes import cancel_booking
from tests.factories_asks import ask_in_state
from tests.factories_mentoring import SessionFactory
from tests.factories_officehours import OfficeHoursFactory, book
from tests.harness.tasks import run_pending_tasks
from tests.mentoring.conftest import START

pytestmark = pytest.mark.django_db

# The call is agreed for the day after START (Monday 06:00 UTC): Tuesday 10:00 UTC, 30 minutes.
CALL_AT = dt.datetime(2025, 6, 3, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def scheduled(mentee, mentor, skill, django_capture_on_commit_callbacks):
    """A call ask agreed for tomorrow, and its session."""
    ask = ask_in_state(
        AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill], format=AskFormat.CALL_30
    )
    services.session_for_ask(ask)
    with django_capture_on_commit_callbacks(execute=True):
        record_agreed_time(ask=ask, actor=mentee, scheduled_for=CALL_AT, place="https://meet.example.org/x")
    session = Session.objects.get(ask=ask)
    assert session.starts_at == CALL_AT
    return session


def states(session) -> tuple[str, str]:
    session = Session.objects.select_related("ask").get(pk=session.pk)
    return session.state, session.ask.state


def test_it_refuses_a_debrief_before_the_session_starts(scheduled, mentee):
    with pytest.raises(SessionConflict, match=r"opens when the session starts \(2025-06-03 10:00 UTC\)"):
        debriefs.record_debrief(session=scheduled, actor=mentee, outcome="solved", takeaways=["Ship it"])

    assert states(scheduled) == (SessionState.PLANNED, AskState.SCHEDULED)
    assert Session.objects.get(pk=scheduled.pk).completed_at is None
    assert not Debrief.objects.exists()


def test_the_api_answers_409_before_the_start(scheduled, mentee):
    client = APIClient()
    client.force_authenticate(mentee)
    response = client.patch(
        reverse("api:sessions-debrief", args=[scheduled.pk]), {"outcome": "solved"}, format="json"
    )

    assert response.status_code == 409
    assert "opens when the session starts" in response.json()["error"]["message"]
    assert states(scheduled) == (SessionState.PLANNED, AskState.SCHEDULED)


def test_the_page_says_when_the_debrief_opens_and_a_refused_save_keeps_what_was_typed(
    scheduled, mentee_client
):
    url = reverse("mentoring:debrief", args=[scheduled.pk])
    page = mentee_client.get(url).content.decode()
    assert "opens when the session starts" in page
    assert "Save the debrief" not in page

    response = mentee_client.post(url, {"takeaways": "Decide the sample size first", "outcome": "solved"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "opens when the session starts" in page
    assert "Decide the sample size first" in page
    assert states(scheduled) == (SessionState.PLANNED, AskState.SCHEDULED)


def test_the_page_says_when_the_debrief_opens_in_the_viewers_own_time(scheduled, mentee_client):
    url = reverse("mentoring:debrief", args=[scheduled.pk])  # the mentee lives in New York

    page = mentee_client.get(url).content.decode()
    refused = mentee_client.post(url, {"takeaways": "Decide the sample size first", "outcome": "solved"})

    for body in (page, refused.content.decode()):
        assert "opens when the session starts (Tue 3 Jun, 06:00 EDT)" in body
        assert "10:00 UTC" not in body


def test_a_debrief_after_the_start_completes_the_session_and_closes_the_ask(
    scheduled, mentee, mentee_client, time_travel
):
    time_travel.move_to(CALL_AT + dt.timedelta(minutes=5))
    debriefs.record_debrief(session=scheduled, actor=mentee, outcome="solved", takeaways=["Ship it"])

    assert states(scheduled) == (SessionState.COMPLETED, AskState.COMPLETED)
    event = AskEvent.objects.filter(ask=scheduled.ask, to_state=AskState.COMPLETED).get()
    assert (event.from_state, event.actor) == (AskState.SCHEDULED, mentee)
    page = mentee_client.get(reverse("asks:detail", args=[scheduled.ask_id])).content.decode()
    assert "mark as solved" not in page
    assert "Cancel the ask" not in page
    # A later edit of the debrief changes nothing in either state machine.
    debriefs.record_debrief(session=scheduled, actor=mentee, takeaways=["Ship it", "Then measure"])
    assert AskEvent.objects.filter(ask=scheduled.ask, to_state=AskState.COMPLETED).count() == 1


def test_saying_it_happened_completes_the_session_and_closes_the_ask(scheduled, mentor, time_travel):
    time_travel.move_to(CALL_AT + dt.timedelta(minutes=45))
    attendance.report_attendance(session=scheduled, reporter=mentor, kind=AttendanceKind.HAPPENED)

    assert states(scheduled) == (SessionState.COMPLETED, AskState.COMPLETED)


def test_it_writes_nothing_when_the_ask_can_no_longer_close(scheduled, mentee, time_travel):
    # The ask is cancelled while its session still waits for the sync (no on-commit callbacks run here).
    cancel_ask(ask=scheduled.ask, actor=mentee, reason="Solved it myself")
    time_travel.move_to(CALL_AT + dt.timedelta(minutes=5))

    with pytest.raises(SessionConflict, match="Cancelled"):
        debriefs.record_debrief(session=scheduled, actor=mentee, outcome="solved")

    assert states(scheduled) == (SessionState.PLANNED, AskState.CANCELLED)
    assert not Debrief.objects.exists()


def test_a_cancelled_ask_cancels_the_session_for_good(scheduled, mentee, time_travel):
    cancel_ask(ask=scheduled.ask, actor=mentee, reason="Solved it myself")
    services.sync_from_ask(ask_id=scheduled.ask_id)
    time_travel.move_to(CALL_AT + dt.timedelta(minutes=45))

    assert states(scheduled) == (SessionState.CANCELLED, AskState.CANCELLED)
    with pytest.raises(SessionConflict, match="cancelled"):
        debriefs.record_debrief(session=scheduled, actor=mentee, outcome="solved")
    with pytest.raises(SessionConflict):
        attendance.report_attendance(session=scheduled, reporter=mentee, kind=AttendanceKind.HAPPENED)


def test_an_ask_solved_before_the_call_does_not_count_the_call_as_held(scheduled, mentee):
    confirm_helped(ask=scheduled.ask, actor=mentee)
    services.sync_from_ask(ask_id=scheduled.ask_id)

    assert states(scheduled) == (SessionState.CANCELLED, AskState.COMPLETED)


def test_an_ask_solved_after_the_call_started_completes_the_session(scheduled, mentee, time_travel):
    time_travel.move_to(CALL_AT + dt.timedelta(minutes=20))
    confirm_helped(ask=scheduled.ask, actor=mentee)
    services.sync_from_ask(ask_id=scheduled.ask_id)

    assert states(scheduled) == (SessionState.COMPLETED, AskState.COMPLETED)


def test_a_call_without_an_agreed_time_cannot_be_debriefed(mentee, mentor, skill):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill])
    session = services.session_for_ask(ask)

    with pytest.raises(SessionConflict, match="No time is agreed"):
        debriefs.record_debrief(session=session, actor=mentee, takeaways=["x"])
    assert states(session) == (SessionState.PLANNED, AskState.ACCEPTED)


def test_a_cancelled_booking_blocks_completion_at_once_and_cancels_the_session(
    mentee, mentor, django_capture_on_commit_callbacks, time_travel
):
    block = OfficeHoursFactory(mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(block, mentee, skip=20)
        run_pending_tasks()
    session = Session.objects.get(booking=booking)
    cancel_booking(booking=booking, actor=mentee, reason="Ill")  # its session's sync is still queued
    time_travel.move_to(booking.end + dt.timedelta(minutes=5))

    with pytest.raises(SessionConflict, match="booked call was cancelled"):
        debriefs.record_debrief(session=session, actor=mentee, outcome="solved")
    run_pending_tasks()
    assert Session.objects.get(pk=session.pk).state == SessionState.CANCELLED


@pytest.mark.parametrize(
    ("from_state", "to_state"), list(itertools.product(SessionState.values, SessionState.values))
)
def test_no_transition_outside_the_table(mentee, mentor, from_state, to_state):
    session = SessionFactory(mentee=mentee, mentor=mentor, state=from_state, starts_at=START)
    allowed = {("planned", "completed"), ("planned", "cancelled")}

    if (from_state, to_state) in allowed:
        lifecycle.transition(session, to_state)
        assert Session.objects.get(pk=session.pk).state == to_state
    else:
        with pytest.raises(lifecycle.IllegalTransition):
            lifecycle.transition(session, to_state)
        assert Session.objects.get(pk=session.pk).state == from_state


def test_of_two_completions_at_once_one_closes_the_ask(scheduled, mentee, mentor, time_travel):
    time_travel.move_to(CALL_AT + dt.timedelta(minutes=45))
    stale = Session.objects.get(pk=scheduled.pk)
    attendance.report_attendance(session=scheduled, reporter=mentor, kind=AttendanceKind.HAPPENED)
    debriefs.record_debrief(session=stale, actor=mentee, outcome="solved")  # loaded while still planned

    assert states(scheduled) == (SessionState.COMPLETED, AskState.COMPLETED)
    assert AskEvent.objects.filter(ask=scheduled.ask, to_state=AskState.COMPLETED).count() == 1


def test_a_debrief_closes_an_answered_async_ask(mentee, mentor, skill):
    ask = ask_in_state(
        AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill], format=AskFormat.ASYNC
    )
    session = services.session_for_ask(ask)
    ask = ask_transition(ask, AskState.ANSWERED, actor=mentor)

    debriefs.record_debrief(session=session, actor=mentee, takeaways=["Use EXPLAIN"])

    assert states(session) == (SessionState.COMPLETED, AskState.COMPLETED)
