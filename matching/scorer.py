"""Ranking mentors for an ask: hard exclusions first, then a weighted mean of the signals.

Plain Python over plain data (``matching.types``), so the product and the offline evaluation
(``matching.evaluation``) rank through exactly this code.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields

from matching.index import AskContext, MatchingIndex
from matching.signals import MENTOR_ONLY, SIGNALS, constant_for_ask, sparse_scores
from matching.types import AskProfile, Exclusion, MentorProfile, Suggestion

MAX_REASONS = 4


@dataclass(frozen=True)
class Weights:
    """How much each signal counts, plus the few constants the signals use. All configurable.

    The signal weights are relative: the score is their weighted mean, so doubling all of them
    changes nothing. A weight of 0 switches a signal off.
    """

    skill_fit: float = 0.25
    proven_help: float = 0.5
    relevance: float = 1.0
    activity: float = 1.0
    availability: float = 0.75
    responsiveness: float = 0.5
    load: float = 0.5
    timezone: float = 0.5
    fresh_perspective: float = 0.25

    neutral: float = 0.5  # score of a signal that has no data, the same for every mentor
    related_skill_credit: float = 0.5  # a parent/child skill counts for this much of the asked one
    activity_half_life_days: float = 120.0  # past help counts half after this many days
    proven_help_smoothing: float = 1.0  # pseudo-help added to each skill's total (rare skills)
    response_hours_scale: float = 24.0  # replying after this many hours scores ½
    slot_hours_scale: float = 48.0  # a first free slot this many hours away scores ½
    load_window_weeks: int = 4  # MentorProfile.recent_sessions counts sessions over this window

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) < 0:
                raise ValueError(f"{item.name} must not be negative")
        if self.activity_half_life_days <= 0 or self.load_window_weeks <= 0:
            raise ValueError("activity_half_life_days and load_window_weeks must be positive")
        if not any(getattr(self, name) for name in SIGNALS):
            raise ValueError("at least one signal needs a positive weight")

    @classmethod
    def from_mapping(cls, values: Mapping[str, float], *, base: Weights | None = None) -> Weights:
        """Weights from configuration (e.g. JSON), starting from ``base``; unknown names are an error."""
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown weight(s): {', '.join(unknown)}")
        merged = asdict(base or cls())
        merged.update({name: float(value) for name, value in values.items()})
        merged["load_window_weeks"] = int(merged["load_window_weeks"])
        return cls(**merged)

    def signal_weights(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in SIGNALS if getattr(self, name) > 0}


DEFAULT_WEIGHTS = Weights()


def eligible(ask: AskProfile, mentor: MentorProfile) -> Exclusion | None:
    """``None`` when the mentor may be offered this ask, otherwise the reason they never are."""

    def excluded(code: str, reason: str) -> Exclusion:
        return Exclusion(mentor_id=mentor.id, code=code, reason=reason)

    if ask.mentee_id is not None and mentor.id == ask.mentee_id:
        return excluded("self", "is the person asking")
    if mentor.id in ask.blocked_ids or (ask.mentee_id is not None and ask.mentee_id in mentor.blocked_ids):
        return excluded("blocked", "one of you has blocked the other")
    if not mentor.open_to_help:
        return excluded("not-open", "is not open to help")
    if mentor.paused:
        return excluded("paused", "has paused helping")
    if mentor.capacity_total is not None and mentor.capacity_used >= mentor.capacity_total:
        return excluded("at-capacity", "has no sessions left this week")
    if mentor.id in ask.declined_mentor_ids:
        return excluded("declined", "already declined this ask")
    if ask.languages and mentor.languages and not (ask.languages & mentor.languages):
        return excluded("language", "speaks none of the ask's languages")
    return None


def rank(
    ask: AskProfile,
    mentors: Iterable[MentorProfile],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    index: MatchingIndex | None = None,
    limit: int | None = None,
    explain: bool = True,
) -> list[Suggestion]:
    """Eligible mentors, best first, each with its score, per-signal scores and reasons.

    ``index`` holds the pool statistics (text, skill help, activity); without one it is built from
    ``mentors`` for this call. Ties break on mentor id so the order is stable. ``explain=False``
    skips the wording of reasons, for callers that only need the order (the offline evaluation).
    """
    pool = mentors if isinstance(mentors, list | tuple) else list(mentors)
    if index is None:
        index = MatchingIndex.build(pool, half_life_days=weights.activity_half_life_days)
    context = index.context_for(ask, weights)
    plan = _ScoringPlan(ask, context, weights)

    scored = []
    for mentor in pool:
        if eligible(ask, mentor) is None:
            score, values = plan.score(mentor)
            scored.append((-score, mentor.id, values, mentor))
    if limit is None:
        scored.sort(key=_order)
    else:
        scored = heapq.nsmallest(limit, scored, key=_order)

    suggestions = []
    for negative_score, mentor_id, values, mentor in scored:
        suggestion = Suggestion(
            mentor_id=mentor_id, score=-negative_score, signals=dict(zip(plan.names, values, strict=True))
        )
        if explain:
            suggestion.reasons = plan.reasons(mentor)
        suggestions.append(suggestion)
    return suggestions


def _order(item) -> tuple[float, int]:
    return item[0], item[1]


class _ScoringPlan:
    """How one ask scores a mentor. Each signal is one of: mentor-only (cached per profile by the
    index), the same for everyone on this ask (added once), sparse (read from the per-ask scores
    the index computed, 0 for mentors it does not link to the ask) or computed for the pair. Only
    the last kind costs a call per mentor; it keeps ranking a large pool cheap."""

    def __init__(self, ask: AskProfile, context: AskContext, weights: Weights) -> None:
        self.ask, self.context, self.weights = ask, context, weights
        self.signal_weights = weights.signal_weights()
        self.total_weight = sum(self.signal_weights.values())
        self.mentor_only = [name for name in self.signal_weights if name in MENTOR_ONLY]
        constants: dict[str, float] = {}
        self.sparse: list[tuple[str, float, dict[int, float]]] = []
        self.per_pair: list[tuple[str, float]] = []
        for name, weight in self.signal_weights.items():
            if name in MENTOR_ONLY:
                continue
            value = constant_for_ask(name, ask, context)
            if value is not None:
                constants[name] = value
                continue
            scores = sparse_scores(name, ask, context)
            if scores is None:
                self.per_pair.append((name, weight))
            else:
                self.sparse.append((name, weight, scores))
        self.names = (
            self.mentor_only
            + list(constants)
            + [name for name, _, _ in self.sparse]
            + [name for name, _ in self.per_pair]
        )
        self.constant_part = sum(self.signal_weights[name] * value for name, value in constants.items())
        self.constant_values = tuple(constants.values())

    def _mentor_part(self, mentor: MentorProfile) -> tuple[float, tuple[float, ...]]:
        values = tuple(
            SIGNALS[name](self.ask, mentor, self.context, False).score for name in self.mentor_only
        )
        subtotal = sum(
            value * self.signal_weights[name] for name, value in zip(self.mentor_only, values, strict=True)
        )
        return subtotal, values

    def score(self, mentor: MentorProfile) -> tuple[float, tuple[float, ...]]:
        """The weighted mean of all signals, and each signal's score in ``names`` order."""
        index = self.context.index
        subtotal, values = index.mentor_scores(mentor, self.weights, self._mentor_part)
        subtotal += self.constant_part
        extra = []
        if index.is_current(mentor):
            mentor_id = mentor.id
            for _, weight, scores in self.sparse:
                value = scores.get(mentor_id, 0.0)
                subtotal += weight * value
                extra.append(value)
        else:
            for name, weight, _ in self.sparse:
                value = SIGNALS[name](self.ask, mentor, self.context, False).score
                subtotal += weight * value
                extra.append(value)
        for name, weight in self.per_pair:
            value = SIGNALS[name](self.ask, mentor, self.context, False).score
            subtotal += weight * value
            extra.append(value)
        return subtotal / self.total_weight, values + self.constant_values + tuple(extra)

    def reasons(self, mentor: MentorProfile) -> list[str]:
        """Plain-words reasons, those of the signals adding most to the mentor's score first."""
        worded = []
        for order, (name, weight) in enumerate(self.signal_weights.items()):
            signal = SIGNALS[name](self.ask, mentor, self.context, True)
            if signal.reason:
                worded.append((-weight * signal.score, order, signal.reason))
        worded.sort()
        return [reason for _, _, reason in worded[:MAX_REASONS]]
