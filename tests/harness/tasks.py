"""Run queued background tasks in-process, through the real database queue and worker loop."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_pending_tasks(*, max_tasks: int | None = None) -> int:
    """Run every task that is ready now (run_after in the past) and return how many ran.

    The worker closes "old" connections between tasks, as a long-running process should; inside a test's
    wrapping transaction that would close the test's own connection, so that one call is made a no-op here.
    Everything else (claiming rows, running, recording results) is the real worker.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
    return worker._run_tasks


def queued_task_names() -> list[str]:
    return list(DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True))
