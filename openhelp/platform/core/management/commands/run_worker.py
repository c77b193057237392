"""The background worker: django-tasks-db's db_worker plus a heartbeat that /healthz reads and that
enqueues the periodic housekeeping jobs (core.periodic) when they are due."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from argparse import ArgumentParser

from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from openhelp.platform.core.models import WorkerHeartbeat
from openhelp.platform.core.orphans import requeue_orphaned_tasks
from openhelp.platform.core.periodic import run_due_jobs
from openhelp.platform.lib.clock import now

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15


def _beat(worker_id: str, stop: threading.Event) -> None:
    hostname = socket.gethostname()
    while not stop.is_set():
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=worker_id, defaults={"hostname": hostname, "last_seen_at": now()}
            )
        except Exception:  # a missed beat must never kill the worker
            logger.warning("Worker heartbeat could not be written", exc_info=True)
        try:
            run_due_jobs()
            requeue_orphaned_tasks()  # tasks of a worker that died mid-task (core.orphans)
        except Exception:  # housekeeping is retried at the next beat
            logger.warning("Periodic jobs could not be enqueued", exc_info=True)
        finally:
            close_old_connections()
        stop.wait(HEARTBEAT_SECONDS)


class Command(DbWorkerCommand):
    help = "Run the background worker (tasks from the database queue) and report a heartbeat."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Every queue unless told otherwise (``--queue-name email`` dedicates a worker): db_worker's own
        # default is the "default" queue alone, so a worker started as docs/deployment.md says never sent
        # an e-mail (password resets, address confirmations) nor a chat message.
        parser.set_defaults(queue_name="*")

    def handle(self, *args, **options):
        worker_id = options.get("worker_id") or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        options["worker_id"] = worker_id[:64]
        stop = threading.Event()
        reloading = options.get("reload") and not options.get("batch")
        # With auto-reload the parent process only watches files; only the child that runs tasks may
        # beat, or /healthz would count a watcher as a live worker.
        if not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            threading.Thread(target=_beat, args=(options["worker_id"], stop), daemon=True).start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=options["worker_id"]).delete()
