"""Delivery in the workers: queued after each commit that recorded events, and every minute."""

from __future__ import annotations

from openhelp.platform.lib.tasks import background_task
from openhelp.platform.outbox import delivery


@background_task()
def deliver_events_task() -> int:
    return sum(delivery.deliver_all().values())


@background_task(max_attempts=2)
def prune_events_task() -> int:
    return delivery.prune()
