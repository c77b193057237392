"""Informal micro-mentoring: moments (a logged act of help), the weekly reflection prompt, and
introductions (A introduces B to C; both must accept) with the thread that opens once they do.

A moment is private by default: only its author sees it. A public moment shows on the author's profile
as its kind and line only — the person it was with is never shown to anyone but the author.
An introduction's individual answers are never shown to the introducer: they see "connected" or
"not this time", never who declined.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now

MAX_MOMENT_NOTE = 200
MAX_INTRODUCTION_NOTE = 1000
MAX_MESSAGE = 2000


class MomentKind(models.TextChoices):
    ENCOURAGEMENT = "encouragement", "Encouragement"
    INSIGHT = "insight", "Insight shared"
    INTRODUCTION = "introduction", "Introduction made"
    FEEDBACK = "feedback", "Feedback given"
    QUESTION = "question", "Question answered"


class Moment(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moments")
    kind = models.CharField(max_length=20, choices=MomentKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who it was with (optional; only the author ever sees this).",
    )
    note = models.CharField(max_length=MAX_MOMENT_NOTE, help_text="One line.")
    is_public = models.BooleanField(default=False, help_text="Show it on my profile.")
    occurred_at = models.DateTimeField(default=now)
    introduction = models.ForeignKey(
        "Introduction", null=True, blank=True, on_delete=models.SET_NULL, related_name="moments"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["author", "occurred_at"])]

    def __str__(self) -> str:
        return f"Moment {self.pk}"


class ReflectionPrompt(models.Model):
    """The one end-of-week reflection prompt a person gets in a week (``week_start`` is their Monday)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    run_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.CharField(max_length=40, blank=True, help_text="Why it was not sent, if it was not.")

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="reflection_once_per_week")
        ]

    def __str__(self) -> str:
        return f"Reflection prompt for {self.user_id}, week of {self.week_start}"


class IntroductionState(models.TextChoices):
    PENDING = "pending", "Waiting for both to accept"
    CONNECTED = "connected", "Connected"
    NOT_THIS_TIME = "not_this_time", "Not this time"


class Answer(models.TextChoices):
    PENDING = "pending", "Not answered yet"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class IntroductionQuerySet(models.QuerySet["Introduction"]):
    def involving(self, user) -> IntroductionQuerySet:
        """Introductions this person made or was introduced in; anyone else gets a 404."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(introducer_id=user.pk) | models.Q(first_id=user.pk) | models.Q(second_id=user.pk)
        )


class Introduction(models.Model):
    introducer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_made"
    )
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(max_length=MAX_INTRODUCTION_NOTE)
    first_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    second_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    state = models.CharField(
        max_length=15, choices=IntroductionState.choices, default=IntroductionState.PENDING, db_index=True
    )
    created_at = models.DateTimeField(default=now)
    connected_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first=models.F("second"))
                & ~models.Q(introducer=models.F("first"))
                & ~models.Q(introducer=models.F("second")),
                name="introduction_three_different_people",
            )
        ]

    def __str__(self) -> str:
        return f"Introduction {self.pk}"

    def is_invitee(self, user) -> bool:
        return user.is_authenticated and user.pk in (self.first_id, self.second_id)

    def answer_of(self, user) -> str | None:
        """This invitee's own answer (None for anyone else: answers are not shown to others)."""
        if user.pk == self.first_id:
            return self.first_answer
        if user.pk == self.second_id:
            return self.second_answer
        return None

    def other_invitee(self, user):
        return self.second if user.pk == self.first_id else self.first

    @property
    def is_pending(self) -> bool:
        return self.state == IntroductionState.PENDING

    @property
    def is_connected(self) -> bool:
        return self.state == IntroductionState.CONNECTED


class IntroductionMessage(models.Model):
    """The thread of a connected introduction, between the two people introduced."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=MAX_MESSAGE)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk} in introduction {self.introduction_id}"
