"""The learned ranker: features, the guard, determinism, re-ranking with reasons, no test data in the fit."""

from __future__ import annotations

import numpy as np
import pytest

from openhelp.directory.matching.evaluation import learned as evaluation_learned
from openhelp.directory.matching.evaluation import load_dataset
from openhelp.directory.matching.evaluation.protocol import evaluate
from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.learning import fitting
from openhelp.directory.matching.learning.features import FEATURE_NAMES, FeatureBuilder, SkillGraph
from openhelp.directory.matching.learning.fitting import Group, fit_guarded, gain_one_period_earlier, mrr
from openhelp.directory.matching.learning.ranker import LearnedRanker, rank_learned
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, rank, score_pool
from openhelp.directory.matching.types import PastHelp
from tests.matching.helpers import DJANGO, POSTGRES, PYTHON, ask, helped, mentor
from tests.matching.test_evaluation import data_dir  # noqa: F401  (the toy data set fixture)

COLUMN = FEATURE_NAMES.index("helped_mentee")


def _groups(count: int, *, seed: int, informative: bool) -> list[Group]:
    """Groups of 20 rows in a 'default order'. Informative: the positive sits low in the default
    order but is the only row with helped_mentee > 0; otherwise the default order is already right."""
    rng = np.random.default_rng(seed)
    groups = []
    for _ in range(count):
        features = rng.random((20, len(FEATURE_NAMES)))
        features[:, COLUMN] = 0.0
        labels = np.zeros(20)
        target = int(rng.integers(5, 20)) if informative else 0
        labels[target] = 2.0
        if informative:
            features[target, COLUMN] = 1.0
        groups.append(Group(features=features, labels=labels))
    return groups


def _slices(informative: bool) -> list[list[Group]]:
    return [_groups(60, seed=seed, informative=informative) for seed in range(5)]


def test_a_model_that_beats_the_defaults_on_the_recent_slice_is_used():
    result = fit_guarded(_slices(informative=True))
    assert result.used
    assert result.mrr_learned > result.mrr_default
    assert result.guard_asks == 60
    assert result.fitted_asks == 240


def test_a_model_no_better_than_the_defaults_on_the_recent_slice_is_not_used():
    # The default order already puts every helper first: nothing can beat it.
    result = fit_guarded(_slices(informative=False))
    assert not result.used
    assert result.mrr_default == pytest.approx(1.0)
    assert "does not beat" in result.reason


def test_the_guard_keeps_the_defaults_when_the_recent_slice_disagrees():
    slices = _slices(informative=True)
    slices[-1] = _groups(60, seed=99, informative=False)  # the newest asks no longer follow the old pattern
    assert not fit_guarded(slices).used


def _misleading(count: int, *, seed: int) -> list[Group]:
    """Groups where the default order is right and the feature the model learned points elsewhere."""
    groups = _groups(count, seed=seed, informative=False)
    for group in groups:
        group.features[7, COLUMN] = 1.0  # a row the model would lift, which did not help
    return groups


def test_the_guard_asks_for_a_gain_one_period_earlier_too():
    # Imported here, not at the top: lightgbm (and the scipy it loads) cost about 0.45 s of CPU to import,
    # paid at collection by every test process; the project itself loads it only when it fits or ranks.
    import lightgbm

    slices = _slices(informative=True)
    assert gain_one_period_earlier(lightgbm, slices) > 0
    # The period before the most recent one went against the pattern: the same fit made then loses there.
    slices[-2] = _misleading(60, seed=42)
    assert gain_one_period_earlier(lightgbm, slices) < 0
    assert gain_one_period_earlier(lightgbm, slices[-3:]) is None  # too few slices for a second period


def test_a_model_that_wins_only_in_the_latest_period_is_not_used(monkeypatch):
    monkeypatch.setattr(fitting, "gain_one_period_earlier", lambda lightgbm, slices: -0.01)
    result = fit_guarded(_slices(informative=True))
    assert not result.used
    assert result.mrr_learned > result.mrr_default  # it did beat the defaults on the guard slice
    assert "one period earlier did not" in result.reason
    monkeypatch.setattr(fitting, "gain_one_period_earlier", lambda lightgbm, slices: None)
    assert fit_guarded(_slices(informative=True)).used  # no earlier period to judge: the guard slice decides


def test_too_little_history_fits_nothing():
    result = fit_guarded([_groups(3, seed=1, informative=True)] * 3)
    assert result.model_text is None and not result.used
    assert "too little history" in result.reason
    assert not fit_guarded([]).used


def test_fitting_is_deterministic():
    first = fit_guarded(_slices(informative=True))
    second = fit_guarded(_slices(informative=True))
    assert first.model_text == second.model_text
    assert first.rounds == second.rounds


def test_mrr_counts_the_default_order_and_ties_keep_it():
    group = Group(features=np.zeros((3, len(FEATURE_NAMES))), labels=np.array([0.0, 2.0, 1.0]))
    assert mrr([group]) == pytest.approx(0.5)
    assert mrr([group], [np.array([0.0, 1.0, 0.5])]) == pytest.approx(1.0)
    assert mrr([group], [np.zeros(3)]) == pytest.approx(0.5)


