"""Periodic housekeeping: a due job is enqueued once per period, however many workers beat."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from openhelp.platform.core import periodic
from openhelp.platform.core.models import PeriodicRun
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.tasks import reap_stuck_emails

pytestmark = pytest.mark.django_db(transaction=True)


def _queued(task) -> int:
    return DBTaskResult.objects.filter(task_path=task.module_path).count()


def test_the_reaper_is_registered_by_its_app():
    names = {job.name for job in periodic.registered_jobs()}
    assert {
        "notifications.reap_stuck_emails",
        "insights.refresh_dirty",
        "network.knowledge_nodes",
        "outbox.deliver",
        "outbox.prune",
    } <= names


def test_a_job_runs_once_per_period_however_often_workers_beat():
    start = now()
    first = periodic.run_due_jobs(start)
    assert "notifications.reap_stuck_emails" in first
    assert _queued(reap_stuck_emails) == 1
    # Two more beats (or two other workers) within the period: nothing more is enqueued.
    assert "notifications.reap_stuck_emails" not in periodic.run_due_jobs(start + dt.timedelta(seconds=15))
    assert "notifications.reap_stuck_emails" not in periodic.run_due_jobs(start + dt.timedelta(minutes=4))
    assert _queued(reap_stuck_emails) == 1
    assert "notifications.reap_stuck_emails" in periodic.run_due_jobs(start + dt.timedelta(minutes=5))
    assert _queued(reap_stuck_emails) == 2
    assert PeriodicRun.objects.get(
        name="notifications.reap_stuck_emails"
    ).last_run_at == start + dt.timedelta(minutes=5)


def test_registering_a_name_twice_with_another_task_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        periodic.register_periodic(
            name="notifications.reap_stuck_emails", every=dt.timedelta(minutes=1), task=object()
        )
    with pytest.raises(ValueError, match="positive"):
        periodic.register_periodic(name="x", every=dt.timedelta(0), task=object())
