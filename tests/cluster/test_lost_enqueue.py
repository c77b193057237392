"""An e-mail whose task was never queued (the app server died between the commit and the on-commit
enqueue, as the cluster's app-kill fault showed) is queued by the reaper and sent once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from openhelp.platform.lib.clock import now
from openhelp.platform.notifications import services
from openhelp.platform.notifications.models import Notification
from openhelp.platform.notifications.tasks import reap_stuck_emails, stuck_after
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def _committed_without_its_task(user) -> Notification:
    [note] = services.notify(
        recipients=[user], event="skill.proposal.approved", title="Approved", body="", url="/"
    )
    DBTaskResult.objects.all().delete()  # the on-commit enqueue that never happened
    return note


def test_a_young_pending_email_is_left_to_its_task(owner, mailoutbox):
    _committed_without_its_task(owner)
    assert reap_stuck_emails.call() == 0


def test_a_never_queued_email_is_queued_and_sent_once(owner, mailoutbox):
    note = _committed_without_its_task(owner)
    with time_machine.travel(now() + stuck_after() + dt.timedelta(minutes=1), tick=False):
        assert reap_stuck_emails.call() == 1
        send = "openhelp.platform.notifications.tasks.send_notification_email"
        assert DBTaskResult.objects.filter(task_path=send).exists()
        reap_stuck_emails.call()  # a second reaper run before the worker: a duplicate task at most
        run_pending_tasks()
    note.refresh_from_db()
    assert note.email_status == Notification.DeliveryStatus.SENT
    assert len(mailoutbox) == 1
