"""Background tasks with retries: a thin layer over Django's Tasks API (the django-tasks backport).

Tasks take ids (never model instances) and must be idempotent: a retry, a duplicate enqueue or a
late run must do nothing wrong. A task that raises is re-enqueued with exponential backoff until
TASK_MAX_ATTEMPTS; the last failure is left as a FAILED task result, visible in the admin.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django_tasks import default_task_backend, task
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task

from openhelp.platform.lib.clock import now

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> dt.timedelta:
    """30 s, 60 s, 120 s, … capped at one hour (attempt counts from 1)."""
    seconds = settings.TASK_RETRY_BASE_SECONDS * (2 ** (attempt - 1))
    return dt.timedelta(seconds=min(seconds, 3600))


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())[:300]
    return f"{error.__class__.__name__}: {text}" if text else error.__class__.__name__


def _duration(delay: dt.timedelta) -> str:
    seconds = int(delay.total_seconds())
    return f"{seconds // 60} min" if seconds >= 120 else f"{seconds} s"


def background_task(
    *, queue_name: str = "default", max_attempts: int | None = None, priority: int = 0
) -> Callable[[Callable[..., Any]], Task[..., Any]]:
    """Declare a retrying background task. The function receives its arguments plus ``attempt``."""

    def decorate(func: Callable[..., Any]) -> Task[..., Any]:
        @functools.wraps(func)
        def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception as error:
                limit = max_attempts or settings.TASK_MAX_ATTEMPTS
                if attempt >= limit or not wrapped.get_backend().supports_defer:
                    logger.exception("Task %s failed for good after %s attempts", func.__name__, attempt)
                    raise
                # Why, in the line itself (an SMTP server that does not answer, a refused password…): the
                # traceback comes once, with the last attempt.
                logger.warning(
                    "Task %s failed (attempt %s of %s): %s; retrying in %s",
                    func.__name__,
                    attempt,
                    limit,
                    _reason(error),
                    _duration(retry_delay(attempt)),
                )
                wrapped.using(run_after=now() + retry_delay(attempt)).enqueue(
                    *args, attempt=attempt + 1, **kwargs
                )
                return None

        # A priority only where the backend has them (the database queue); the RQ backend refuses any
        # task declared with one, which stopped every process from starting with TASKS_BACKEND=rq.
        supported = priority if default_task_backend.supports_priority else DEFAULT_TASK_PRIORITY
        wrapped = task(queue_name=queue_name, priority=supported)(run)
        return wrapped

    return decorate


def enqueue_on_commit(
    task_obj: Task[..., Any], *args: Any, run_after: dt.datetime | None = None, **kwargs: Any
) -> None:
    """Enqueue once the surrounding transaction commits, so the worker never sees uncommitted rows."""
    target = task_obj.using(run_after=run_after) if run_after else task_obj
    transaction.on_commit(lambda: target.enqueue(*args, **kwargs))
