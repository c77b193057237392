"""Knowledge nodes: computed in the background into a snapshot, read back in a fixed number of queries.

Names are decided when the list is read, from each person's ``KnowledgeNodeConsent``: someone who turns
consent off disappears from the next page view, without waiting for a recompute. People who have not
opted in are counted ("3 more people not named"), never listed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Sum

from openhelp.directory.people.models import Profile
from openhelp.organisers.network.graph import knowledge_metrics
from openhelp.organisers.network.models import HelpLink, KnowledgeNode, KnowledgeSnapshot
from openhelp.organisers.network.scope import NO_TEAM, Scope, population, team_q
from openhelp.platform.lib.clock import now

TOP = 20
ORDERS = {
    "reliance": ["-reliance", "-interactions", "user_id"],
    "brokerage": ["-brokerage", "-reliance", "user_id"],
}


def compute_snapshot() -> KnowledgeSnapshot:
    """Recompute every person's metrics from the help-link table and keep only this snapshot."""
    started = time.perf_counter()
    pairs = (
        HelpLink.objects.order_by()
        .values_list("helper_id", "helped_id")
        .annotate(weight=Sum(F("sessions") + F("kudos") + F("introductions")))
    )
    team_of = dict(Profile.objects.order_by().values_list("user_id", "team_id").iterator(10_000))
    metrics = knowledge_metrics(pairs.iterator(10_000), team_of)
    computed = time.perf_counter()
    with transaction.atomic():
        snapshot = KnowledgeSnapshot.objects.create(
            computed_at=now(),
            people=metrics.people,
            links=metrics.links,
            sample_size=metrics.sample_size,
            seed=metrics.seed,
        )
        KnowledgeNode.objects.bulk_create(
            (
                KnowledgeNode(
                    snapshot=snapshot,
                    user_id=node.user_id,
                    reliance=node.reliance,
                    interactions=node.interactions,
                    brokerage=node.brokerage,
                    teams_helped=node.teams_helped,
                )
                for node in metrics.nodes
            ),
            batch_size=5_000,
        )
        KnowledgeNode.objects.exclude(snapshot=snapshot).delete()
        KnowledgeSnapshot.objects.exclude(pk=snapshot.pk).delete()
        duration = int((time.perf_counter() - started) * 1000)
        KnowledgeSnapshot.objects.filter(pk=snapshot.pk).update(duration_ms=duration)
        snapshot.duration_ms = duration
    written = time.perf_counter()
    snapshot.timings = {**metrics.timings, "write the snapshot": written - computed}  # for the bench
    return snapshot


def latest_snapshot() -> KnowledgeSnapshot | None:
    return KnowledgeSnapshot.objects.order_by("-computed_at", "-pk").first()


@dataclass(frozen=True)
class NamedNode:
    rank: int
    name: str
    team: str
    reliance: int
    interactions: int
    brokerage: float
    teams_helped: int


@dataclass(frozen=True)
class NodeList:
    order: str
    named: list[NamedNode]
    not_named: int  # people in the top list who did not opt in: counted, never listed

    @property
    def max_value(self) -> float:
        return max((getattr(node, self.order) for node in self.named), default=0)


def top_nodes(snapshot: KnowledgeSnapshot | None, *, scope: Scope, order: str, limit: int = TOP) -> NodeList:
    """The top ``limit`` people of the snapshot by ``order`` within the scope (one query)."""
    if snapshot is None or scope.groups.refusal is not None:
        # A programme the k-anonymity release withholds shows no list either (not even a count).
        return NodeList(order=order, named=[], not_named=0)
    nodes = snapshot.nodes.all()
    if scope.programme is not None:
        nodes = nodes.filter(user__in=population(scope.programme))
    if scope.team:
        nodes = nodes.filter(team_q("user__", scope.groups.members_of(scope.team)))
    if order == "brokerage":
        nodes = nodes.filter(brokerage__gt=0)
    else:
        nodes = nodes.filter(reliance__gt=0)
    rows = nodes.order_by(*ORDERS[order]).select_related(
        "user__profile__team", "user__knowledge_node_consent"
    )[:limit]
    named, hidden = [], 0
    for rank, node in enumerate(rows, start=1):
        if not _consented(node.user):
            hidden += 1
            continue
        profile = getattr(node.user, "profile", None)
        named.append(
            NamedNode(
                rank=rank,
                name=profile.display_name if profile else f"Person {node.user_id}",
                team=_shown_team(scope, profile),
                reliance=node.reliance,
                interactions=node.interactions,
                brokerage=node.brokerage,
                teams_helped=node.teams_helped,
            )
        )
    return NodeList(order=order, named=named, not_named=hidden)


def _shown_team(scope: Scope, profile) -> str:
    """The person's team as figures show it: a small team appears as "Other", like everywhere else."""
    team = profile.team.name if profile is not None and profile.team is not None else NO_TEAM
    return scope.groups.mapping.get(team) or ""


def _consented(user) -> bool:
    consent = getattr(user, "knowledge_node_consent", None)
    return consent is not None and consent.named
