"""Knowledge-node metrics on small hand-built graphs (no database)."""

from __future__ import annotations

import pytest

from openhelp.organisers.network.graph import knowledge_metrics


def _two_cliques_with_a_broker():
    """Team 1: people 1–4 help each other; team 2: 5–8 the same; 9 helps 1 and 5 (the only bridge)."""
    links = []
    for group in ((1, 2, 3, 4), (5, 6, 7, 8)):
        links += [(a, b, 1) for a in group for b in group if a != b]
    links += [(9, 1, 2), (9, 5, 3)]
    team_of = {n: 10 for n in (1, 2, 3, 4)} | {n: 20 for n in (5, 6, 7, 8)} | {9: 30}
    return links, team_of


def test_it_finds_the_broker_between_two_separate_teams():
    links, team_of = _two_cliques_with_a_broker()
    metrics = knowledge_metrics(links, team_of)
    by_user = {node.user_id: node for node in metrics.nodes}
    broker = max(metrics.nodes, key=lambda node: node.brokerage)
    assert broker.user_id == 9
    # Every path between the teams runs 1 → 9 → 5: 9 is the broker, 1 and 5 its gateways, 2 no broker.
    assert by_user[9].brokerage > by_user[1].brokerage > by_user[2].brokerage == 0
    assert by_user[9].teams_helped == 2
    assert by_user[9].reliance == 2 and by_user[9].interactions == 5
    assert by_user[1].reliance == 3 and by_user[1].teams_helped == 1
    assert metrics.people == 9 and metrics.links == 26
    assert metrics.sample_size is None


def test_it_measures_reliance_as_distinct_people_helped():
    metrics = knowledge_metrics([(1, 2, 5), (1, 3, 1), (4, 1, 1)], {})
    by_user = {node.user_id: node for node in metrics.nodes}
    assert (by_user[1].reliance, by_user[1].interactions) == (2, 6)
    assert by_user[4].reliance == 1
    assert 2 not in by_user or by_user[2].reliance == 0  # helped only, never helping


def test_it_samples_betweenness_on_large_graphs_with_a_fixed_seed():
    links, team_of = _two_cliques_with_a_broker()
    first = knowledge_metrics(links, team_of, exact_limit=5, sample_k=4)
    second = knowledge_metrics(links, team_of, exact_limit=5, sample_k=4)
    assert first.sample_size == 4 and first.seed is not None
    assert [(n.user_id, n.brokerage) for n in first.nodes] == [(n.user_id, n.brokerage) for n in second.nodes]


@pytest.mark.parametrize("links", [[], [(1, 1, 3)]])
def test_it_handles_an_empty_graph(links):
    metrics = knowledge_metrics(links, {})
    assert metrics.nodes == [] and metrics.people == 0
