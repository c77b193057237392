"""Learning goals: set, change and finish them; progress per skill; who and what could help next.

Progress on a skill counts what already happened for its owner as a mentee: sessions on the skill (or a
skill within it — a Django session counts towards a Python goal), the takeaways of those sessions'
debriefs, and endorsements. A skill is *covered* once it has a session or an endorsement; for the others
the goal page suggests people open to help with it and office hours that focus on it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from openhelp.community.goals.models import MAX_GOAL_SKILLS, MAX_TITLE, MAX_WHY, LearningGoal
from openhelp.community.recognition.models import Endorsement
from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.people.models import Profile, SkillOffer
from openhelp.directory.skills.models import Skill
from openhelp.help.mentoring.models import Debrief, Session, SessionState
from openhelp.help.officehours.models import OfficeHours
from openhelp.platform.lib.clock import local_now, now

if TYPE_CHECKING:
    from openhelp.directory.people.models import SkillOffer
    from openhelp.help.officehours.models import OfficeHours
    from openhelp.platform.accounts.models import User

MAX_HORIZON_DAYS = 2 * 366
SUGGESTED_MENTORS = 3
SUGGESTED_OFFICE_HOURS = 3


def today_of(user: User) -> dt.date:
    profile = getattr(user, "profile", None)
    return local_now(profile.timezone if profile is not None and profile.timezone else "UTC").date()


def _clean(
    *,
    owner: User,
    title: str,
    skills: Sequence[Skill],
    target_date: dt.date | None,
    why: str,
    current: dt.date | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = "Give the goal a name, e.g. “Move into data analysis”."
    elif len(title) > MAX_TITLE:
        errors["title"] = f"Keep the name under {MAX_TITLE} characters."
    why = (why or "").strip()
    if len(why) > MAX_WHY:
        errors["why"] = f"Keep it under {MAX_WHY} characters (it has {len(why)})."
    unique = list({skill.pk: skill for skill in skills if skill is not None}.values())
    if not unique:
        errors["skills"] = "Add at least one skill you want to build."
    elif len(unique) > MAX_GOAL_SKILLS:
        errors["skills"] = f"Focus on at most {MAX_GOAL_SKILLS} skills per goal."
    elif len(unique) != len([s for s in skills if s is not None]):
        errors["skills"] = "Each skill only once, please."
    elif Skill.objects.visible_to(owner).filter(pk__in=[s.pk for s in unique]).count() != len(unique):
        errors["skills"] = "Choose skills from the skill list."
    today = today_of(owner)
    if target_date is None:
        errors["target_date"] = "Choose a target date, e.g. three weeks from today."
    elif target_date < today and target_date != current:
        errors["target_date"] = "Choose a target date from today on."
    elif target_date > today + dt.timedelta(days=MAX_HORIZON_DAYS):
        errors["target_date"] = "Choose a target date within the next two years."
    if errors:
        raise ValidationError(errors)
    return {"title": title, "why": why, "skills": unique, "target_date": target_date}


def create_goal(
    *, owner: User, title: str, skills: Sequence[Skill], target_date: dt.date | None, why: str = ""
) -> LearningGoal:
    """A new goal: a name, one to MAX_GOAL_SKILLS skills and a target date from today on."""
    fields = _clean(owner=owner, title=title, skills=skills, target_date=target_date, why=why)
    chosen = fields.pop("skills")
    with transaction.atomic():
        goal = LearningGoal.objects.create(owner=owner, **fields)
        goal.skills.set(chosen)
    return goal


def update_goal(
    *,
    goal: LearningGoal,
    actor: User,
    title: str,
    skills: Sequence[Skill],
    target_date: dt.date | None,
    why: str = "",
) -> LearningGoal:
    """Change a goal. A target date already in the past may stay as it is (it just shows as overdue)."""
    if goal.owner_id != actor.pk:
        raise PermissionDenied("Only the owner can change a goal.")
    fields = _clean(
        owner=actor, title=title, skills=skills, target_date=target_date, why=why, current=goal.target_date
    )
    chosen = fields.pop("skills")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(goal, name, value)
        goal.save()
        goal.skills.set(chosen)
    return goal


def set_achieved(*, goal: LearningGoal, actor: User, achieved: bool) -> LearningGoal:
    if goal.owner_id != actor.pk:
        raise PermissionDenied("Only the owner can mark a goal achieved.")
    goal.achieved_at = now() if achieved else None
    goal.save(update_fields=["achieved_at", "updated_at"])
    return goal


def delete_goal(*, goal: LearningGoal, actor: User) -> None:
    if goal.owner_id != actor.pk:
        raise PermissionDenied("Only the owner can delete a goal.")
    goal.delete()


def goals_of(*, user: User) -> QuerySet[LearningGoal]:
    return LearningGoal.objects.filter(owner=user).prefetch_related("skills")


# --- Progress ---------------------------------------------------------------------------------------


@dataclass
class SkillProgress:
    skill: Skill
    sessions: int = 0
    takeaways: int = 0
    endorsements: int = 0
    library_entries: int = 0
    mentors: list[SkillOffer] = field(default_factory=list)
    office_hours: list[OfficeHours] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return self.sessions > 0 or self.endorsements > 0


@dataclass
class GoalProgress:
    goal: LearningGoal
    skills: list[SkillProgress]

    @property
    def covered(self) -> int:
        return sum(1 for row in self.skills if row.covered)

    @property
    def total(self) -> int:
        return len(self.skills)

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0

    def days_left(self, today: dt.date) -> int:
        return (self.goal.target_date - today).days


def descendants_map(skill_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each skill with all skills within it, in one query per level of the taxonomy (not per skill)."""
    roots = set(skill_ids)
    children: dict[int, set[int]] = defaultdict(set)
    frontier, seen = set(roots), set(roots)
    while frontier:
        rows = Skill.objects.filter(parent_id__in=frontier).values_list("id", "parent_id")
        frontier = set()
        for child, parent in rows:
            children[parent].add(child)
            if child not in seen:
                seen.add(child)
                frontier.add(child)
    result: dict[int, set[int]] = {}
    for root in roots:
        found, stack = {root}, [root]
        while stack:
            for child in children[stack.pop()] - found:
                found.add(child)
                stack.append(child)
        result[root] = found
    return result


