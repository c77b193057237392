"""The offline evaluation: rank every candidate for every test question with the product's ``rank()``.

Protocol (see docs/matching.md): profiles come only from training answers; the candidates are
everyone with a training answer minus the question's asker (the engine's own "never the mentee
themself" rule does that); the right answer is the accepted answerer. The BM25 and popularity
baselines (and a third, most accepted answers first) are computed in the same run over the same
candidates.
"""

from __future__ import annotations

import time

from openhelp.directory.matching.evaluation.baselines import (
    AcceptedBaseline,
    BM25Baseline,
    PopularityBaseline,
)
from openhelp.directory.matching.evaluation.dataset import (
    Dataset,
    SkillVocabulary,
    ask_from_question,
    mentor_profiles,
)
from openhelp.directory.matching.evaluation.learned import fit_on_training, ranker_for
from openhelp.directory.matching.evaluation.metrics import rank_of, reciprocal_rank, summarise
from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.learning.ranker import rank_learned
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights, rank

SYSTEMS = ("engine", "learned", "bm25", "popularity", "accepted")
SPARSE_HELP = 2  # an accepted answerer with at most this many training answers is a "sparse" expert


def evaluate(
    dataset: Dataset, *, weights: Weights = DEFAULT_WEIGHTS, examples: int = 0, learn: bool = True
) -> dict:
    """Metrics for the engine, the learned ranker (fitted on the training split only) and the
    baselines; ``examples`` test asks also get their top 3 explained."""
    started = time.perf_counter()
    fit = fit_on_training(dataset, weights=weights) if learn else None
    fit_seconds = time.perf_counter() - started
    vocabulary = SkillVocabulary()
    mentors = mentor_profiles(dataset, vocabulary)
    candidates = [mentor.id for mentor in mentors]
    candidate_ids = set(candidates)
    help_counts = {mentor.id: len(mentor.past_help) for mentor in mentors}
    index = MatchingIndex.build(mentors, half_life_days=weights.activity_half_life_days)
    ranker = ranker_for(fit, mentors) if fit is not None else None
    systems = SYSTEMS if ranker is not None else tuple(name for name in SYSTEMS if name != "learned")
    baselines = {
        "bm25": BM25Baseline(dataset),
        "popularity": PopularityBaseline(dataset),
        "accepted": AcceptedBaseline(dataset),
    }

    ranks: dict[str, list[int | None]] = {name: [] for name in systems}
    warm: list[bool] = []
    sparse: list[bool] = []
    rankable = 0  # the accepted answerer is a candidate and did not ask the question themself
    shown: list[dict] = []
    for question in dataset.test:
        target = question.accepted_answerer_id
        warm.append(target in candidate_ids)
        sparse.append(target in candidate_ids and help_counts[target] <= SPARSE_HELP)
        rankable += target in candidate_ids and target != question.asker_id
        ask = ask_from_question(question, vocabulary)
        suggestions = rank(ask, mentors, weights=weights, index=index, explain=False)
        ranks["engine"].append(
            next((place for place, s in enumerate(suggestions, start=1) if s.mentor_id == target), None)
        )
        if ranker is not None:
            learned = rank_learned(ask, mentors, ranker, weights=weights, index=index, explain=False)
            ranks["learned"].append(
                next((place for place, s in enumerate(learned, start=1) if s.mentor_id == target), None)
            )
        for name, baseline in baselines.items():
            scores = baseline.scores(question)
            ranks[name].append(rank_of(target, scores, candidates, exclude=question.asker_id))
        if len(shown) < examples:
            top = (
                rank_learned(ask, mentors, ranker, weights=weights, index=index, limit=3)
                if ranker is not None and fit is not None and fit.used
                else rank(ask, mentors, weights=weights, index=index, limit=3)
            )
            shown.append(
                {
                    "question": question.title,
                    "answered_by": target,
                    "top": [
                        {"mentor": s.mentor_id, "score": round(s.score, 3), "reasons": s.reasons} for s in top
                    ],
                }
            )

    report = {
        "site": dataset.site,
        "n_test": len(dataset.test),
        "n_warm": sum(warm),
        "n_candidates": len(candidates),
        "n_rankable": rankable,
        # The best MRR any ranking of these candidates can reach: 1 on every rankable question.
        "mrr_ceiling": round(rankable / len(dataset.test), 4) if dataset.test else 0.0,
        **{name: summarise(ranks[name], warm) for name in systems},
        # Experts with little history (at most SPARSE_HELP training answers), reported apart.
        "n_sparse": sum(sparse),
        "mrr_sparse": {
            name: round(
                sum(reciprocal_rank(r) for r, flag in zip(ranks[name], sparse, strict=True) if flag)
                / max(1, sum(sparse)),
                4,
            )
            for name in systems
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    if fit is not None:
        report["learned_fit"] = {
            "used": fit.used,
            "reason": fit.reason,
            "guard_mrr_default": fit.mrr_default,
            "guard_mrr_learned": fit.mrr_learned,
            "guard_asks": fit.guard_asks,
            "fitted_asks": fit.fitted_asks,
            "rounds": fit.rounds,
            "seconds": round(fit_seconds, 1),
        }
    if examples:
        report["examples"] = shown
    return report
