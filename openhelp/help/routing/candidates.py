"""From an ask to ranked, explained candidates: retrieval (routing.retrieval, routing.profiles) → the
matching scorer (matching.scorer.rank, plain Python over matching.types).

``rank_candidates`` is what routing and the suggestions page use; ``count_candidates`` is the ask form's
live preview. Both apply the same retrieval rules, so the preview never promises experts routing skips.
"""

from __future__ import annotations

from dataclasses import dataclass

from openhelp.directory.matching.learning.ranker import rank_learned
from openhelp.directory.matching.scorer import rank
from openhelp.directory.people.capacity import capacity_for
from openhelp.directory.people.models import SKILL_LEVELS, Profile, SkillOffer
from openhelp.help.asks.models import Ask
from openhelp.help.routing import policy
from openhelp.help.routing.learned import ranker_for
from openhelp.help.routing.profiles import candidates_for
from openhelp.help.routing.retrieval import count_candidates, skill_pool
from openhelp.platform.lib.clock import now

__all__ = ["Match", "count_candidates", "direct_reasons", "rank_candidates", "unavailable_reason"]


@dataclass(frozen=True)
class Match:
    """One ranked candidate: who, how well they fit, and why in plain words."""

    mentor_id: int  # the user id (what offers and directed asks point at)
    profile_id: int
    display_name: str
    score: float
    reasons: list[str]


def rank_candidates(ask: Ask, *, widened: bool = False, limit: int | None = None) -> list[Match]:
    """The best experts for ``ask`` right now, best first, each with reasons; [] when nobody fits."""
    skill_ids = list(ask.skills.values_list("pk", flat=True))
    if not skill_ids:
        return []
    weights = policy.weights()
    found = candidates_for(
        ask, pool=skill_pool(skill_ids, widened=widened), load_window_weeks=weights.load_window_weeks
    )
    if not found.mentors:
        return []
    names = {mentor.id: mentor.name for mentor in found.mentors}
    # The organisation's learned ranker when it passed its guard and organisers kept it on (routing.learned).
    learned = ranker_for(ask.programme)
    ranked = (
        rank_learned(found.ask, found.mentors, learned, weights=weights, limit=limit)
        if learned is not None
        else rank(found.ask, found.mentors, weights=weights, limit=limit)
    )
    return [
        Match(
            mentor_id=suggestion.mentor_id,
            profile_id=found.profile_ids[suggestion.mentor_id],
            display_name=names[suggestion.mentor_id],
            score=round(suggestion.score, 4),
            reasons=[_sentence(reason) for reason in suggestion.reasons],
        )
        for suggestion in ranked
    ]


def _sentence(reason: str) -> str:
    """The scorer's 'teaches Django at level 4' as a sentence: 'Teaches Django at level 4.'"""
    reason = reason.strip()
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith((".", "!", "?")) else ".")


def unavailable_reason(mentor) -> str:
    """Why this person cannot take an ask right now, in words after their name; '' when they can."""
    profile = Profile.objects.filter(user=mentor).first()
    if profile is None or not profile.open_to_help or not mentor.is_active:
        return "is not taking asks at the moment"
    if profile.is_paused():
        return f"is away until {profile.paused_until:%d %b %Y}"
    if capacity_for(profile, moment=now()).is_full:
        return "has no sessions left this week"
    return ""


def direct_reasons(ask: Ask, mentor) -> list[str]:
    """'Why you' for a directed ask: they were chosen, and what they offer of the asked skills."""
    reasons = [f"{ask.mentee.display_name} asked you personally."]
    offers = SkillOffer.objects.filter(profile__user=mentor, skill__in=ask.skills.all()).select_related(
        "skill"
    )
    for offer in offers:
        reasons.append(f"You offer {offer.skill.name} at level {offer.level} ({SKILL_LEVELS[offer.level]}).")
    return reasons
