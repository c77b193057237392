"""Recognition: kudos (thanks from one person to another) and endorsements (a mentor's statement that the
mentee demonstrated a skill in a session — "proof of competency").

A private kudos is seen by exactly two people, its giver and its receiver: never on a profile, in the
feed, in the API for anyone else, or by organisers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now

MAX_KUDOS_MESSAGE = 280


class KudosQuerySet(models.QuerySet["Kudos"]):
    def public(self) -> KudosQuerySet:
        return self.filter(public=True)

    def visible_to(self, user) -> KudosQuerySet:
        """Public kudos, plus the private ones this person gave or received."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(public=True) | models.Q(giver_id=user.pk) | models.Q(receiver_id=user.pk))


class Kudos(models.Model):
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_given")
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_received"
    )
    skill = models.ForeignKey(
        "skills.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="kudos"
    )
    message = models.CharField(max_length=MAX_KUDOS_MESSAGE, blank=True)
    public = models.BooleanField(
        default=True, help_text="Public kudos show on the receiver's profile and the recognition feed."
    )
    session = models.ForeignKey(
        "mentoring.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="kudos"
    )
    created_at = models.DateTimeField(default=now, db_index=True)

    objects = KudosQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "kudos"
        indexes = [
            models.Index(fields=["receiver", "public", "created_at"]),
            models.Index(fields=["giver", "created_at"]),
            # The public feed, newest first: read a page from here, then join the people (services.feed_page).
            models.Index(
                fields=["-created_at", "-id"], condition=models.Q(public=True), name="kudos_public_feed_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(giver=models.F("receiver")), name="kudos_not_to_self")
        ]

    def __str__(self) -> str:
        return f"Kudos {self.pk}"


class Endorsement(models.Model):
    """“Demonstrated: <skill> — endorsed by <mentor>, <date>”. One per session and skill."""

    session = models.ForeignKey(
        "mentoring.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="endorsements"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_given"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_received"
    )
    skill = models.ForeignKey("skills.Skill", on_delete=models.CASCADE, related_name="endorsements")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["mentee", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["session", "skill"], name="endorsement_once_per_session_skill"),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="endorsement_not_of_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} endorsed by {self.mentor} for {self.mentee}"
