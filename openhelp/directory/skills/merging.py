"""Merging one skill into another, generically: every row that points at a skill follows it.

Models added later (asks, sessions, kudos…) are covered without touching this module, because the
references are discovered from the model graph. Where moving a row would break a unique constraint
(someone offers both skills), one row is kept: a model may decide which by defining
``merge_skill_duplicate(cls, *, keep, drop)``; otherwise the target's row is kept as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse

from openhelp.directory.skills.models import Skill, SkillAlias, normalise_skill_name
from openhelp.platform.notifications.services import notify


def _keep_higher_level(*, keep: Any, drop: Any) -> None:
    """SkillOffer: a person who offered both keeps the higher of the two levels (and a note)."""
    changed = []
    if drop.level > keep.level:
        keep.level = drop.level
        changed.append("level")
    if not keep.note and drop.note:
        keep.note = drop.note
        changed.append("note")
    if changed:
        keep.save(update_fields=changed)


def _keep_note(*, keep: Any, drop: Any) -> None:
    if not getattr(keep, "note", "") and getattr(drop, "note", ""):
        keep.note = drop.note
        keep.save(update_fields=["note"])


# For models this app does not own; others can define merge_skill_duplicate on themselves instead.
DUPLICATE_RESOLVERS: dict[str, Callable[..., None]] = {
    "people.skilloffer": _keep_higher_level,
    "people.skillwanted": _keep_note,
}


def _resolver_for(model: type[models.Model]) -> Callable[..., None] | None:
    own = getattr(model, "merge_skill_duplicate", None)
    return own or DUPLICATE_RESOLVERS.get(model._meta.label_lower)


def _unique_sets(model: type[models.Model], field: models.Field) -> list[tuple[list[str], Q | None]]:
    """(other field names, condition) of every uniqueness rule on ``model`` that includes ``field``."""
    sets: list[tuple[list[str], Q | None]] = []
    if field.unique:
        sets.append(([], None))
    for together in model._meta.unique_together:
        if field.name in together:
            sets.append(([name for name in together if name != field.name], None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field.name in (constraint.fields or ()):
            sets.append(([name for name in constraint.fields if name != field.name], constraint.condition))
    return sets


def _attnames(model: type[models.Model], names: list[str]) -> list[str]:
    return [model._meta.get_field(name).attname for name in names]


def _resolve_clashes(field: models.ForeignKey, source: Skill, target: Skill) -> None:
    model = field.model
    manager = model._base_manager
    resolver = _resolver_for(model)
    for others, condition in _unique_sets(model, field):
        columns = _attnames(model, others)
        scope = manager.filter(condition) if condition is not None else manager.all()
        target_rows = {
            tuple(row[1:]): row[0]
            for row in scope.filter(**{field.attname: target.pk}).values_list("pk", *columns)
        }
        if not target_rows:
            continue
        for pk, *values in scope.filter(**{field.attname: source.pk}).values_list("pk", *columns):
            key = tuple(values)
            # SQL treats NULLs as distinct, so rows with a NULL in the key never clash.
            if key not in target_rows or any(value is None for value in key):
                continue
            drop = manager.get(pk=pk)
            if resolver is not None:
                resolver(keep=manager.get(pk=target_rows[key]), drop=drop)
            drop.delete()


def _references_to_skill() -> list[models.ForeignKey]:
    """Every foreign key (or one-to-one) pointing at Skill, including hidden ones and M2M through tables.

    ``_meta.related_objects`` leaves out relations declared with related_name="+", so the fields are
    collected with include_hidden=True; a many-to-many is covered by the foreign key on its through model.
    """
    fields = []
    for relation in Skill._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if relation.many_to_many:
            continue
        field = relation.field
        if field.model is Skill or field.model is SkillAlias:
            continue  # parent and aliases need their own rules, below
        fields.append(field)
    return fields


def merge_skills(*, source: Skill, target: Skill) -> Skill:
    """Fold ``source`` into ``target`` in one transaction and delete ``source``.

    Every reference moves to the target (keeping one row where a person had both), the source's name
    and aliases become aliases of the target, its children move under the target, and the target
    becomes public if the source was.
    """
    if source.pk == target.pk:
        raise ValidationError("A skill cannot be merged into itself.", code="same_skill")
    with transaction.atomic():
        # Lock both rows in a fixed order so two crossing merges cannot deadlock.
        locked = {
            skill.pk: skill
            for skill in Skill.objects.select_for_update()
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError("One of these skills no longer exists.", code="missing")
        source, target = locked[source.pk], locked[target.pk]

        for field in _references_to_skill():
            _resolve_clashes(field, source, target)
            field.model._base_manager.filter(**{field.attname: source.pk}).update(
                **{field.attname: target.pk}
            )

        if target.parent_id is not None and _is_descendant(target, of=source):
            # Lift the target out of the source's subtree first, or re-parenting would make a cycle.
            target.parent_id = source.parent_id
        Skill.objects.filter(parent_id=source.pk).exclude(pk=target.pk).update(parent_id=target.pk)

        SkillAlias.objects.filter(skill_id=source.pk).update(skill_id=target.pk)
        source_key = normalise_skill_name(source.name)
        keep_source_name = (
            source_key != target.normalised_name
            and not SkillAlias.objects.filter(normalised_name=source_key).exists()
        )
        source_name = source.name

        if source.is_public:
            target.status = Skill.Status.APPROVED
        target.description = target.description or source.description
        target.category_id = target.category_id or source.category_id
        proposer = source.proposed_by if source.is_proposed else None
        source_pk, source_label = source.pk, source.name
        source.delete()
        target.save()
        if keep_source_name:
            SkillAlias.objects.create(skill=target, name=source_name)

        if proposer is not None:
            notify(
                event="skill.proposal.merged",
                recipients=[proposer],
                title=f"Your skill “{source_label}” is now part of “{target.name}”",
                body="Anything you had listed under it has moved there.",
                url=reverse("skills:detail", args=[target.slug]),
                context={"skill": source_label, "into": target.name},
                dedupe_key=f"skill:{source_pk}",
            )
    return target


def _is_descendant(skill: Skill, *, of: Skill) -> bool:
    seen: set[int] = set()
    parent_id = skill.parent_id
    while parent_id is not None and parent_id not in seen:
        if parent_id == of.pk:
            return True
        seen.add(parent_id)
        parent_id = Skill.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return False
