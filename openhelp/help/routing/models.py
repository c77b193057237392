"""Offers: an ask proposed to one mentor, who accepts or declines within a window."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now


class OfferState(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired (no answer in time)"
    WITHDRAWN = "withdrawn", "Withdrawn (taken by someone else or cancelled)"


class DeclineReason(models.TextChoices):
    NOT_MY_AREA = "not_my_area", "Not my area"
    NO_TIME = "no_time", "No time this week"
    PAUSED = "paused", "Paused"
    UNAVAILABLE = "unavailable", "Not taking asks (automatic)"
    OTHER = "other", "Other"


class Offer(models.Model):
    ask = models.ForeignKey("asks.Ask", on_delete=models.CASCADE, related_name="offers")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers")
    state = models.CharField(
        max_length=10, choices=OfferState.choices, default=OfferState.PENDING, db_index=True
    )
    round = models.PositiveSmallIntegerField(default=1)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, help_text="Why you: plain-words reasons from matching.")
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=12, choices=DeclineReason.choices, blank=True)
    decline_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["ask", "mentor"], name="offer_once_per_mentor")]
        indexes = [models.Index(fields=["mentor", "state"]), models.Index(fields=["state", "expires_at"])]

    def __str__(self) -> str:
        return f"Offer of ask {self.ask_id} to {self.mentor}"

    def can_accept(self) -> bool:
        return self.state == OfferState.PENDING and self.expires_at > now()

    def can_decline(self) -> bool:
        return self.state == OfferState.PENDING


from openhelp.help.routing.models_ranker import LearnedRanker  # noqa: E402  (registered with the app)

__all__ = ["DeclineReason", "LearnedRanker", "Offer", "OfferState"]
