"""Workflows on the skill taxonomy: resolving names and aliases, proposing, approving, merging."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from openhelp.directory.skills.merging import merge_skills
from openhelp.directory.skills.models import (
    Skill,
    SkillAlias,
    SkillCategory,
    name_clash,
    normalise_skill_name,
    unique_skill_slug,
)
from openhelp.platform.lib import ratelimit
from openhelp.platform.notifications.services import notify

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from openhelp.platform.accounts.models import User

    # Who is looking: skills are listed and searched for visitors too.
    Viewer = User | AnonymousUser | None

AUTOCOMPLETE_LIMIT = 10


def proposals_per_hour() -> int:
    return int(getattr(settings, "SKILL_PROPOSALS_PER_HOUR", 10))


class DuplicateSkill(ValidationError):
    """The proposed name is already a skill or an alias; ``existing`` is that skill."""

    def __init__(self, message: str, *, existing: Skill) -> None:
        super().__init__(message, code="duplicate")
        self.existing = existing


class ProposalRateLimited(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            f"You have proposed {proposals_per_hour()} skills in the last hour. "
            "Please wait a little before proposing more, or ask an organiser.",
            code="rate_limited",
        )


class AlreadyApproved(ValidationError):
    def __init__(self, skill: Skill) -> None:
        super().__init__(f"“{skill.name}” is already approved.", code="already_approved")


# --- Finding skills ------------------------------------------------------------------------------


def resolve_skill(name: str, *, user: Viewer = None) -> Skill | None:
    """The skill a typed name means: an exact name or alias match ("k8s" → Kubernetes), else None."""
    key = normalise_skill_name(name)
    if not key:
        return None
    visible = Skill.objects.visible_to(user)
    skill = visible.filter(normalised_name=key).first()
    if skill is not None:
        return skill
    alias = SkillAlias.objects.select_related("skill").filter(normalised_name=key).first()
    if alias is not None and visible.filter(pk=alias.skill_id).exists():
        return alias.skill
    return None


def viewable_skills(user: Viewer) -> QuerySet[Skill]:
    """Skills whose pages this person may open: approved ones, their own proposals; organisers see all."""
    if user is not None and user.is_authenticated and getattr(user, "is_organiser", False):
        return Skill.objects.all()
    return Skill.objects.visible_to(user)


def matching_skill_ids(text: str, *, user: Viewer = None) -> set[int]:
    """Ids of skills whose name or alias contains ``text`` (case-insensitive), for search boxes."""
    key = normalise_skill_name(text)
    if not key:
        return set()
    visible = Skill.objects.visible_to(user)
    ids = set(visible.filter(normalised_name__contains=key).values_list("id", flat=True))
    ids |= set(
        SkillAlias.objects.filter(normalised_name__contains=key, skill__in=visible).values_list(
            "skill_id", flat=True
        )
    )
    return ids


def with_descendants(skill_ids: Iterable[int]) -> set[int]:
    """The given skills and all their children, grandchildren, … (a search for 'Python' finds 'Django')."""
    found = set(skill_ids)
    frontier = set(found)
    while frontier:
        children = set(Skill.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= children
        frontier = children
    return found


def search_skill_ids(text: str, *, user: Viewer = None) -> set[int]:
    """What a free-text skill search covers: the skills whose name or alias contains the text, with
    their children. An exact name or alias (what ``resolve_skill`` finds) contains the text too, so it is
    among them: one query for the skills, then one per level of children."""
    key = normalise_skill_name(text)
    if not key:
        return set()
    aliased = SkillAlias.objects.filter(normalised_name__contains=key).values("skill_id")
    named = Skill.objects.visible_to(user).filter(Q(normalised_name__contains=key) | Q(pk__in=aliased))
    return with_descendants(named.order_by().values_list("id", flat=True))


def public_or_own(user: Viewer) -> Q:
    if user is None or not user.is_authenticated:
        return Q(status=Skill.Status.APPROVED)
    return Q(status=Skill.Status.APPROVED) | Q(proposed_by=user)


@dataclass(frozen=True)
class Suggestion:
    skill: Skill
    alias: str = ""  # the alias that matched, when the name itself did not

    @property
    def label(self) -> str:
        return f"{self.alias} → {self.skill.name}" if self.alias else self.skill.name


def autocomplete_skills(text: str, *, user: Viewer, limit: int = AUTOCOMPLETE_LIMIT) -> list[Suggestion]:
    """Skills the user may pick whose name or alias contains ``text``; exact, then prefix, then others."""
    key = normalise_skill_name(text)
    if not key:
        return []
    visible = Skill.objects.visible_to(user).select_related("category")
    # A few more than shown per source, so ranking across names and aliases still has candidates.
    by_name = list(visible.filter(normalised_name__contains=key).order_by("name")[: limit * 3])
    alias_rows = list(
        SkillAlias.objects.filter(normalised_name__contains=key, skill__in=Skill.objects.visible_to(user))
        .select_related("skill__category")
        .order_by("name")[: limit * 3]
    )

    def rank(normalised: str) -> int:
        if normalised == key:
            return 0
        return 1 if normalised.startswith(key) else 2

    best: dict[int, tuple[int, Suggestion]] = {}
    for skill in by_name:
        best[skill.pk] = (rank(skill.normalised_name), Suggestion(skill))
    for alias in alias_rows:
        candidate = (rank(alias.normalised_name), Suggestion(alias.skill, alias.name))
        if alias.skill_id not in best or candidate[0] < best[alias.skill_id][0]:
            best[alias.skill_id] = candidate
    ordered = sorted(best.values(), key=lambda pair: (pair[0], pair[1].skill.normalised_name))
    return [suggestion for _, suggestion in ordered[:limit]]


# --- Proposing and moderating ----------------------------------------------------------------------


def duplicate_skill_error(name: str, existing: Skill, *, user: User) -> DuplicateSkill:
    if existing.is_public or (user is not None and existing.proposed_by_id == user.pk):
        return DuplicateSkill(
            f"“{name}” is already known as “{existing.name}”. Use that skill instead.", existing=existing
        )
    # Someone else's pending proposal: say it exists without revealing who proposed it or its page.
    return DuplicateSkill(
        f"“{existing.name}” has already been proposed and is waiting for an organiser's approval.",
        existing=existing,
    )


def _proposal_counter_key(user: User) -> str:
    return f"skills:proposals:{user.pk}"


def proposals_left(*, user: User) -> int:
    return ratelimit.remaining(_proposal_counter_key(user), limit=proposals_per_hour())


def propose_skill(
    *,
    user: User,
    name: str,
    category: SkillCategory | None = None,
    parent: Skill | None = None,
    description: str = "",
) -> Skill:
    """Create a skill only its proposer can use until an organiser approves it.

    Raises ``DuplicateSkill`` when the name (or an alias) is already known, ``ProposalRateLimited``
    after ``proposals_per_hour()`` proposals by this person within an hour, ``ValidationError`` otherwise.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Enter a skill name.", code="required")
    if len(name) > 80:
        raise ValidationError("Keep the skill name under 80 characters.", code="max_length")
    existing = name_clash(name)
    if existing is not None:
        raise duplicate_skill_error(name, existing, user=user)
    if proposals_left(user=user) <= 0:
        raise ProposalRateLimited()
    try:
        with transaction.atomic():
            skill = Skill.objects.create(
                name=name,
                slug=unique_skill_slug(name),
                category=category,
                parent=parent,
                description=description.strip(),
                status=Skill.Status.PROPOSED,
                proposed_by=user,
            )
    except IntegrityError:
        # Two people proposed the same name at the same moment; the other one won.
        existing = name_clash(name)
        if existing is None:
            raise
        raise duplicate_skill_error(name, existing, user=user) from None
    # Counted after success so typos and duplicates do not use up the allowance. Two proposals in the
    # same instant may both pass the check above; being one over the limit is harmless.
    ratelimit.count(_proposal_counter_key(user), window_seconds=3600)
    return skill


