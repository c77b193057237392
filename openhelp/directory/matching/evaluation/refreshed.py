"""A diagnostic beside the protocol: profiles refreshed during the test period.

The data set's protocol freezes every profile at the end of the training part, while its test
questions span a quarter as long again; the product profiles people at the moment of each ask.
This cuts the test questions into ``refreshes`` time-ordered blocks and ranks each block against
profiles built from the training part *plus the earlier test questions and their answers* — never
the block's own — with the same engine and the same three baselines, rebuilt at each refresh.

It is not the data set's protocol (the README keeps test answers out of every profile), so its
figures are reported under their own key and never compared with the protocol's. It shows how much
of a gap is the frozen history rather than the ranking (docs/matching.md, "Third round").
"""

from __future__ import annotations

from openhelp.directory.matching.evaluation.baselines import (
    AcceptedBaseline,
    BM25Baseline,
    PopularityBaseline,
)
from openhelp.directory.matching.evaluation.dataset import (
    ASSUMED_TRAIN_DAYS,
    Dataset,
    SkillVocabulary,
    ask_from_question,
    mentor_profiles,
)
from openhelp.directory.matching.evaluation.metrics import rank_of, summarise
from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights, rank

SYSTEMS = ("engine", "bm25", "popularity", "accepted")


def evaluate_refreshed(dataset: Dataset, *, refreshes: int, weights: Weights = DEFAULT_WEIGHTS) -> dict:
    """Engine and baselines with profiles rebuilt ``refreshes`` times over the test questions."""
    if refreshes < 1:
        raise ValueError("refreshes must be at least 1")
    test = dataset.test
    bounds = [round(len(test) * part / refreshes) for part in range(refreshes + 1)]
    # The training part's days per question, so ages and recency mean the same after each refresh.
    step = ASSUMED_TRAIN_DAYS / max(len(dataset.train), 1)
    ranks: dict[str, list[int | None]] = {name: [] for name in SYSTEMS}
    warm: list[bool] = []
    rankable = 0
    for start, end in zip(bounds, bounds[1:], strict=False):
        if end <= start:
            continue
        history = Dataset(
            site=dataset.site, train=dataset.train + test[:start], test=[], answers=dataset.answers
        )
        vocabulary = SkillVocabulary()
        mentors = mentor_profiles(history, vocabulary, days_per_question=step)
        candidates = [mentor.id for mentor in mentors]
        candidate_ids = set(candidates)
        index = MatchingIndex.build(mentors, half_life_days=weights.activity_half_life_days)
        baselines: dict[str, BM25Baseline | PopularityBaseline | AcceptedBaseline] = {
            "bm25": BM25Baseline(history),
            "popularity": PopularityBaseline(history),
            "accepted": AcceptedBaseline(history),
        }
        for question in test[start:end]:
            target = question.accepted_answerer_id
            warm.append(target in candidate_ids)
            rankable += target in candidate_ids and target != question.asker_id
            suggestions = rank(
                ask_from_question(question, vocabulary), mentors, weights=weights, index=index, explain=False
            )
            ranks["engine"].append(
                next((place for place, s in enumerate(suggestions, start=1) if s.mentor_id == target), None)
            )
            for name, baseline in baselines.items():
                ranks[name].append(
                    rank_of(target, baseline.scores(question), candidates, exclude=question.asker_id)
                )
    return {
        "refreshes": refreshes,
        "n_warm": sum(warm),
        "n_rankable": rankable,
        "mrr_ceiling": round(rankable / len(test), 4) if test else 0.0,
        **{name: summarise(ranks[name], warm) for name in SYSTEMS},
    }
