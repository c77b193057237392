"""The helper network reads the outbox (consumer ``network``).

- Sessions, kudos and introductions name the helper → helped pairs they touch: those pairs' help links
  are re-derived (``rollup.refresh_pairs``) and then their team-flow cells (``teamflow.refresh_for_pairs``).
- People changing team (by hand or by an import), deleted teams and programme members added or removed
  change which cells people count in: ``teamflow.reconcile`` compares the teams and memberships the
  roll-up counted with the live ones and re-derives the cells of every team concerned.

Both re-derive from the current state, so handling an event twice changes nothing; they run in the
delivery's transaction, with the cursor.
"""

from __future__ import annotations

from openhelp.organisers.network import rollup, teamflow
from openhelp.platform.outbox.kinds import KINDS
from openhelp.platform.outbox.models import Event

NAME = "network"
SESSION_KINDS = {kind for kind in KINDS if kind.startswith("session.")}
POPULATION_KINDS = {
    "person.imported",
    "profile.team_changed",
    "person.deleted",
    "team.deleted",
    "member.added",
    "member.removed",
}
KINDS_READ = SESSION_KINDS | POPULATION_KINDS | {"kudos.given", "introduction.connected"}


def pairs_of(event: Event) -> set[tuple[int, int]]:
    """The (helper, helped) pairs whose help links this event can change."""
    payload = event.payload
    if event.kind in SESSION_KINDS:
        return {(payload["mentor"], payload["mentee"])}
    if event.kind == "kudos.given":
        return {(payload["receiver"], payload["giver"])}  # the receiver of thanks helped the giver
    if event.kind == "introduction.connected":
        return {(payload["introducer"], payload["first"]), (payload["introducer"], payload["second"])}
    return set()


def handle(events: list[Event]) -> None:
    pairs = set().union(*(pairs_of(event) for event in events))
    if pairs:
        rollup.refresh_pairs(pairs=pairs)
        teamflow.refresh_for_pairs(pairs)
    if any(event.kind == "person.deleted" and event.payload.get("team") is None for event in events):
        # Their help links went with them; without a team they are in no record ``reconcile`` compares,
        # so the cells of "no team" are re-derived by a rebuild (account deletions are rare).
        teamflow.rebuild_team_flow()
    elif any(event.kind in POPULATION_KINDS for event in events):
        teamflow.reconcile()
