"""The learned ranker's costs, for bench/matching.py: fitting at 1,000,000 past offers, and a stored
learned ranker for the latency runs (``rank_candidates`` then re-ranks with it).

Fitting is measured on synthetic feature rows (the LightGBM part of the periodic task, with the
product's parameters and guard): 1,000,000 offers as 100,000 past asks of 10 offered mentors, cut
into the product's five time-ordered slices. Building the rows from the database is a query per ask
and is not part of this figure.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from functools import cache

import numpy as np

FIT_OFFERS = 1_000_000
OFFERS_PER_ASK = 10


def synthetic_slices(offers: int, *, seed: int = 11, slices: int = 5):
    from openhelp.directory.matching.learning.features import FEATURE_NAMES
    from openhelp.directory.matching.learning.fitting import Group

    rng = np.random.default_rng(seed)
    asks = offers // OFFERS_PER_ASK
    features = rng.random((asks, OFFERS_PER_ASK, len(FEATURE_NAMES)))
    signal = features[:, :, FEATURE_NAMES.index("default_score")] + 0.5 * features[:, :, 3]
    best = signal.argmax(axis=1)
    groups = []
    for ask in range(asks):
        labels = np.zeros(OFFERS_PER_ASK)
        labels[best[ask]] = 2.0
        groups.append(Group(features[ask], labels))
    size = asks // slices
    return [groups[i * size : (i + 1) * size] for i in range(slices)]


def fit_cost(offers: int = FIT_OFFERS) -> dict:
    from openhelp.directory.matching.learning.fitting import fit_guarded

    slices = synthetic_slices(offers)
    load_before = os.getloadavg()
    started = time.perf_counter()
    result = fit_guarded(slices)
    seconds = time.perf_counter() - started
    return {
        "offers": offers,
        "asks": sum(len(part) for part in slices),
        "seconds": round(seconds, 1),
        "rounds": result.rounds,
        "used": result.used,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


# The most rounds early stopping chose when fitting on the data sets (docs/matching.md: 6 on android,
# 18-35 on physics); the synthetic rows above never stop early, so their model has hundreds of trees.
REAL_FIT_TREES = 35


@cache
def _synthetic_fit():
    """One small real fit per process, stored whole or cut (``store_learned_ranker``)."""
    from openhelp.directory.matching.learning.fitting import fit_guarded

    return fit_guarded(synthetic_slices(20_000))


def store_learned_ranker(trees: int | None = None) -> int:
    """A passed learned ranker for the whole organisation (a small real fit), so rank_candidates uses it;
    with ``trees``, the same model cut at its first ``trees`` trees. Returns how many trees it has."""
    import lightgbm

    from openhelp.directory.matching.learning.features import SkillGraph
    from openhelp.help.routing.learned import store

    result = replace(_synthetic_fit())
    booster = lightgbm.Booster(model_str=result.model_text)
    if trees is not None and trees < booster.num_trees():
        result.model_text = booster.model_to_string(num_iteration=trees)
        booster = lightgbm.Booster(model_str=result.model_text)
    result.used = True
    store(None, result, SkillGraph())
    return booster.num_trees()


def remove_learned_ranker() -> None:
    from openhelp.help.routing.models import LearnedRanker

    LearnedRanker.objects.all().delete()
