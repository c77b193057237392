"""Pool-wide statistics the scorer reads, built once and updated one mentor at a time.

Ranking one ask must stay cheap however large the pool is, so everything that does not depend on
the ask is computed here when a mentor is added: their text in an inverted index, how much recent
help they gave on each skill, and their overall recent activity. Per ask, the index only walks the
postings of the ask's own words and skills (see ``AskContext``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from openhelp.directory.matching.text import BM25Index, terms_of, tokenise
from openhelp.directory.matching.types import AskProfile, MentorProfile


def decay(age_days: float, half_life_days: float) -> float:
    """How much a past event still counts: 1 today, ½ after one half-life, ¼ after two."""
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def mentor_terms(mentor: MentorProfile) -> list[str]:
    """The words that describe a mentor's experience: profile, skill names and past help (each text's
    terms are remembered per process by ``terms_of``, so a mentor met again is not tokenised again)."""
    terms = list(terms_of(mentor.profile_text))
    for name in mentor.skill_names.values():
        terms.extend(terms_of(name))
    for help_ in mentor.past_help:
        terms.extend(terms_of(help_.text or help_.title))
    return terms


@dataclass(slots=True)
class AskContext:
    """What one ask needs from the index, computed once per ask: sparse per-mentor scores."""

    ask: AskProfile
    weights: object  # matching.scorer.Weights (kept untyped here to avoid an import cycle)
    index: MatchingIndex
    query_terms: list[str] = field(default_factory=list)
    relevance: dict[int, float] = field(default_factory=dict)
    proven_help: dict[int, float] = field(default_factory=dict)
    overlaps: dict = field(default_factory=dict)  # mentor working window -> minutes shared (memo)


class MatchingIndex:
    """Text index, per-skill help shares and activity for a pool of mentors."""

    def __init__(self, *, half_life_days: float = 120.0, k1: float = 1.2, b: float = 0.75) -> None:
        if half_life_days <= 0:
            raise ValueError("half_life_days must be positive")
        self.half_life_days = half_life_days
        self.text = BM25Index(k1=k1, b=b)
        self._skill_help: dict[int, dict[int, float]] = {}  # skill id -> mentor id -> decayed help
        self._skill_totals: dict[int, float] = {}
        self._mentor_skill_help: dict[int, dict[int, float]] = {}
        self._activity: dict[int, float] = {}
        self._max_activity: float | None = 0.0
        self._mentor_scores: dict[int, tuple] = {}
        self._profiles: dict[int, MentorProfile] = {}
        self._skill_holders: dict[int, set[int]] = {}  # skill id -> mentors who declared it
        self._summaries: dict[int, tuple] = {}  # mentor id -> (profile, summary) for matching.learning

    @classmethod
    def build(cls, mentors: Iterable[MentorProfile], **options) -> MatchingIndex:
        index = cls(**options)
        for mentor in mentors:
            index.add(mentor)
        return index

    def __contains__(self, mentor_id: int) -> bool:
        return mentor_id in self._activity

    def __len__(self) -> int:
        return len(self._activity)

    def add(self, mentor: MentorProfile) -> None:
        """Index (or re-index, after a profile change) one mentor."""
        self.remove(mentor.id)
        self.text.add(mentor.id, mentor_terms(mentor))
        per_skill: dict[int, float] = {}
        activity = 0.0
        for help_ in mentor.past_help:
            value = help_.weight * decay(help_.age_days, self.half_life_days)
            activity += value
            for skill_id in help_.skill_ids:
                per_skill[skill_id] = per_skill.get(skill_id, 0.0) + value
        for skill_id, value in per_skill.items():
            self._skill_help.setdefault(skill_id, {})[mentor.id] = value
            self._skill_totals[skill_id] = self._skill_totals.get(skill_id, 0.0) + value
        self._mentor_skill_help[mentor.id] = per_skill
        self._profiles[mentor.id] = mentor
        for skill_id in mentor.skills:
            self._skill_holders.setdefault(skill_id, set()).add(mentor.id)
        self._activity[mentor.id] = activity
        if self._max_activity is not None:
            self._max_activity = max(self._max_activity, activity)

    def remove(self, mentor_id: int) -> None:
        if mentor_id not in self._activity:
            return
        self.text.remove(mentor_id)
        for skill_id, value in self._mentor_skill_help.pop(mentor_id).items():
            del self._skill_help[skill_id][mentor_id]
            self._skill_totals[skill_id] -= value
            if not self._skill_help[skill_id]:
                del self._skill_help[skill_id]
                del self._skill_totals[skill_id]
        del self._activity[mentor_id]
        self._mentor_scores.pop(mentor_id, None)
        self._summaries.pop(mentor_id, None)
        for skill_id in self._profiles.pop(mentor_id).skills:
            holders = self._skill_holders[skill_id]
            holders.discard(mentor_id)
            if not holders:
                del self._skill_holders[skill_id]
        self._max_activity = None  # recomputed lazily: the removed mentor may have been the maximum

    def is_current(self, mentor: MentorProfile) -> bool:
        """Whether this very profile object is the one indexed (profiles are frozen, so a changed
        mentor is a different object and is scored from the profile itself)."""
        return self._profiles.get(mentor.id) is mentor

    def profile(self, mentor_id: int) -> MentorProfile | None:
        return self._profiles.get(mentor_id)

    def skill_holders(self, skill_ids: Iterable[int]) -> set[int]:
        """Mentors who declared any of these skills."""
        found: set[int] = set()
        for skill_id in skill_ids:
            found |= self._skill_holders.get(skill_id, set())
        return found

    def activity(self, mentor: MentorProfile) -> float:
        """Recent help given, each past help decayed by age and weighted by how well it went."""
        value = self._activity.get(mentor.id)
        if value is None:
            value = sum(h.weight * decay(h.age_days, self.half_life_days) for h in mentor.past_help)
        return value

    @property
    def max_activity(self) -> float:
        if self._max_activity is None:
            self._max_activity = max(self._activity.values(), default=0.0)
        return self._max_activity

    def mentor_scores(
        self, mentor: MentorProfile, weights, compute: Callable[[MentorProfile], tuple]
    ) -> tuple:
        """Scores of the signals that depend on the mentor alone, computed once per profile object.

        Valid while the profile object, the weights object and the pool's top activity are the
        same; profiles are frozen, so a changed mentor arrives as a new object and is recomputed.
        """
        ceiling = self._max_activity if self._max_activity is not None else self.max_activity
        entry = self._mentor_scores.get(mentor.id)
        if entry is not None and entry[0] is mentor and entry[1] is weights and entry[2] == ceiling:
            return entry[3]
        values = compute(mentor)
        self._mentor_scores[mentor.id] = (mentor, weights, ceiling, values)
        return values

    def summary(self, mentor: MentorProfile, compute: Callable[[MentorProfile], object]) -> object:
        """A per-profile summary (``matching.learning`` features), computed once per profile object."""
        entry = self._summaries.get(mentor.id)
        if entry is not None and entry[0] is mentor:
            return entry[1]
        value = compute(mentor)
        self._summaries[mentor.id] = (mentor, value)
        return value

    def skill_help_total(self, skill_id: int) -> float:
        """All recent (decayed) help given on one skill across the pool."""
        return self._skill_totals.get(skill_id, 0.0)

    def skill_share(self, skill_id: int, *, smoothing: float) -> dict[int, float]:
        """Each mentor's share of the recent help given on one skill (smoothed for rare skills)."""
        helpers = self._skill_help.get(skill_id)
        if not helpers:
            return {}
        denominator = self._skill_totals[skill_id] + smoothing
        return {mentor_id: value / denominator for mentor_id, value in helpers.items()}

    def context_for(self, ask: AskProfile, weights) -> AskContext:
        """Per-ask sparse scores: text relevance (scaled so the best match is 1) and help shares."""
        if weights.activity_half_life_days != self.half_life_days:
            raise ValueError("the index was built with a different activity half-life than the weights")
        context = AskContext(ask=ask, weights=weights, index=self, query_terms=tokenise(ask.text))
        raw = self.text.scores(context.query_terms)
        best = max(raw.values(), default=0.0)
        if best > 0:
            context.relevance = {mentor_id: value / best for mentor_id, value in raw.items()}
        context.proven_help = self._proven_help(ask, weights)
        return context

    def _proven_help(self, ask: AskProfile, weights) -> dict[int, float]:
        if not ask.skill_ids:
            return {}
        shares: dict[int, float] = {}
        part = 1.0 / len(ask.skill_ids)
        sources = [(skill_id, part) for skill_id in ask.skill_ids]
        sources += [
            (related_id, part * weights.related_skill_credit)
            for related_id, asked_id in ask.related_skill_ids.items()
            if asked_id in ask.skill_ids and related_id not in ask.skill_ids
        ]
        for skill_id, factor in sources:
            for mentor_id, share in self.skill_share(
                skill_id, smoothing=weights.proven_help_smoothing
            ).items():
                shares[mentor_id] = shares.get(mentor_id, 0.0) + factor * share
        return {mentor_id: min(1.0, value) for mentor_id, value in shares.items()}


def activity_score(value: float, ceiling: float) -> float:
    """Recent activity on a log scale against the most active mentor in the pool, in [0, 1]."""
    if ceiling <= 0:
        return 0.0
    return min(1.0, math.log1p(value) / math.log1p(ceiling))
