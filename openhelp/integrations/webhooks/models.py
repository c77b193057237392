"""Outgoing webhooks: an organiser's endpoint (a URL subscribed to some domain events) and each delivery
of one event to one endpoint, with its attempts and the last answer."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import EncryptedTextField, hint

TEST_KIND = "webhook.test"  # the "send test event" message; not a domain event


class Endpoint(models.Model):
    """A URL that receives the events it subscribed to, signed with its own secret.

    ``failure_streak`` counts the deliveries in a row that ended in failure (a success resets it);
    ``failing_since`` is the first failed attempt since the last success. Either one past its limit
    disables the endpoint; an organiser enables it again by hand."""

    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    all_kinds = models.BooleanField(
        default=False, help_text="Every domain event, including kinds added later."
    )
    kinds = models.JSONField(default=list, blank=True, help_text="The event kinds sent (outbox.kinds).")
    secret = EncryptedTextField(help_text="whsec_<base64>: the signing key.")
    previous_secret = EncryptedTextField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    failure_streak = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description or self.url

    def wants(self, kind: str) -> bool:
        return self.all_kinds or kind in self.kinds

    def secret_hint(self) -> str:
        """What the pages show of the secret: never more than its last four characters."""
        return hint(self.secret)

    def signing_secrets(self, moment: dt.datetime) -> list[str]:
        """The current secret, and the previous one for a day after a rotation (receivers switch over)."""
        secrets = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and moment < expires:
            secrets.append(self.previous_secret)
        return secrets


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # waiting for its first attempt or its next retry
    SUCCEEDED = "succeeded", "Succeeded"  # a 2xx answer
    FAILED = "failed", "Failed"  # an answer that retrying will not change (4xx, 3xx, a blocked address)
    GAVE_UP = "gave_up", "Gave up"  # every retry used


class Delivery(models.Model):
    """One event for one endpoint. ``message_id`` is the ``webhook-id`` header: the same on every retry
    and replay, so a receiver can recognise a message it already handled."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.BigIntegerField(null=True, blank=True)  # no foreign key: the outbox is pruned
    message_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)  # the first RESPONSE_EXCERPT bytes
    last_error = models.CharField(max_length=500, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"],
                condition=Q(event_id__isnull=False),
                name="webhooks_one_delivery_per_event",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.endpoint_id} ({self.status})"
