"""Plain-data builders for the matching tests (no database)."""

from __future__ import annotations

from openhelp.directory.matching.index import MatchingIndex
from openhelp.directory.matching.scorer import DEFAULT_WEIGHTS, Weights
from openhelp.directory.matching.types import AskProfile, MentorProfile, PastHelp

POSTGRES, DJANGO, PYTHON, DESIGN = 1, 2, 3, 4
NAMES = {POSTGRES: "PostgreSQL", DJANGO: "Django", PYTHON: "Python", DESIGN: "Design"}


def mentor(mentor_id: int, **fields) -> MentorProfile:
    fields.setdefault("name", f"Mentor {mentor_id}")
    skills = fields.setdefault("skills", {})
    fields.setdefault(
        "skill_names", {skill_id: NAMES.get(skill_id, f"skill {skill_id}") for skill_id in skills}
    )
    return MentorProfile(id=mentor_id, **fields)


def ask(**fields) -> AskProfile:
    skill_ids = frozenset(fields.pop("skill_ids", ()))
    fields.setdefault(
        "skill_names", {skill_id: NAMES.get(skill_id, f"skill {skill_id}") for skill_id in skill_ids}
    )
    return AskProfile(skill_ids=skill_ids, **fields)


def helped(
    title: str, *skill_ids: int, age_days: float = 10.0, weight: float = 1.0, text: str = ""
) -> PastHelp:
    return PastHelp(
        title=title, text=text or title, skill_ids=frozenset(skill_ids), age_days=age_days, weight=weight
    )


def context_for(the_ask: AskProfile, mentors, weights: Weights = DEFAULT_WEIGHTS):
    index = MatchingIndex.build(mentors, half_life_days=weights.activity_half_life_days)
    return index.context_for(the_ask, weights)
