"""Slack: a workspace where the app is installed, the people linked there, and what we posted.

Tokens are kept encrypted (``EncryptedTextField``) and deleted when the app is uninstalled or its
tokens are revoked; the workspace row stays so organisers see when and by whom it was installed.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import EncryptedTextField, hint, is_unreadable


class Workspace(models.Model):
    team_id = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200, blank=True)
    bot_user_id = models.CharField(max_length=32, blank=True)
    bot_token = EncryptedTextField(blank=True, help_text="xoxb-… token; empty once uninstalled.")
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enabled = models.BooleanField(default=True, help_text="The kill switch: off, the app says nothing.")
    daily_message_cap = models.PositiveIntegerField(
        default=500, help_text="Direct messages the app may post in this workspace per UTC day."
    )
    rate_limited_until = models.DateTimeField(
        null=True, blank=True, help_text="Slack answered 429: no Web API call before this time."
    )
    installed_at = models.DateTimeField(default=now)
    uninstalled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "team_id"]

    def __str__(self) -> str:
        return self.name or self.team_id

    @property
    def is_installed(self) -> bool:
        return (bool(self.bot_token) or self.token_unreadable) and self.uninstalled_at is None

    @property
    def token_unreadable(self) -> bool:
        """Its bot token was stored under keys this server no longer has: install the app again."""
        return is_unreadable(self.bot_token)

    @property
    def is_active(self) -> bool:
        """Installed, not switched off and its token readable: the only state in which the app talks."""
        return self.is_installed and self.enabled and not self.token_unreadable

    def token_hint(self) -> str:
        return hint(self.bot_token)


class SlackAccount(models.Model):
    """A Slack user linked to a person here (after the confirmation step)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="accounts")
    slack_user_id = models.CharField(max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slack_accounts"
    )
    linked_at = models.DateTimeField(default=now)
    dm_channel = models.CharField(max_length=32, blank=True, help_text="The app's DM channel with them.")
    status_opt_in = models.BooleanField(default=False, help_text="Show 'open to help' as a Slack status.")
    user_token = EncryptedTextField(blank=True, help_text="xoxp-… token to set their status (opt-in).")
    status_shown = models.CharField(max_length=100, blank=True, help_text="The status we last set in Slack.")
    digest_opt_in = models.BooleanField(default=False, help_text="A weekly digest as a direct message.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slack_user_id"], name="slack_account_unique_user"),
            models.UniqueConstraint(fields=["workspace", "user"], name="slack_account_one_per_workspace"),
        ]

    def __str__(self) -> str:
        return f"{self.slack_user_id}@{self.workspace.team_id}"

    @property
    def status_token_unreadable(self) -> bool:
        return is_unreadable(self.user_token)


def new_link_token() -> str:
    return secrets.token_urlsafe(24)


class LinkRequest(models.Model):
    """A Slack user whose verified e-mail matched a person here, waiting for that person to confirm."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="link_requests")
    slack_user_id = models.CharField(max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_link_token)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.slack_user_id} → {self.email}"

    def is_open(self) -> bool:
        return self.confirmed_at is None and self.expires_at > now()


class SlackMessage(models.Model):
    """A message the app posted, kept so it can be updated in place (offers) and counted (daily cap)."""

    class Kind(models.TextChoices):
        OFFER = "offer", "Offer"
        NOTICE = "notice", "Notification"
        DIGEST = "digest", "Weekly digest"
        LINK = "link", "Link confirmation"
        SESSION = "session", "Session starting"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=32)
    ts = models.CharField(max_length=32)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    offer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ask_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    notification_id = models.BigIntegerField(null=True, blank=True)
    session_id = models.BigIntegerField(null=True, blank=True, help_text="The join link sent at its start.")
    final = models.BooleanField(default=False, help_text="Updated to its last state; no more changes.")
    posted_at = models.DateTimeField(default=now, db_index=True)

    class Meta:
        ordering = ["-posted_at"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "channel", "ts"], name="slack_message_unique_ts"),
            models.UniqueConstraint(
                fields=["workspace", "notification_id"],
                condition=models.Q(notification_id__isnull=False),
                name="slack_message_one_per_notification",
            ),
            models.UniqueConstraint(
                fields=["workspace", "session_id", "user"],
                condition=models.Q(session_id__isnull=False),
                name="slack_message_one_join_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel}/{self.ts}"


class ProcessedRequest(models.Model):
    """What we already handled: ``sig:<signature>`` (replay), ``event:<event_id>`` and
    ``payload:<sha256>`` (Slack's retries). The unique key makes a second delivery a no-op."""

    key = models.CharField(max_length=120, unique=True)
    received_at = models.DateTimeField(default=now, db_index=True)

    def __str__(self) -> str:
        return self.key
