"""Tasks whose worker died are queued again (openhelp/platform/core/orphans.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from openhelp.platform.core.models import WorkerHeartbeat
from openhelp.platform.core.orphans import requeue_orphaned_tasks
from openhelp.platform.lib.clock import now

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stale_after_30")]


@pytest.fixture
def stale_after_30():
    with override_settings(WORKER_HEARTBEAT_STALE_SECONDS=30):
        yield


def running(worker_id: str, *, started_seconds_ago: int) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="openhelp.platform.notifications.tasks.send_notification_email",
        backend_name="default",
        run_after=now(),
        worker_ids=[worker_id],
        started_at=now() - dt.timedelta(seconds=started_seconds_ago),
    )


def test_a_task_of_a_dead_worker_is_ready_again_once():
    WorkerHeartbeat.objects.create(worker_id="dead", last_seen_at=now() - dt.timedelta(seconds=90))
    task = running("dead", started_seconds_ago=60)
    assert requeue_orphaned_tasks() == [str(task.id)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None
    assert requeue_orphaned_tasks() == []  # nothing left to requeue: a second worker finds nothing


def test_a_task_of_a_live_worker_is_left_alone():
    WorkerHeartbeat.objects.create(worker_id="alive", last_seen_at=now())
    task = running("alive", started_seconds_ago=600)  # a long task, its worker still beating
    assert requeue_orphaned_tasks() == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_just_started_is_left_alone_even_before_its_worker_beats():
    task = running("new-worker", started_seconds_ago=5)
    assert requeue_orphaned_tasks() == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
