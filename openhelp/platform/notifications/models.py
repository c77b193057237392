"""In-app notifications, their e-mail delivery state, and each person's preferences per event and channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.markdown import markdown_to_text

PREVIEW_CHARS = 200


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL = "email", "E-mail"
    CHAT = "chat", "Chat"


class Notification(models.Model):
    class DeliveryStatus(models.TextChoices):
        """Where the e-mail, and separately the chat message, of a notification is (email_status, chat_status)."""

        NOT_WANTED = "not_wanted", "Not wanted"
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # Empty only for account e-mails to an address nobody has registered (ACCOUNT_PREVENT_ENUMERATION
    # answers "no account here" by e-mail instead of on the page).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(max_length=80, db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    context = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="One notification per event per person: same key, no second copy.",
    )
    show_in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.NOT_WANTED
    )
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last claimed the e-mail for sending."
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_to = models.EmailField(
        blank=True, help_text="Address to send to when not the recipient's own (e.g. a new, unconfirmed one)."
    )
    email_error = models.CharField(max_length=300, blank=True, help_text="Why the last attempt failed.")
    # Chat (Slack, Matrix …: notifications.chat) has the same life as the e-mail, with its own state.
    chat_status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.NOT_WANTED
    )
    chat_sent_at = models.DateTimeField(null=True, blank=True)
    chat_attempts = models.PositiveSmallIntegerField(default=0)
    chat_error = models.CharField(max_length=300, blank=True, help_text="Why the last chat delivery failed.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_event_and_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient or self.email_to}"

    @property
    def email_address(self) -> str:
        return self.email_to or (self.recipient.email if self.recipient is not None else "")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    # Bodies are Markdown (a message in a thread is): lists and previews show plain text, the e-mail
    # shows it rendered and sanitised (notifications.emails).
    @property
    def preview(self) -> str:
        return markdown_to_text(self.body, limit=PREVIEW_CHARS)

    @property
    def title_text(self) -> str:
        return markdown_to_text(self.title)


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=80)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.event}/{self.channel}: {'on' if self.enabled else 'off'}"