def progress_for(goals: Sequence[LearningGoal], *, user: User) -> list[GoalProgress]:
    """Progress of each goal per skill, in a fixed number of queries however many goals and sessions.

    ``goals`` must have their skills prefetched (``goals_of``).
    """
    goal_skills = {skill.pk: skill for goal in goals for skill in goal.skills.all()}
    tree = descendants_map(goal_skills)
    all_ids = set().union(*tree.values()) if tree else set()
    session_skills: dict[int, set[int]] = defaultdict(set)
    if all_ids:
        rows = Session.skills.through.objects.filter(session__mentee=user, skill_id__in=all_ids).exclude(
            session__state=SessionState.CANCELLED
        )
        for session_id, skill_id in rows.values_list("session_id", "skill_id"):
            session_skills[session_id].add(skill_id)
    takeaways = {
        session_id: len(items) if isinstance(items, list) else 0
        for session_id, items in Debrief.objects.filter(session_id__in=list(session_skills)).values_list(
            "session_id", "takeaways"
        )
    }
    endorsed = list(
        Endorsement.objects.filter(mentee=user, skill_id__in=all_ids).values_list("skill_id", flat=True)
    )
    entry_skills: dict[int, set[int]] = defaultdict(set)
    for entry_id, skill_id in LibraryEntry.skills.through.objects.filter(skill_id__in=all_ids).values_list(
        "libraryentry_id", "skill_id"
    ):
        entry_skills[entry_id].add(skill_id)

    def row(skill: Skill) -> SkillProgress:
        ids = tree.get(skill.pk, {skill.pk})
        sessions = [pk for pk, skills in session_skills.items() if skills & ids]
        return SkillProgress(
            skill=skill,
            sessions=len(sessions),
            takeaways=sum(takeaways.get(pk, 0) for pk in sessions),
            endorsements=sum(1 for pk in endorsed if pk in ids),
            library_entries=sum(1 for skills in entry_skills.values() if skills & ids),
        )

    return [GoalProgress(goal=goal, skills=[row(skill) for skill in goal.skills.all()]) for goal in goals]


def add_suggestions(progress: GoalProgress, *, user: User) -> GoalProgress:
    """For each skill not yet covered: people open to help with it now, and office hours focused on it.

    At most MAX_GOAL_SKILLS skills, so a bounded number of queries.
    """
    uncovered = [row for row in progress.skills if not row.covered]
    if not uncovered:
        return progress
    tree = descendants_map(row.skill.pk for row in uncovered)
    available = Profile.objects.available().filter(user__is_active=True).exclude(user=user)
    for item in uncovered:
        ids = tree[item.skill.pk]
        offers = (
            SkillOffer.objects.filter(skill_id__in=ids, profile__in=available)
            .select_related("profile", "skill")
            .order_by("-level", "profile__display_name", "pk")
        )
        mentors, seen = [], set()
        for offer in offers[: SUGGESTED_MENTORS * 3]:
            if offer.profile_id not in seen:
                seen.add(offer.profile_id)
                mentors.append(offer)
        item.mentors = mentors[:SUGGESTED_MENTORS]
        item.office_hours = list(
            OfficeHours.objects.filter(is_active=True, skills__in=ids, mentor__is_active=True)
            .exclude(mentor=user)
            .select_related("mentor__profile")
            .distinct()
            .order_by("pk")[:SUGGESTED_OFFICE_HOURS]
        )
    return progress
