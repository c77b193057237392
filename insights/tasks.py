"""Background work for insights: refresh the days receivers marked dirty (idempotent, safe to repeat)."""

from __future__ import annotations

import datetime as dt

from insights import rollup
from lib.clock import now
from lib.tasks import background_task

# The periodic safety net recomputes this many recent days, catching any change no receiver saw.
SAFETY_NET_DAYS = 14


@background_task(queue_name="default")
def refresh_insights_task() -> int:
    return rollup.refresh_dirty()


@background_task(queue_name="default")
def refresh_recent_insights_task() -> int:
    """Recompute the last SAFETY_NET_DAYS days from scratch (run every few hours by core.periodic)."""
    today = now().date()
    rollup.refresh_days(today - dt.timedelta(days=i) for i in range(SAFETY_NET_DAYS))
    return SAFETY_NET_DAYS
