"""The bot's periodic sync, for deployments without a dedicated ``matrix_sync --loop`` process."""

from __future__ import annotations

from openhelp.integrations.matrix.sync import sync_once
from openhelp.platform.lib.tasks import background_task


@background_task(queue_name="chat", max_attempts=1)
def sync_matrix() -> str:
    result = sync_once(timeout_ms=0)
    return "no bot" if result is None else f"handled {result.handled}, joined {result.joined}"
