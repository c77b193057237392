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
from openhelp.directory.matching.evaluation.metrics import rank_of, summarise
from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights, rank

SYSTEMS = ("engine", "bm25", "popularity", "accepted")


def evaluate(dataset: Dataset, *, weights: Weights = DEFAULT_WEIGHTS, examples: int = 0) -> dict:
    """Metrics for the engine and both baselines; ``examples`` test asks also get their top 3 explained."""
    started = time.perf_counter()
    vocabulary = SkillVocabulary()
    mentors = mentor_profiles(dataset, vocabulary)
    candidates = [mentor.id for mentor in mentors]
    candidate_ids = set(candidates)
    index = MatchingIndex.build(mentors, half_life_days=weights.activity_half_life_days)
    baselines = {
        "bm25": BM25Baseline(dataset),
        "popularity": PopularityBaseline(dataset),
        "accepted": AcceptedBaseline(dataset),
    }

    ranks: dict[str, list[int | None]] = {name: [] for name in SYSTEMS}
    warm: list[bool] = []
    rankable = 0  # the accepted answerer is a candidate and did not ask the question themself
    shown: list[dict] = []
    for question in dataset.test:
        target = question.accepted_answerer_id
        warm.append(target in candidate_ids)
        rankable += target in candidate_ids and target != question.asker_id
        ask = ask_from_question(question, vocabulary)
        suggestions = rank(ask, mentors, weights=weights, index=index, explain=False)
        ranks["engine"].append(
            next((place for place, s in enumerate(suggestions, start=1) if s.mentor_id == target), None)
        )
        for name, baseline in baselines.items():
            scores = baseline.scores(question)
            ranks[name].append(rank_of(target, scores, candidates, exclude=question.asker_id))
        if len(shown) < examples:
            top = rank(ask, mentors, weights=weights, index=index, limit=3)
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
        **{name: summarise(ranks[name], warm) for name in SYSTEMS},
        "seconds": round(time.perf_counter() - started, 1),
    }
    if examples:
        report["examples"] = shown
    return report
