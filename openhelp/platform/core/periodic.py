"""Periodic housekeeping: jobs that must run every so often (reapers, clean-ups, roll-up catch-up).

An app registers a job in its ``AppConfig.ready()`` with ``register_periodic(name=…, every=…, task=…)``.
Each running worker's heartbeat thread calls ``run_due_jobs()``; a job is due when its last run is older
than ``every``. The claim is a conditional UPDATE on the job's ``PeriodicRun`` row, so with several
workers exactly one enqueues the job's task per period. The task itself does the work in the ordinary
queue, with the ordinary retries, and must be idempotent like every task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from openhelp.platform.core.models import PeriodicRun
from openhelp.platform.lib.clock import now


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Any  # a django-tasks Task taking no arguments


_JOBS: dict[str, PeriodicJob] = {}


def register_periodic(*, name: str, every: dt.timedelta, task: Any) -> None:
    if every <= dt.timedelta(0):
        raise ValueError("A periodic job needs a positive interval.")
    known = _JOBS.get(name)
    if known is not None and known.task is not task:
        raise ValueError(f"Periodic job {name!r} is registered twice with different tasks.")
    _JOBS[name] = PeriodicJob(name=name, every=every, task=task)


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def run_due_jobs(moment: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose period has passed; return the names enqueued by this call."""

    moment = moment or now()
    enqueued = []
    for job in registered_jobs():
        try:
            PeriodicRun.objects.get_or_create(name=job.name)
        except IntegrityError:  # another worker created it in the same instant
            pass
        with transaction.atomic():
            if _claimed(job.name, every=job.every, moment=moment):
                transaction.on_commit(job.task.enqueue)
                enqueued.append(job.name)
    return enqueued


def claim_period(name: str, *, every: dt.timedelta, moment: dt.datetime | None = None) -> bool:
    """True for exactly one caller per ``every`` under ``name``, across every process and machine (the same
    conditional UPDATE as the periodic jobs, on its own ``PeriodicRun`` row, created on first use)."""
    moment = moment or now()
    if _claimed(name, every=every, moment=moment):
        return True
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name, last_run_at=moment)
    except IntegrityError:  # the row exists (and its period is not over), or another caller made it first
        return False
    return True


def _claimed(name: str, *, every: dt.timedelta, moment: dt.datetime) -> bool:
    return (
        PeriodicRun.objects.filter(name=name)
        .filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=moment - every))
        .update(last_run_at=moment)
        == 1
    )
