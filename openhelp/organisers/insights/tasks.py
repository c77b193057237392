"""Background work for insights. The roll-ups follow the outbox (insights.consumer, delivered by the
outbox's task); what is left here is periodic: days still marked dirty (``DirtyDay``, written before the
roll-ups read the outbox) and the standard periods, which move when a new week starts."""

from __future__ import annotations

from openhelp.organisers.insights import rollup
from openhelp.platform.lib.tasks import background_task


@background_task(queue_name="default")
def refresh_insights_task() -> int:
    return rollup.refresh_dirty()