def test_the_skill_graph_links_skills_asked_together_and_round_trips():
    graph = SkillGraph.from_skill_sets([frozenset({POSTGRES, DJANGO})] * 3 + [frozenset({DJANGO, PYTHON})])
    assert graph.neighbours[POSTGRES] == [(DJANGO, 1.0)]
    assert dict(graph.neighbours[DJANGO]) == {POSTGRES: 0.75, PYTHON: 0.25}
    assert SkillGraph.from_json(graph.to_json()) == graph


def _pool():
    return [
        mentor(
            1,
            skills={POSTGRES: 3},
            past_help=(
                PastHelp(
                    "vacuum tuning", "vacuum tuning", frozenset({POSTGRES}), 5.0, 2.0, mentee_id=50, ask_id=1
                ),
                PastHelp("slow joins", "slow joins", frozenset({POSTGRES, DJANGO}), 40.0, 1.0, ask_id=2),
            ),
        ),
        mentor(
            2,
            skills={POSTGRES: 2, DJANGO: 4},
            past_help=(helped("django orm", DJANGO, POSTGRES, age_days=3),),
        ),
        mentor(3, skills={DJANGO: 5}, capacity_total=2, recent_sessions=0),
        mentor(4, skills={PYTHON: 2}),  # a newcomer: no history
    ]


def test_features_read_the_history_graph_and_network():
    pool = _pool()
    the_ask = ask(text="vacuum", skill_ids={POSTGRES}, mentee_id=50)
    index = MatchingIndex.build(pool)
    plan, scored = score_pool(the_ask, pool, index=index)
    graph = SkillGraph.from_skill_sets([frozenset({POSTGRES, DJANGO})])
    rows = FeatureBuilder(the_ask, plan, graph).rows([r[3] for r in scored], [-r[0] for r in scored])
    by_id = {r[1]: rows[i] for i, r in enumerate(scored)}
    name = FEATURE_NAMES.index
    assert by_id[1][name("helped_mentee")] > 0  # helped this mentee before
    assert by_id[2][name("helped_mentee")] == 0
    assert by_id[3][name("graph_level")] > 0  # declares Django, asked together with PostgreSQL
    assert by_id[4][name("no_history")] == 1.0
    assert by_id[1][name("good_share")] == pytest.approx(2 / 4)
    assert by_id[1][name("default_score")] == pytest.approx(-scored[0][0])


def _trained_ranker() -> LearnedRanker:
    result = fit_guarded(_slices(informative=True))
    return LearnedRanker(
        model_text=result.model_text, graph=SkillGraph.from_skill_sets([frozenset({POSTGRES, DJANGO})])
    )


def test_learned_ranking_reorders_the_head_and_explains_it():
    pool = _pool()
    the_ask = ask(text="vacuum", skill_ids={POSTGRES, DJANGO}, mentee_id=50)
    learned = rank_learned(the_ask, pool, _trained_ranker(), limit=3)
    default = rank(the_ask, pool, limit=3)
    assert learned[0].mentor_id == 1  # the model learned that "helped this mentee before" wins
    assert {s.mentor_id for s in learned} <= {m.id for m in pool}
    assert len(learned) == 3 == len(default)
    for suggestion in learned:
        assert 0.0 <= suggestion.score <= 1.0
        assert suggestion.reasons, suggestion
        assert set(suggestion.signals) == set(DEFAULT_WEIGHTS.signal_weights())
    assert "has helped you before" in learned[0].reasons
    scores = [s.score for s in learned]
    assert scores == sorted(scores, reverse=True)


def test_learned_ranking_keeps_the_exclusions_and_the_whole_pool_without_a_limit():
    pool = _pool()
    the_ask = ask(text="vacuum", skill_ids={POSTGRES}, mentee_id=2)
    ranked = rank_learned(the_ask, pool, _trained_ranker(), explain=False)
    assert [s.mentor_id for s in ranked].count(2) == 0  # never the mentee themself
    assert len(ranked) == 3


def test_no_test_question_reaches_the_fit(data_dir, monkeypatch):  # noqa: F811
    dataset = load_dataset(data_dir)
    test_ids = {q.id for q in dataset.test}
    seen: list[int] = []
    original = evaluation_learned.labelled_groups

    def spy(history, labelled, *args, **kwargs):
        seen.extend(q.id for q in [*history, *labelled])
        return original(history, labelled, *args, **kwargs)

    monkeypatch.setattr(evaluation_learned, "labelled_groups", spy)
    evaluation_learned.fit_on_training(dataset)
    assert seen and not (set(seen) & test_ids)
    assert set(seen) <= {q.id for q in dataset.train}


def test_the_evaluation_reports_the_learned_fit(data_dir, monkeypatch):  # noqa: F811
    monkeypatch.setattr(fitting, "MIN_GROUPS", 1)
    monkeypatch.setattr(evaluation_learned, "CUTS", (0.3, 0.5, 0.7))
    report = evaluate(load_dataset(data_dir))
    fit = report["learned_fit"]
    assert set(fit) >= {"used", "reason", "guard_mrr_default", "guard_mrr_learned", "rounds"}
    assert "mrr_sparse" in report and "n_sparse" in report
    if "learned" in report:
        assert set(report["learned"]) == set(report["engine"])
