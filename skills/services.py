"""Workflows on the skill taxonomy: resolving names and aliases, proposing, approving, merging."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from skills.models import Skill, SkillAlias, normalise_skill_name


def resolve_skill(name: str, *, user=None) -> Skill | None:
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


def matching_skill_ids(text: str, *, user=None) -> set[int]:
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


def search_skill_ids(text: str, *, user=None) -> set[int]:
    """What a free-text skill search covers: exact/alias matches and substring matches, with children."""
    ids = matching_skill_ids(text, user=user)
    exact = resolve_skill(text, user=user)
    if exact is not None:
        ids.add(exact.pk)
    return with_descendants(ids)


def public_or_own(user) -> Q:
    if user is None or not user.is_authenticated:
        return Q(status=Skill.Status.APPROVED)
    return Q(status=Skill.Status.APPROVED) | Q(proposed_by=user)
