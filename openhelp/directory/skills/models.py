"""The skill taxonomy: categories, skills with an optional parent, and aliases ("k8s" → Kubernetes)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from openhelp.platform.lib.clock import now


def normalise_skill_name(name: str) -> str:
    """The form used to compare names and aliases: case-folded, single-spaced."""
    return " ".join(name.casefold().split())


# Path segments under /skills/ and /api/v1/skills/ that a skill slug must never shadow.
RESERVED_SLUGS = frozenset({"autocomplete", "propose", "moderation", "new"})
# How well someone knows a skill (people offer skills at a level; asks and routing read it).
SKILL_LEVELS = {
    1: "can point you to resources",
    2: "has done it a few times",
    3: "uses it regularly",
    4: "can teach it in depth",
    5: "recognised expert",
}


def skill_slug_base(name: str) -> str:
    """A readable slug that keeps "C", "C++" and "C#" apart (plain slugify maps all three to "c")."""
    spelled = name.replace("+", " plus ").replace("#", " sharp ")
    base = slugify(spelled)[:80] or "skill"
    return f"{base}-skill" if base in RESERVED_SLUGS else base


def unique_skill_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = skill_slug_base(name)
    taken = set(
        Skill.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def name_clash(name: str, *, skill_pk: int | None = None, alias_pk: int | None = None):
    """The skill already known under this name or alias (other than the given rows), or None."""
    key = normalise_skill_name(name)
    skill = Skill.objects.filter(normalised_name=key).exclude(pk=skill_pk).first()
    if skill is not None:
        return skill
    alias = (
        SkillAlias.objects.select_related("skill").filter(normalised_name=key).exclude(pk=alias_pk).first()
    )
    if alias is not None and alias.skill_id != skill_pk:
        return alias.skill
    return None


class SkillCategory(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "skill categories"

    def __str__(self) -> str:
        return self.name


class SkillQuerySet(models.QuerySet["Skill"]):
    def approved(self) -> SkillQuerySet:
        return self.filter(status=Skill.Status.APPROVED)

    def visible_to(self, user) -> SkillQuerySet:
        """Approved skills, plus the ones this person proposed (usable by them at once)."""
        if user is None or not user.is_authenticated:
            return self.approved()
        return self.filter(models.Q(status=Skill.Status.APPROVED) | models.Q(proposed_by=user))


class Skill(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PROPOSED = "proposed", "Waiting for approval"

    name = models.CharField(max_length=80)
    normalised_name = models.CharField(max_length=80, unique=True, editable=False)
    slug = models.SlugField(max_length=90, unique=True)
    category = models.ForeignKey(
        SkillCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="skills"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_skills",
    )
    created_at = models.DateTimeField(default=now)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalised_name = normalise_skill_name(self.name)
        if not self.slug:
            self.slug = unique_skill_slug(self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("skills:detail", args=[self.slug])

    def clean(self) -> None:
        # normalised_name is not editable, so model forms (the admin) would not check it: a clash
        # would surface as an IntegrityError instead of a message next to the name.
        if not normalise_skill_name(self.name):
            raise ValidationError({"name": "Enter a skill name."})
        clash = name_clash(self.name, skill_pk=self.pk)
        if clash is not None:
            raise ValidationError({"name": f"“{self.name}” is already known as the skill “{clash.name}”."})
        if self.parent_id is not None and self.pk is not None:
            ancestor, seen = self.parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": "A skill cannot be part of itself or of its own children."}
                    )
                seen.add(ancestor.pk)
                ancestor = ancestor.parent

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED


class SkillAlias(models.Model):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=80)
    normalised_name = models.CharField(max_length=80, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "skill aliases"

    def __str__(self) -> str:
        return f"{self.name} → {self.skill.name}"

    def save(self, *args, **kwargs) -> None:
        self.normalised_name = normalise_skill_name(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not normalise_skill_name(self.name):
            raise ValidationError({"name": "Enter an alias."})
        clash = name_clash(self.name, alias_pk=self.pk)
        if clash is not None:
            raise ValidationError({"name": f"“{self.name}” is already known as the skill “{clash.name}”."})
