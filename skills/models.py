"""The skill taxonomy: categories, skills with an optional parent, and aliases ("k8s" → Kubernetes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import slugify

from lib.clock import now


def normalise_skill_name(name: str) -> str:
    """The form used to compare names and aliases: case-folded, single-spaced."""
    return " ".join(name.casefold().split())


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
            self.slug = slugify(self.name)[:90] or "skill"
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED


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