def approve_skill(*, skill: Skill) -> Skill:
    """Make a proposed skill public and tell the person who proposed it."""
    with transaction.atomic():
        locked = Skill.objects.select_for_update().get(pk=skill.pk)
        if locked.is_public:
            raise AlreadyApproved(locked)
        locked.status = Skill.Status.APPROVED
        locked.save(update_fields=["status"])
        if locked.proposed_by_id is not None:
            notify(
                event="skill.proposal.approved",
                recipients=[locked.proposed_by],
                title=f"Your skill “{locked.name}” was approved",
                body="Everyone can now find it and add it to their profile.",
                url=reverse("skills:detail", args=[locked.slug]),
                context={"skill": locked.name},
                dedupe_key=f"skill:{locked.pk}",
            )
    skill.refresh_from_db()
    return skill


def reject_skill(*, skill: Skill, reason: str = "") -> None:
    """Delete a proposal that should not exist (spam, a typo) and tell the proposer why."""
    with transaction.atomic():
        if skill.is_public:
            raise ValidationError("Only proposals can be rejected; merge an approved skill instead.")
        if skill.proposed_by_id is not None:
            notify(
                event="skill.proposal.rejected",
                recipients=[skill.proposed_by],
                title=f"Your skill proposal “{skill.name}” was not accepted",
                body=" ".join(
                    part
                    for part in [
                        reason.strip(),
                        "It has been removed, with anything you had listed under it.",
                    ]
                    if part
                ),
                url=reverse("skills:list"),
                context={"skill": skill.name},
                dedupe_key=f"skill:{skill.pk}",
            )
        skill.delete()


