"""Background tasks of the helper network. They take ids and re-derive from the current state, so a
retry, a duplicate or a late run does nothing wrong."""

from __future__ import annotations

from lib.tasks import background_task
from network import knowledge, rollup, teamflow


@background_task()
def refresh_help_links(*, pairs: list[list[int]] | None = None, session_ids: list[int] | None = None) -> int:
    wanted = {(helper, helped) for helper, helped in pairs or []}
    for session_id in session_ids or []:
        wanted |= rollup.pairs_of_session(session_id)
    rows = rollup.refresh_pairs(pairs=wanted)
    teamflow.refresh_for_pairs(wanted)
    return rows


@background_task()
def reconcile_team_flow() -> int:
    """Follow people changing team and programme members coming and going (queued by the receivers,
    and every ten minutes for changes made without signals)."""
    return teamflow.reconcile()


@background_task(max_attempts=2)
def recompute_knowledge_nodes() -> int:
    return knowledge.compute_snapshot().pk
