"""Sending in the worker. ``send_due_task`` sends every delivery that is due (queued after the consumer's
batch commits, and every minute by the periodic job); ``send_delivery_task`` sends one (a retry, a test,
a replay). A failed attempt that will be retried queues its own next run at its ``next_attempt_at``."""

from __future__ import annotations

import datetime as dt

from openhelp.integrations.webhooks import sending
from openhelp.platform.lib.tasks import background_task

DUE_BATCH = 50


def _schedule(delivery_id: int, retry_at: dt.datetime | None) -> None:
    if retry_at is not None:
        send_delivery_task.using(run_after=retry_at).enqueue(delivery_id)


@background_task()
def send_delivery_task(delivery_id: int) -> bool:
    attempted, retry_at = sending.send_delivery(delivery_id)
    _schedule(delivery_id, retry_at)
    return attempted


@background_task()
def send_due_task() -> int:
    """Due deliveries, oldest first, a batch per run; a full batch queues the next run at once."""
    due = sending.due_ids(limit=DUE_BATCH)
    sent = 0
    for delivery_id in due:
        attempted, retry_at = sending.send_delivery(delivery_id)
        _schedule(delivery_id, retry_at)
        sent += attempted
    if len(due) == DUE_BATCH:
        send_due_task.enqueue()
    return sent
