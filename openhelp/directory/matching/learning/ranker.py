"""Ranking with a learned model: the default weights pick the head, the model re-orders it.

``rank_learned()`` scores the pool with the hand-set weights (``scorer.score_pool``, the same cheap
path as ``rank()``), takes the best ``depth`` mentors, builds their feature rows and re-orders them
by the model. Mentors past the head follow in the default order. The fair-load signal is blended on
top of the learned score with its default weight, so learning never floods the same few people.

Reasons come from each feature's contribution for that mentor (tree SHAP values,
``pred_contrib=True``): contributions are summed per reason (mostly the scorer's own signals), and
the strongest positive ones are worded with the signal's own sentence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.learning.features import (
    FEATURE_NAMES,
    REASON_GROUP,
    FeatureBuilder,
    SkillGraph,
)
from openhelp.directory.matching.learning.fitting import predict
from openhelp.directory.matching.ranking_signals import SIGNALS
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, MAX_REASONS, Weights, score_pool
from openhelp.directory.matching.types import AskProfile, MentorProfile, Suggestion

DEPTH = 100  # how many of the default order's best the model re-orders


@dataclass(frozen=True)
class LearnedRanker:
    """A fitted model (LightGBM text) and the skill graph it was fitted with."""

    model_text: str
    graph: SkillGraph = field(default_factory=SkillGraph)
    depth: int = DEPTH

    @property
    def booster(self):
        return _booster(self.model_text)


@lru_cache(maxsize=16)
def _booster(text: str):
    import lightgbm  # here: 0.2 s to load, only in a process that fits or ranks with a model

    return lightgbm.Booster(model_str=text)


def _squash(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, value))))


def rank_learned(
    ask: AskProfile,
    mentors: Iterable[MentorProfile],
    ranker: LearnedRanker,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    index: MatchingIndex | None = None,
    limit: int | None = None,
    explain: bool = True,
    require_skill_overlap: bool = False,
) -> list[Suggestion]:
    """Like ``scorer.rank()``, with the head re-ordered by the learned model."""
    pool = mentors if isinstance(mentors, list | tuple) else list(mentors)
    if index is None:
        index = MatchingIndex.build(pool, half_life_days=weights.activity_half_life_days)
    depth = max(ranker.depth, limit or 0)
    plan, scored = score_pool(
        ask,
        pool,
        weights=weights,
        index=index,
        limit=None if limit is None else depth,
        require_skill_overlap=require_skill_overlap,
    )
    head, tail = scored[:depth], scored[depth:]
    if not head:
        return []
    profiles = [row[3] for row in head]
    builder = FeatureBuilder(ask, plan, ranker.graph)
    features = builder.rows(profiles, [-row[0] for row in head])
    raw = predict(ranker.booster, features)
    # Fair load still applies: blended with its default share of the weights.
    load_weight = weights.load if "load" in plan.signal_weights else 0.0
    rest = plan.total_weight - load_weight
    load_column = FEATURE_NAMES.index("load")
    blended = [
        (rest * _squash(float(value)) + load_weight * float(features[row, load_column])) / plan.total_weight
        for row, value in enumerate(raw)
    ]
    order = sorted(range(len(head)), key=lambda row: (-blended[row], row))
    lowest = min(blended)
    ranked: list[tuple[float, int]] = [(blended[row], row) for row in order]
    if limit is not None:
        ranked = ranked[:limit]
    contributions = (
        predict(ranker.booster, features[[row for _, row in ranked]], contributions=True) if explain else None
    )
    suggestions = []
    for place, (score, row) in enumerate(ranked):
        mentor = profiles[row]
        reasons = (
            learned_reasons(ask, mentor, plan, builder, contributions[place])
            if contributions is not None
            else None
        )
        suggestions.append(
            Suggestion(mentor.id, score, reasons=reasons, signals_source=plan.signals, source_argument=mentor)
        )
    if limit is not None and len(suggestions) >= limit:
        return suggestions
    # Past the head: the default order, scaled to stay below the last learned score.
    top_tail = -tail[0][0] if tail else 0.0
    scale = lowest / top_tail if top_tail > lowest and top_tail > 0 else 1.0
    for negative, mentor_id, _, mentor in tail:
        suggestions.append(
            Suggestion(
                mentor_id,
                -negative * scale,
                reasons=plan.reasons(mentor) if explain else None,
                signals_source=plan.signals,
                source_argument=mentor,
            )
        )
        if limit is not None and len(suggestions) >= limit:
            break
    return suggestions


def learned_reasons(ask, mentor, plan, builder: FeatureBuilder, contribution: np.ndarray) -> list[str]:
    """The reasons whose features raised this mentor's learned score most, in plain words."""
    by_group: dict[str, float] = {}
    for position, name in enumerate(FEATURE_NAMES):
        group = REASON_GROUP[name]
        if group:
            by_group[group] = by_group.get(group, 0.0) + float(contribution[position])
    worded: list[str] = []
    for group, value in sorted(by_group.items(), key=lambda item: (-item[1], item[0])):
        if value <= 0 or len(worded) >= MAX_REASONS:
            break
        reason = _word(group, ask, mentor, plan, builder)
        if reason and reason not in worded:
            worded.append(reason)
    return worded or plan.reasons(mentor)


def _word(group: str, ask, mentor: MentorProfile, plan, builder: FeatureBuilder) -> str | None:
    if group in SIGNALS:
        return SIGNALS[group](ask, mentor, plan.context, True).reason
    summary = builder._summary(mentor)
    names = {**mentor.skill_names, **ask.skill_names}
    if group == "related_skills":
        known = [
            (share, other)
            for other, share in builder.spread.items()
            if summary.skill_count.get(other) or mentor.skills.get(other)
        ]
        if known:
            _, other = max(known)
            name = names.get(other)
            if name:
                return f"knows {name}, which often comes up with what you asked"
        return None
    if group == "recent_help":
        ages = [summary.skill_last_age[s] for s in ask.skill_ids if s in summary.skill_last_age]
        if ages:
            days = round(min(ages))
            return "helped with this topic today" if days < 1 else f"helped with this topic {days} days ago"
        return None
    if group == "help_quality":
        if summary.help_count >= 2 and summary.good_count:
            return f"{summary.good_count} of their {summary.help_count} past helps went well"
        return None
    if group == "network":
        if ask.mentee_id is not None and summary.mentees.get(ask.mentee_id):
            return "has helped you before"
        if summary.ask_ids & builder.mentee_asks:
            return "has helped on the same asks as you"
        return None
    return None
