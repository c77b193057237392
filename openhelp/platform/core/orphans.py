"""Tasks whose worker died: put back in the queue, so a `kill -9` (or a lost machine) delays a task but
never loses it.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again; a worker killed
mid-task leaves it RUNNING for ever. Every worker's heartbeat thread calls ``requeue_orphaned_tasks()``:
a RUNNING task whose worker (the last id in ``worker_ids``) has not beaten for
``WORKER_HEARTBEAT_STALE_SECONDS`` (and that started at least that long ago) is made READY again, with a
conditional UPDATE so that of several workers only one requeues it. Our tasks are idempotent
(openhelp/platform/lib/tasks.py), so running the rest of a half-run task again takes effect once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from openhelp.platform.core.models import WorkerHeartbeat
from openhelp.platform.lib.clock import now

logger = logging.getLogger(__name__)
BATCH = 100


def requeue_orphaned_tasks(moment: dt.datetime | None = None) -> list[str]:
    """Make READY again every RUNNING task whose worker stopped beating; return their ids."""
    moment = moment or now()
    cutoff = moment - dt.timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(last_seen_at__gte=cutoff).values_list("worker_id", flat=True))
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).values_list(
        "id", "worker_ids", "task_path"
    )[:BATCH]
    requeued = []
    for task_id, worker_ids, task_path in running:
        if worker_ids and worker_ids[-1] in alive:
            continue
        changed = DBTaskResult.objects.filter(
            id=task_id, status=TaskResultStatus.RUNNING, worker_ids=worker_ids
        ).update(status=TaskResultStatus.READY, started_at=None)
        if changed:
            logger.warning(
                "Task %s (%s) lost its worker %s; queued again", task_id, task_path, worker_ids[-1:]
            )
            requeued.append(str(task_id))
    return requeued