def rename_skill(*, skill: Skill, name: str) -> Skill:
    """Give a skill a new name; the old one stays as an alias so searches and links keep working."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Enter a skill name.", code="required")
    if len(name) > 80:
        raise ValidationError("Keep the skill name under 80 characters.", code="max_length")
    clash = name_clash(name, skill_pk=skill.pk)
    if clash is not None:
        raise DuplicateSkill(
            f"“{name}” is already the skill “{clash.name}”; merge them instead.", existing=clash
        )
    old_name = skill.name
    with transaction.atomic():
        skill.aliases.filter(normalised_name=normalise_skill_name(name)).delete()
        skill.name = name
        skill.slug = unique_skill_slug(name, exclude_pk=skill.pk)
        skill.save()
        if normalise_skill_name(old_name) != skill.normalised_name:
            SkillAlias.objects.create(skill=skill, name=old_name)
    return skill


__all__ = [
    "AlreadyApproved",
    "DuplicateSkill",
    "ProposalRateLimited",
    "approve_skill",
    "autocomplete_skills",
    "matching_skill_ids",
    "merge_skills",
    "propose_skill",
    "reject_skill",
    "rename_skill",
    "resolve_skill",
    "search_skill_ids",
    "viewable_skills",
    "with_descendants",
]


# --- Reading: the skill pages and the API share these ---------------------------------------------


def with_people_counts(skills: QuerySet[Skill]) -> QuerySet[Skill]:
    """Annotate ``offer_count`` and ``wanted_count`` with subqueries (two JOINs would multiply rows).

    Through the reverse relations people declares (``offers``, ``wanted_by``): skills sit below people.
    """

    def count_of(relation: str) -> Coalesce:
        rows = Skill.objects.filter(pk=OuterRef("pk")).order_by().annotate(n=Count(relation)).values("n")
        return Coalesce(Subquery(rows[:1]), 0)

    return skills.annotate(offer_count=count_of("offers"), wanted_count=count_of("wanted_by"))


def search_skills(*, user: Viewer, text: str = "", category: SkillCategory | None = None) -> QuerySet[Skill]:
    """Skills this person may see, filtered by a name or alias fragment and a category, with counts."""
    skills = viewable_skills(user).select_related("category", "parent")
    key = normalise_skill_name(text)
    if key:
        by_alias = SkillAlias.objects.filter(normalised_name__contains=key).values("skill_id")
        skills = skills.filter(Q(normalised_name__contains=key) | Q(pk__in=by_alias))
    if category is not None:
        skills = skills.filter(category=category)
    return with_people_counts(skills)
