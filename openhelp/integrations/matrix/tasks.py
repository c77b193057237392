"""The bot's periodic sync, for deployments without a dedicated ``matrix_sync --loop`` process."""

from __future__ import annotations

import logging

from openhelp.integrations.matrix.client import MatrixError
from openhelp.integrations.matrix.sync import describe_error, sync_once
from openhelp.platform.lib.tasks import background_task

logger = logging.getLogger(__name__)


@background_task(queue_name="chat", max_attempts=1)
def sync_matrix() -> str:
    try:
        result = sync_once(timeout_ms=0)
    except (MatrixError, OSError) as error:
        # A homeserver that is down or a revoked token is the homeserver's state, not a bug here: one line
        # (the organiser's page shows the same reason), and the next minute's run tries again.
        reason = describe_error(error)
        logger.warning("Matrix sync failed: %s", reason)
        return f"failed: {reason}"
    return "no bot" if result is None else f"handled {result.handled}, joined {result.joined}"
