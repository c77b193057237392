"""An e-mail left "sending" by a worker that died is re-queued once, and only once it is clearly stuck."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openhelp.platform.lib.clock import now
from openhelp.platform.notifications import services
from openhelp.platform.notifications.models import Notification
from openhelp.platform.notifications.tasks import reap_stuck_emails, stuck_after
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)
Status = Notification.DeliveryStatus


def _claimed_and_abandoned(user) -> Notification:
    [note] = services.notify(
        recipients=[user], event="skill.proposal.approved", title="Your skill was approved", body="", url="/"
    )
    # What a worker that crashed mid-send leaves behind: the claim, no outcome, and its task already gone.
    Notification.objects.filter(pk=note.pk).update(
        email_status=Status.SENDING, email_attempts=1, email_claimed_at=now()
    )
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    return note


def test_a_fresh_claim_is_left_alone(owner, mailoutbox):
    note = _claimed_and_abandoned(owner)
    assert reap_stuck_emails.call() == 0
    note.refresh_from_db()
    assert note.email_status == Status.SENDING
    assert mailoutbox == []


def test_a_stuck_claim_is_requeued_and_sent_exactly_once(owner, mailoutbox):
    note = _claimed_and_abandoned(owner)
    with time_machine.travel(now() + stuck_after() + dt.timedelta(minutes=1), tick=False):
        assert reap_stuck_emails.call() == 1
        assert reap_stuck_emails.call() == 0  # already pending again: nothing more to release
        run_pending_tasks()
    note.refresh_from_db()
    assert note.email_status == Status.SENT
    assert note.email_attempts == 2
    assert len(mailoutbox) == 1
