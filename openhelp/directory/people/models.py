"""Profiles: who a person is, whether they are open to help, what they offer and what they want to learn."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from openhelp.directory.people.validators import (
    validate_avatar_colour,
    validate_bio_length,
    validate_formats,
    validate_level,
    validate_meeting_link,
    validate_working_hours,
)
from openhelp.directory.skills.models import SKILL_LEVELS
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.display_names import DisplayNameField
from openhelp.platform.lib.markdown import render_markdown
from openhelp.platform.lib.timezones import validate_timezone

CARD_TOP_SKILLS = 3  # skills a person card lists


class Format(models.TextChoices):
    ASYNC = "async", "Async answer"
    CALL_15 = "call15", "15-minute call"
    CALL_30 = "call30", "30-minute call"
    CALL_60 = "call60", "60-minute call"
    OFFICE_HOURS = "office_hours", "Office hours"


class Team(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="BCP 47 / ISO 639-1 code, e.g. en, pt-BR.")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def available_q(today: dt.date | None = None, *, prefix: str = "") -> models.Q:
    """Open to help and not paused today, as a condition on a profile (``prefix`` reaches it through a
    relation, e.g. ``"profile__"`` from a skill offer): the same rule as ``Profile.is_available``."""
    today = today or now().date()
    return models.Q(**{f"{prefix}open_to_help": True}) & (
        models.Q(**{f"{prefix}paused_until__isnull": True})
        | models.Q(**{f"{prefix}paused_until__lte": today})
    )


class ProfileQuerySet(models.QuerySet["Profile"]):
    def available(self, today: dt.date | None = None) -> ProfileQuerySet:
        """Open to help and not paused today, in SQL (``available_q``)."""
        return self.filter(available_q(today))


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = DisplayNameField(max_length=80, db_index=True)
    headline = models.CharField(max_length=140, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.", validators=[validate_bio_length])
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    location = models.CharField(max_length=80, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone], db_index=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="profiles")
    avatar_initials = models.CharField(max_length=3, blank=True)
    avatar_colour = models.CharField(
        max_length=7, blank=True, help_text="#rrggbb", validators=[validate_avatar_colour]
    )
    # A CharField (not URLField) so a `javascript:` or `http:` link gets our specific message alone.
    meeting_link = models.CharField(
        max_length=200, blank=True, help_text="https only.", validators=[validate_meeting_link]
    )
    working_hours_start = models.TimeField(default=dt.time(9, 0))
    working_hours_end = models.TimeField(default=dt.time(17, 0))

    # Open to help
    open_to_help = models.BooleanField(default=False, db_index=True)
    formats = models.JSONField(
        default=list, blank=True, help_text="Format values offered.", validators=[validate_formats]
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(50)]
    )
    minutes_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(3000)]
    )
    paused_until = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        indexes = [
            models.Index(fields=["open_to_help", "paused_until"]),
            # The directory's order inside each availability segment, read a keyset page at a time
            # (openhelp/directory/people/keyset.py): a range scan from the cursor, ties broken by id.
            models.Index(fields=["display_name", "id"], name="profile_directory_order_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        validate_working_hours(self.working_hours_start, self.working_hours_end)

    @cached_property
    def bio_html(self) -> SafeString:
        return render_markdown(self.bio)

    @property
    def format_labels(self) -> list[str]:
        labels = dict(Format.choices)
        return [labels[value] for value in self.formats if value in labels]

    def is_paused(self, today: dt.date | None = None) -> bool:
        """'Pause until' resumes by itself: it is compared with today, no job needed."""
        today = today or now().date()
        return self.paused_until is not None and self.paused_until > today

    def is_available(self, today: dt.date | None = None) -> bool:
        return self.open_to_help and not self.is_paused(today)

    @property
    def top_offers(self) -> list[SkillOffer]:
        """The person card's top skills: the few a sliced prefetch loaded (``to_attr="card_top_offers"``,
        see skills.skill_people), else the first of ``skills_offered`` (prefetched by the directory)."""
        loaded = self.__dict__.get("card_top_offers")
        if loaded is not None:
            return loaded
        return list(self.skills_offered.all()[:CARD_TOP_SKILLS])

    @property
    def initials(self) -> str:
        if self.avatar_initials:
            return self.avatar_initials
        parts = self.display_name.split()
        return "".join(p[0] for p in parts[:2]).upper() or "?"


class SkillOffer(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills_offered")
    skill = models.ForeignKey("skills.Skill", on_delete=models.CASCADE, related_name="offers")
    level = models.PositiveSmallIntegerField(validators=[validate_level])
    note = models.CharField(max_length=280, blank=True, help_text="What you can teach.")

    class Meta:
        ordering = ["-level", "skill__name"]
        # Routing reads the strongest fits of a skill first (counts per level, then a slice): index-only.
        indexes = [models.Index(fields=["skill", "level", "profile"], name="skill_offer_skill_level_idx")]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="skill_offer_once_per_profile"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="skill_offer_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} offers {self.skill} (level {self.level})"

    @property
    def level_words(self) -> str:
        return SKILL_LEVELS.get(self.level, "")


class SkillWanted(models.Model):
    """A learning goal at its simplest: a skill this person wants to build, with an optional note."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills_wanted")
    skill = models.ForeignKey("skills.Skill", on_delete=models.CASCADE, related_name="wanted_by")
    note = models.CharField(max_length=280, blank=True)

    class Meta:
        ordering = ["skill__name"]
        verbose_name_plural = "skills wanted"
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="skill_wanted_once_per_profile")
        ]

    def __str__(self) -> str:
        return f"{self.profile} wants {self.skill}"


class Block(models.Model):
    """One person never wants to be matched with another (either direction is respected by routing)."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"
