"""Background tasks of the helper network. Help links and the team flow follow the outbox
(network.consumer); the knowledge nodes are a snapshot recomputed nightly or on demand."""

from __future__ import annotations

from openhelp.organisers.network import knowledge
from openhelp.platform.lib.tasks import background_task


@background_task(max_attempts=2)
def recompute_knowledge_nodes() -> int:
    return knowledge.compute_snapshot().pk
