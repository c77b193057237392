"""The learned ranker in the offline evaluation: fitted on the training split only.

The training questions are cut in time at ``CUTS``; for each cut, profiles come from the questions
before it and the questions up to the next cut are the labelled asks (label 2 for the accepted
answerer, 1 for the other answerers, 0 for the rest of the default head). The slices go to the same
``fit_guarded`` the product's periodic task uses: the last slice is the guard, the one before it
validation. Test questions never reach a slice (``tests/matching/test_learning.py`` checks it).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from openhelp.directory.matching.evaluation.dataset import (
    ASSUMED_TRAIN_DAYS,
    Dataset,
    Question,
    SkillVocabulary,
    ask_from_question,
    mentor_profiles,
)
from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.learning.features import FeatureBuilder, SkillGraph
from openhelp.directory.matching.learning.fitting import FitResult, Group, fit_guarded
from openhelp.directory.matching.learning.ranker import DEPTH, LearnedRanker
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights, score_pool

CUTS = (0.5, 0.6, 0.7, 0.8, 0.9)  # fractions of the training questions where history stops


def labelled_groups(
    history: list[Question],
    labelled: list[Question],
    dataset: Dataset,
    *,
    weights: Weights,
    depth: int = DEPTH,
) -> list[Group]:
    """Feature groups for ``labelled`` questions ranked against profiles built from ``history``."""
    part = Dataset(site=dataset.site, train=history, test=labelled, answers=dataset.answers)
    vocabulary = SkillVocabulary()
    # The same days per question as the whole training part, so recency means the same in every slice.
    mentors = mentor_profiles(part, vocabulary, days_per_question=ASSUMED_TRAIN_DAYS / len(dataset.train))
    index = MatchingIndex.build(mentors, half_life_days=weights.activity_half_life_days)
    graph = SkillGraph.from_mentors(mentors)
    groups = []
    for question in labelled:
        ask = ask_from_question(question, vocabulary)
        plan, scored = score_pool(ask, mentors, weights=weights, index=index, limit=depth)
        if not scored:
            continue
        builder = FeatureBuilder(ask, plan, graph)
        features = builder.rows([row[3] for row in scored], [-row[0] for row in scored])
        helpers = {answer.user_id for answer in dataset.answers.get(question.id, ())}
        labels = np.array(
            [
                2.0 if row[1] == question.accepted_answerer_id else 1.0 if row[1] in helpers else 0.0
                for row in scored
            ]
        )
        groups.append(Group(features=features, labels=labels))
    return groups


def training_slices(dataset: Dataset, *, weights: Weights = DEFAULT_WEIGHTS) -> list[list[Group]]:
    """Time-ordered slices of labelled groups from the training questions alone."""
    train = dataset.train
    bounds = [int(len(train) * cut) for cut in CUTS] + [len(train)]
    return [
        labelled_groups(train[:start], train[start:end], dataset, weights=weights)
        for start, end in zip(bounds, bounds[1:], strict=False)
        if start > 0 and end > start
    ]


def fit_on_training(dataset: Dataset, *, weights: Weights = DEFAULT_WEIGHTS) -> FitResult:
    """Fit (and guard) the learned ranker on the training split only."""
    training_only = replace(dataset, test=[])
    return fit_guarded(training_slices(training_only, weights=weights))


def ranker_for(result: FitResult, mentors) -> LearnedRanker | None:
    """The ranker to evaluate: the fitted model with the skill graph of all training profiles."""
    if result.model_text is None:
        return None
    return LearnedRanker(model_text=result.model_text, graph=SkillGraph.from_mentors(mentors))
