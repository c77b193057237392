"""Sessions follow the workflows that call them, not rows written in another app's timeline.

Accepting, scheduling, completing or cancelling an ask calls mentoring.services; a booking workflow queues
the session's sync in its own transaction. A bare timeline row (an ``AskEvent`` or ``BookingEvent``
written by anything else) moves no session: the flow is the calls, which can be followed in the code.
"""

from __future__ import annotations

import pytest

from openhelp.help.asks.lifecycle import record_event
from openhelp.help.asks.models import AskState
from openhelp.help.mentoring.models import Session
from openhelp.help.officehours.models import BookingEvent
from tests.factories_asks import ask_in_state
from tests.factories_officehours import OfficeHoursFactory, book
from tests.harness.tasks import queued_task_names, run_pending_tasks

pytestmark = pytest.mark.django_db


def _session_syncs() -> list[str]:
    return [name for name in queued_task_names() if name.endswith("sync_booking_session_task")]


def test_it_opens_no_session_from_a_bare_ask_timeline_row(
    mentee, mentor, skill, django_capture_on_commit_callbacks
):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=mentor, skills=[skill])
    with django_capture_on_commit_callbacks(execute=True):
        record_event(ask, kind="accepted", actor=mentor, note="A row, not the accept workflow.")
    assert not Session.objects.filter(ask=ask).exists()


def test_it_queues_the_session_from_the_booking_workflow_only(
    mentee, mentor, django_capture_on_commit_callbacks
):
    block = OfficeHoursFactory(mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(block, mentee)
    assert len(_session_syncs()) == 1  # queued by the booking workflow, in its transaction
    with django_capture_on_commit_callbacks(execute=True):
        run_pending_tasks()
    assert Session.objects.filter(booking=booking).exists()

    with django_capture_on_commit_callbacks(execute=True):
        BookingEvent.objects.create(
            booking=booking, kind=BookingEvent.Kind.CANCELLED, actor=mentee, reason="x"
        )
    assert _session_syncs() == []
