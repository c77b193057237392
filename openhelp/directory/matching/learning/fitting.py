"""Fitting the learned ranker (LightGBM LambdaMART) on time-ordered groups, with the guard.

A *group* is one past ask: the feature rows of the mentors the default weights put at the top (in
that order) and a label per row (2 = accepted and helped, 1 = helped / offered and accepted, 0 = the
rest). Groups arrive oldest first, already cut into time-ordered *slices*:

    slices[:-2]  → fitting          slices[-2] → validation (early stopping)
    slices[-1]   → the guard: the most recent asks, never seen while fitting

The model (refitted on fitting + validation with the number of rounds validation chose) is used
only if its MRR on the guard slice beats the default weights' order on the same asks by two standard
errors, *and* the same procedure run one slice earlier (fitted without the validation slice, judged on
it) also beat the default order there: a gain must hold in two consecutive periods, because on small
sites one period's gain often did not carry to the next (docs/matching.md). Everything is seeded and
single-threaded, so the same groups give the same model byte for byte.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from openhelp.directory.matching.learning.features import FEATURE_NAMES

PARAMS = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "eval_at": [10],
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "lambdarank_truncation_level": 20,
    "seed": 7,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbosity": -1,
}
MAX_ROUNDS = 300
EARLY_STOPPING = 30
GUARD_ERRORS = 2.0  # the gain on the guard slice must be this many standard errors above zero
MIN_GROUPS = 30  # fewer asks with a positive than this in the fitting slices: keep the defaults


@dataclass(slots=True)
class Group:
    """One past ask: feature rows in the default order, a label per row."""

    features: np.ndarray
    labels: np.ndarray


@dataclass(slots=True)
class FitResult:
    """The fitted model (``None`` when there was too little data) and what the guard saw."""

    model_text: str | None
    used: bool
    reason: str
    rounds: int
    mrr_default: float
    mrr_learned: float
    guard_asks: int
    fitted_asks: int
    seconds: float


def reciprocal_ranks(groups: Sequence[Group], scores: Sequence[np.ndarray] | None = None) -> np.ndarray:
    """Per group, 1 / the place of the best-labelled row; ``scores=None`` means the default order
    (row order). Ties keep row order. Groups without a positive score 0."""
    values = np.zeros(len(groups))
    for position, group in enumerate(groups):
        if not group.labels.size or group.labels.max() <= 0:
            continue
        target = int(np.argmax(group.labels))  # the first best-labelled row
        if scores is None:
            values[position] = 1.0 / (target + 1)
            continue
        row = scores[position]
        ahead = int(np.sum(row > row[target])) + int(np.sum(row[:target] == row[target]))
        values[position] = 1.0 / (ahead + 1)
    return values


def mrr(groups: Sequence[Group], scores: Sequence[np.ndarray] | None = None) -> float:
    """Mean reciprocal rank over the groups (see ``reciprocal_ranks``)."""
    return float(reciprocal_ranks(groups, scores).mean()) if groups else 0.0


def beats(learned: np.ndarray, default: np.ndarray) -> bool:
    """The guard's test: the learned model's gain on the same asks is positive and at least two
    standard errors of the paired differences, so a lucky few asks do not switch it on."""
    if not len(learned):
        return False
    gain = learned - default
    mean = float(gain.mean())
    error = float(gain.std(ddof=1) / np.sqrt(len(gain))) if len(gain) > 1 else 0.0
    return mean > 0 and mean >= GUARD_ERRORS * error


def prior(size: int) -> np.ndarray:
    """The default order as a starting score (-log(1 + place)): the model learns corrections to
    the hand-set weights rather than a ranking from scratch, so a few rounds cannot do worse."""
    return -np.log1p(np.arange(size, dtype=np.float64))


def _stack(groups: Sequence[Group]):
    useful = [g for g in groups if g.labels.size and g.labels.max() > 0]
    if not useful:
        return None, None, [], None
    return (
        np.vstack([g.features for g in useful]),
        np.concatenate([g.labels for g in useful]),
        [len(g.labels) for g in useful],
        np.concatenate([prior(len(g.labels)) for g in useful]),
    )


def _dataset(lightgbm, groups: Sequence[Group], reference=None):
    features, labels, sizes, start = _stack(groups)
    if features is None:
        return None
    return lightgbm.Dataset(
        features,
        label=labels,
        group=sizes,
        init_score=start,
        feature_name=list(FEATURE_NAMES),
        reference=reference,
        free_raw_data=False,
        params={"verbosity": -1},
    )


def predict(booster, features: np.ndarray, *, contributions: bool = False) -> np.ndarray:
    """Learned scores for rows in the default order (the prior included), or per-feature
    contributions (``contributions=True``; the prior is not a feature and is left out)."""
    if contributions:
        return booster.predict(features, pred_contrib=True, num_threads=1)
    return booster.predict(features, num_threads=1) + prior(len(features))


def fit_guarded(slices: Sequence[Sequence[Group]]) -> FitResult:
    """Fit on all slices but the last (the one before it for early stopping); guard on the last."""
    import lightgbm  # here: 0.2 s to load, only in a process that fits or ranks with a model

    started = time.perf_counter()
    # Fewer than three slices (fit, validate, guard): nothing is fitted, the guard keeps the defaults.
    fitting = [g for part in slices[:-2] for g in part]
    validation = list(slices[-2]) if len(slices) >= 3 else []
    guard = list(slices[-1]) if len(slices) >= 3 else []
    positives = sum(1 for g in [*fitting, *validation] if g.labels.size and g.labels.max() > 0)

    def result(text, used, reason, rounds, learned=0.0):
        return FitResult(
            model_text=text,
            used=used,
            reason=reason,
            rounds=rounds,
            mrr_default=round(mrr(guard), 4),
            mrr_learned=round(learned, 4),
            guard_asks=len(guard),
            fitted_asks=len(fitting) + len(validation),
            seconds=round(time.perf_counter() - started, 2),
        )

    fitted = _fit(lightgbm, fitting, validation) if positives >= MIN_GROUPS else None
    if fitted is None:
        return result(None, False, f"too little history ({positives} asks with a known helper)", 0)
    booster, rounds = fitted
    learned_ranks = reciprocal_ranks(guard, [predict(booster, g.features) for g in guard])
    default_ranks = reciprocal_ranks(guard)
    learned = float(learned_ranks.mean()) if guard else 0.0
    text = booster.model_to_string()
    if not beats(learned_ranks, default_ranks):
        return result(
            text, False, "does not beat the default weights on the most recent asks", rounds, learned
        )
    earlier = gain_one_period_earlier(lightgbm, slices)
    if earlier is not None and earlier <= 0:
        reason = (
            "beats the default weights on the most recent asks, but the same fit one period earlier "
            f"did not (MRR {earlier:+.4f} on the asks before them)"
        )
        return result(text, False, reason, rounds, learned)
    return result(text, True, "beats the default weights on the most recent asks", rounds, learned)


def _fit(lightgbm, fitting: Sequence[Group], validation: Sequence[Group]):
    """LambdaMART fitted on ``fitting`` with early stopping on ``validation``, then refitted on both with
    the rounds that chose: ``(booster, rounds)``, or None when either part has no ask with a helper."""
    train_set = _dataset(lightgbm, fitting)
    valid_set = _dataset(lightgbm, validation, reference=train_set) if train_set is not None else None
    if train_set is None or valid_set is None:
        return None
    first = lightgbm.train(
        PARAMS,
        train_set,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[valid_set],
        callbacks=[lightgbm.early_stopping(EARLY_STOPPING, verbose=False)],
    )
    rounds = max(1, first.best_iteration or MAX_ROUNDS)
    both = _dataset(lightgbm, [*fitting, *validation])
    return lightgbm.train(PARAMS, both, num_boost_round=rounds), rounds


def gain_one_period_earlier(lightgbm, slices: Sequence[Sequence[Group]]) -> float | None:
    """The guard's second period: the same procedure with the last slice left out (fitted on
    ``slices[:-3]``, early stopping on ``slices[-3]``) judged on ``slices[-2]``, which that fit never saw.
    Its mean gain in MRR over the default order, or None with fewer than four slices."""
    if len(slices) < 4:
        return None
    *earlier, judged = slices[:-1]
    fitted = _fit(lightgbm, [g for part in earlier[:-1] for g in part], list(earlier[-1]))
    if fitted is None or not judged:
        return None
    booster, _ = fitted
    learned = reciprocal_ranks(judged, [predict(booster, g.features) for g in judged])
    return float((learned - reciprocal_ranks(judged)).mean())
