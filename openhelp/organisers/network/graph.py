"""Knowledge-node metrics over the helper graph: plain Python and networkx, no database.

The graph's edges point from the person helped to their helper ("relies on"), so:
- **reliance** is a person's in-degree: the distinct people who relied on them;
- **interactions** is the weighted in-degree: sessions, kudos and introductions together;
- **teams helped** is the number of distinct teams among those people;
- **brokerage** is betweenness centrality in the undirected graph: how often a person lies on the
  shortest paths between others, i.e. bridges otherwise separate groups. Exact betweenness costs
  O(people × links); above ``EXACT_LIMIT`` people it is estimated from ``SAMPLE_K`` sources drawn with a
  fixed seed (networkx's ``k``/``seed``), so the same graph always gives the same figures.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

EXACT_LIMIT = 2_000
SAMPLE_K = 64
SEED = 20_240_601


@dataclass(frozen=True)
class NodeMetrics:
    user_id: int
    reliance: int
    interactions: int
    brokerage: float
    teams_helped: int


@dataclass(frozen=True)
class GraphMetrics:
    nodes: list[NodeMetrics]
    people: int
    links: int
    sample_size: int | None
    seed: int | None
    timings: dict[str, float] = field(default_factory=dict, compare=False)  # seconds, for the bench


def knowledge_metrics(
    links: Iterable[tuple[int, int, int]],
    team_of: Mapping[int, int | None],
    *,
    exact_limit: int = EXACT_LIMIT,
    sample_k: int = SAMPLE_K,
    seed: int = SEED,
) -> GraphMetrics:
    """``links`` are (helper, helped, interactions) with one row per pair; ``team_of`` maps people to teams."""
    reliance: dict[int, int] = {}
    interactions: dict[int, int] = {}
    teams: dict[int, set[int]] = {}
    undirected = nx.Graph()
    count = 0
    started = time.perf_counter()
    for helper, helped, weight in links:
        if helper == helped:
            continue
        count += 1
        reliance[helper] = reliance.get(helper, 0) + 1
        interactions[helper] = interactions.get(helper, 0) + weight
        team = team_of.get(helped)
        if team is not None:
            teams.setdefault(helper, set()).add(team)
        undirected.add_edge(helper, helped)
    people = undirected.number_of_nodes()
    loaded = time.perf_counter()
    sample_size = None
    if people > exact_limit:
        sample_size = min(sample_k, people)
        brokerage = nx.betweenness_centrality(undirected, k=sample_size, seed=seed, normalized=True)
    else:
        brokerage = nx.betweenness_centrality(undirected, normalized=True)
    measured = time.perf_counter()
    nodes = [
        NodeMetrics(
            user_id=person,
            reliance=reliance.get(person, 0),
            interactions=interactions.get(person, 0),
            brokerage=float(brokerage.get(person, 0.0)),
            teams_helped=len(teams.get(person, ())),
        )
        for person in undirected.nodes
        if reliance.get(person) or brokerage.get(person)
    ]
    return GraphMetrics(
        nodes=nodes,
        people=people,
        links=count,
        sample_size=sample_size,
        seed=seed if sample_size is not None else None,
        timings={
            "read the links into the graph": loaded - started,
            "betweenness (networkx)": measured - loaded,
        },
    )
