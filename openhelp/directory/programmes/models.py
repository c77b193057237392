"""A programme: a named community inside the site with its own members, focus skills and rules.

A person can belong to several programmes. Asks and office hours can be scoped to one; routing, the late-cancel
window and the no-show policy then follow that programme's rules (programmes.rules). A rule left empty inherits
the site default from settings.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import slugify

from openhelp.directory.programmes.rules import clean_matching_weights
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.markdown import render_markdown


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def of_member(self, user) -> ProgrammeQuerySet:
        """Programmes this person belongs to (any role)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user_id=user.pk).distinct()

    def organised_by(self, user) -> ProgrammeQuerySet:
        """Programmes this person organises."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__user_id=user.pk, memberships__role=MembershipRole.ORGANISER
        ).distinct()


class Programme(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True, help_text="What this programme is for (Markdown).")
    focus_skills = models.ManyToManyField("skills.Skill", blank=True, related_name="programmes")
    code_of_conduct = models.TextField(blank=True, help_text="Members accept this when they join (Markdown).")
    allowed_email_domain = models.CharField(
        max_length=253,
        blank=True,
        help_text="People with an e-mail at this domain may join without an invite, e.g. example.org.",
    )
    invite_token = models.CharField(max_length=64, unique=True, default=new_invite_token)

    # Rules. Empty = inherit the site default (settings.ROUTING / OFFICE_HOURS / NO_SHOW_POLICY).
    response_hours_today = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)]
    )
    response_hours_this_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)]
    )
    response_hours_flexible = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)]
    )
    offers_per_round = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="How many experts an ask is offered to at once.",
    )
    matching_weights = models.JSONField(
        default=dict, blank=True, help_text='Overrides of matching.scorer.Weights, e.g. {"load": 1.0}.'
    )
    late_cancel_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(24 * 14)]
    )
    no_show_max = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    no_show_window_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="programmes"
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.slug])

    def get_invite_path(self) -> str:
        """The invite link (without the host): anyone with it can join after accepting the code of conduct."""
        return reverse("programmes:join-token", args=[self.invite_token])

    def clean(self) -> None:
        """The admin checks the matching weights the same way the forms and the API do."""

        self.matching_weights = clean_matching_weights(self.matching_weights)

    @property
    def description_html(self) -> SafeString:
        return render_markdown(self.description)

    @property
    def code_of_conduct_html(self) -> SafeString:
        return render_markdown(self.code_of_conduct)

    @staticmethod
    def slug_base(name: str) -> str:
        return slugify(name)[:120] or "programme"


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    ORGANISER = "organiser", "Organiser"


class Membership(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships"
    )
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined_at = models.DateTimeField(default=now)
    accepted_code_of_conduct_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("programme", "user"), name="programme_membership_unique")
        ]
        indexes = [models.Index(fields=("user", "programme"), name="programme_membership_user")]
        ordering = ("joined_at", "pk")

    def __str__(self) -> str:
        return f"{self.user} in {self.programme} ({self.role})"

    @property
    def is_organiser(self) -> bool:
        return self.role == MembershipRole.ORGANISER
