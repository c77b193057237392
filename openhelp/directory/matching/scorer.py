"""Ranking mentors for an ask: hard exclusions first, then a weighted mean of the signals.

Plain Python over plain data (``openhelp.directory.matching.types``), so the product and the offline evaluation
(``openhelp.directory.matching.evaluation``) rank through exactly this code.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields

from openhelp.directory.matching.index import AskContext, MatchingIndex
from openhelp.directory.matching.ranking_signals import MENTOR_ONLY, SIGNALS, constant_for_ask, sparse_scores
from openhelp.directory.matching.types import AskProfile, Exclusion, MentorProfile, Suggestion

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
        if self.neutral > 1 or self.related_skill_credit > 1:
            raise ValueError("neutral and related_skill_credit must be between 0 and 1")
        if self.response_hours_scale <= 0 or self.slot_hours_scale <= 0:
            raise ValueError("response_hours_scale and slot_hours_scale must be positive")
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


def overlaps_skills(ask: AskProfile, mentor: MentorProfile) -> bool:
    """Whether the mentor offers an asked skill, or a parent or child of one."""
    skills = mentor.skills
    return any(skill_id in skills for skill_id in ask.skill_ids) or any(
        skill_id in skills for skill_id in ask.related_skill_ids
    )


def rank(
    ask: AskProfile,
    mentors: Iterable[MentorProfile],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    index: MatchingIndex | None = None,
    limit: int | None = None,
    explain: bool = True,
    require_skill_overlap: bool = False,
) -> list[Suggestion]:
    """Eligible mentors, best first, each with its score, per-signal scores and reasons.

    ``index`` holds the pool statistics (text, skill help, activity); without one it is built from
    ``mentors`` for this call. Ties break on mentor id so the order is stable. ``explain=False``
    skips the wording of reasons, for callers that only need the order (the offline evaluation).
    ``require_skill_overlap`` keeps only mentors with an asked skill or a parent/child of one
    (retrieval for routing; the evaluation ranks everyone, as its protocol says).
    """
    plan, scored = score_pool(
        ask, mentors, weights=weights, index=index, limit=limit, require_skill_overlap=require_skill_overlap
    )
    signals = plan.signals
    return [
        Suggestion(
            mentor_id,
            -negative_score,
            reasons=plan.reasons(mentor) if explain else None,
            signals_source=signals,
            source_argument=mentor,
        )
        for negative_score, mentor_id, _, mentor in scored
    ]


def score_pool(
    ask: AskProfile,
    mentors: Iterable[MentorProfile],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    index: MatchingIndex | None = None,
    limit: int | None = None,
    require_skill_overlap: bool = False,
) -> tuple[_ScoringPlan, list[tuple[float, int, int, MentorProfile]]]:
    """``rank()`` without the wording: the scoring plan and ``(-score, id, position, profile)`` rows,
    best first. The learned ranker (``matching.learning``) re-orders the head of these rows."""
    pool = mentors if isinstance(mentors, list | tuple) else list(mentors)
    if index is None:
        index = MatchingIndex.build(pool, half_life_days=weights.activity_half_life_days)
    plan = _ScoringPlan(ask, index.context_for(ask, weights), weights)

    if require_skill_overlap and ask.skill_ids:
        holders = index.skill_holders([*ask.skill_ids, *ask.related_skill_ids])
        is_current = index.is_current
        pool = [
            mentor
            for mentor in pool
            if (mentor.id in holders if is_current(mentor) else overlaps_skills(ask, mentor))
        ]
    total = plan.total
    # (-score, id, position, profile): the position keeps profiles from ever being compared.
    scored = [
        (-total(mentor), mentor.id, position, mentor)
        for position, mentor in enumerate(pool)
        if eligible(ask, mentor) is None
    ]
    if limit is None:
        scored.sort()
    else:
        scored = heapq.nsmallest(limit, scored)
    return plan, scored


class _ScoringPlan:
    """How one ask scores a mentor, arranged so that ranking a large pool stays cheap.

    Each signal is one of: mentor-only (its weighted part cached per profile by the index), the
    same for everyone on this ask (added once), sparse (read from the per-ask scores the index
    computed; 0 for mentors it does not link to the ask) or computed per pair. ``signals`` calls
    every signal function directly, so the breakdown shown always matches the functions.
    """

    def __init__(self, ask: AskProfile, context: AskContext, weights: Weights) -> None:
        self.ask, self.context, self.weights, self.index = ask, context, weights, context.index
        self.signal_weights = weights.signal_weights()
        self.total_weight = sum(self.signal_weights.values())
        self.mentor_only = [name for name in self.signal_weights if name in MENTOR_ONLY]
        self.constant_part = 0.0
        self.sparse: list[tuple[float, dict[int, float], str]] = []
        self.per_pair: list[tuple[float, str]] = []
        for name, weight in self.signal_weights.items():
            if name in MENTOR_ONLY:
                continue
            value = constant_for_ask(name, ask, context)
            scores = sparse_scores(name, ask, context) if value is None else None
            if value is not None:
                self.constant_part += weight * value
            elif scores is not None:
                self.sparse.append((weight, scores, name))
            else:
                self.per_pair.append((weight, name))

    def _mentor_part(self, mentor: MentorProfile) -> float:
        return sum(
            weight * SIGNALS[name](self.ask, mentor, self.context, False).score
            for name, weight in self.signal_weights.items()
            if name in MENTOR_ONLY
        )

    def total(self, mentor: MentorProfile) -> float:
        """The weighted mean of all the signals for this mentor."""
        index = self.index
        subtotal = index.mentor_scores(mentor, self.weights, self._mentor_part) + self.constant_part
        if index.is_current(mentor):
            mentor_id = mentor.id
            for weight, scores, _ in self.sparse:
                subtotal += weight * scores.get(mentor_id, 0.0)
        else:
            for weight, _, name in self.sparse:
                subtotal += weight * SIGNALS[name](self.ask, mentor, self.context, False).score
        for weight, name in self.per_pair:
            subtotal += weight * SIGNALS[name](self.ask, mentor, self.context, False).score
        return subtotal / self.total_weight

    def signals(self, mentor: MentorProfile) -> dict[str, float]:
        return {
            name: SIGNALS[name](self.ask, mentor, self.context, False).score for name in self.signal_weights
        }

    def reasons(self, mentor: MentorProfile) -> list[str]:
        """Plain-words reasons in a fixed order (skills, experience, availability, …), so people
        read them the same way on every suggestion; signals switched off give none."""
        worded = []
        for name in self.signal_weights:
            reason = SIGNALS[name](self.ask, mentor, self.context, True).reason
            if reason:
                worded.append(reason)
        return worded[:MAX_REASONS]
