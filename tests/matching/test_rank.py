"""Ranking: order, scores as the weighted mean of the signals, reasons, weights, and the index."""

from __future__ import annotations

import dataclasses

import pytest

from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.ranking_signals import SIGNALS
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights, rank
from openhelp.directory.matching.types import WorkingWindow
from tests.matching.helpers import DESIGN, DJANGO, POSTGRES, PYTHON, ask, helped, mentor


def pool():
    return [
        mentor(
            1,
            skills={POSTGRES: 5, PYTHON: 3},
            past_help=(
                helped("postgres index not used by the planner", POSTGRES, weight=2),
                helped("vacuum", POSTGRES),
            ),
            capacity_total=3,
            capacity_used=1,
            median_response_hours=3,
            window=WorkingWindow(8 * 60, 17 * 60),
        ),
        mentor(2, skills={POSTGRES: 2}, past_help=(helped("postgres backups", POSTGRES, age_days=500),)),
        mentor(3, skills={DESIGN: 5}, past_help=(helped("colour palettes", DESIGN),), capacity_total=1),
        mentor(
            4,
            skills={PYTHON: 4},
            profile_text="Python and Django web apps",
            recent_sessions=2,
            capacity_total=2,
        ),
    ]


def a_rich_ask(**fields):
    return ask(
        text="The postgres planner ignores my index",
        skill_ids={POSTGRES, DJANGO},
        related_skill_ids={PYTHON: DJANGO},
        window=WorkingWindow(12 * 60, 20 * 60),
        known_mentor_ids=frozenset({2}),
        mentee_id=50,
        **fields,
    )


def test_it_ranks_the_best_fit_first_with_reasons():
    suggestions = rank(a_rich_ask(), pool())
    assert [s.mentor_id for s in suggestions][0] == 1
    assert suggestions[0].score > suggestions[1].score
    assert suggestions[0].reasons == [
        "teaches PostgreSQL at level 5",
        "has helped with PostgreSQL twice before",
        "helped with a similar question: “postgres index not used by the planner”",
        "has 2 of 3 sessions left this week",
    ]
    assert 50 not in {s.mentor_id for s in suggestions}


def test_it_can_keep_only_mentors_who_offer_an_asked_or_related_skill():
    mentors = pool()
    ranked = rank(a_rich_ask(), mentors, require_skill_overlap=True)
    assert {s.mentor_id for s in ranked} == {1, 2, 4}  # 4 teaches Python, Django's parent
    index = MatchingIndex.build(mentors)
    retrained = dataclasses.replace(mentors[2], skills={DESIGN: 5, POSTGRES: 1})  # changed after indexing
    ranked = rank(
        a_rich_ask(), [*mentors[:2], retrained, mentors[3]], index=index, require_skill_overlap=True
    )
    assert {s.mentor_id for s in ranked} == {1, 2, 3, 4}


def test_it_scores_each_mentor_as_the_weighted_mean_of_its_signals():
    weights = DEFAULT_WEIGHTS
    for suggestion in rank(a_rich_ask(), pool(), weights=weights):
        signal_weights = weights.signal_weights()
        expected = sum(signal_weights[n] * v for n, v in suggestion.signals.items()) / sum(
            signal_weights.values()
        )
        assert suggestion.score == pytest.approx(expected)
        assert set(suggestion.signals) == set(SIGNALS)


def test_it_gives_the_same_scores_with_a_prebuilt_index_and_with_changed_profiles():
    mentors = pool()
    index = MatchingIndex.build(mentors)
    with_index = {s.mentor_id: s.score for s in rank(a_rich_ask(), mentors, index=index)}
    assert with_index == pytest.approx({s.mentor_id: s.score for s in rank(a_rich_ask(), mentors)})
    # A profile changed after indexing is scored from the new profile, not the cached one.
    promoted = dataclasses.replace(mentors[3], skills={POSTGRES: 5, PYTHON: 4})
    changed = rank(a_rich_ask(), [*mentors[:3], promoted], index=index)
    assert next(s for s in changed if s.mentor_id == 4).signals["skill_fit"] == pytest.approx(
        (1.0 + 0.5 * 0.8) / 2
    )


def test_it_follows_configured_weights():
    texts_only = Weights(
        skill_fit=0,
        proven_help=0,
        relevance=1,
        activity=0,
        availability=0,
        responsiveness=0,
        load=0,
        timezone=0,
        fresh_perspective=0,
    )
    python_ask = ask(text="Django web apps", skill_ids={POSTGRES})
    assert rank(python_ask, pool(), weights=texts_only)[0].mentor_id == 4
    skills_only = Weights.from_mapping({"relevance": 0, "activity": 0, "availability": 0, "skill_fit": 1})
    assert rank(python_ask, pool(), weights=skills_only)[0].mentor_id == 1


def test_it_rejects_bad_weights():
    with pytest.raises(ValueError, match="unknown weight"):
        Weights.from_mapping({"charisma": 1})
    with pytest.raises(ValueError, match="negative"):
        Weights(relevance=-1)
    with pytest.raises(ValueError, match="at least one signal"):
        Weights.from_mapping({name: 0 for name in SIGNALS})


def test_it_limits_the_list_and_skips_reasons_when_not_asked_to_explain():
    suggestions = rank(a_rich_ask(), pool(), limit=2, explain=False)
    assert len(suggestions) == 2
    assert all(s.reasons == [] for s in suggestions)
    assert [s.mentor_id for s in suggestions] == [s.mentor_id for s in rank(a_rich_ask(), pool())[:2]]


def test_it_breaks_ties_on_mentor_id():
    twins = [mentor(7), mentor(5), mentor(6)]
    assert [s.mentor_id for s in rank(ask(), twins)] == [5, 6, 7]


def test_it_keeps_the_index_up_to_date_as_mentors_change():
    mentors = pool()
    index = MatchingIndex.build(mentors)
    planner_ask = ask(text="planner")
    assert 1 in index.context_for(planner_ask, DEFAULT_WEIGHTS).relevance
    index.remove(1)
    assert 1 not in index
    assert 1 not in index.context_for(planner_ask, DEFAULT_WEIGHTS).relevance
    index.add(dataclasses.replace(mentors[3], profile_text="query planner internals"))
    assert index.context_for(planner_ask, DEFAULT_WEIGHTS).relevance == {4: 1.0}


def test_it_refuses_an_index_built_with_another_half_life():
    index = MatchingIndex.build(pool(), half_life_days=30)
    with pytest.raises(ValueError, match="half-life"):
        rank(ask(), pool(), index=index)
