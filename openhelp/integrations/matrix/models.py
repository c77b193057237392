"""The Matrix bot's state: its account on the homeserver, who is linked, and what it already handled.

The bot is a normal Matrix user talking the client-server API. An organiser enters its homeserver, user
id and access token on ``/integrations/matrix/bot/``; the token is stored encrypted and never shown back
in full. ``since`` is the sync position, so a restarted ``matrix_sync`` resumes where it stopped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import EncryptedTextField, hint


class MatrixBot(models.Model):
    """The one bot account (a single row, ``pk=1``)."""

    homeserver_url = models.CharField(max_length=200, help_text="e.g. https://matrix.example.org")
    user_id = models.CharField(max_length=255, help_text="The bot's Matrix id, e.g. @openhelp:example.org")
    access_token = EncryptedTextField(help_text="The bot's access token (stored encrypted).")
    enabled = models.BooleanField(default=True)
    since = models.CharField(max_length=500, blank=True, help_text="Sync position (next_batch).")
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.user_id

    @property
    def token_hint(self) -> str:
        return hint(self.access_token)


class MatrixLink(models.Model):
    """A person's Matrix account, confirmed by them on the web; ``room_id`` is their DM room with the bot."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matrix_link"
    )
    matrix_id = models.CharField(max_length=255, unique=True)
    room_id = models.CharField(max_length=255, blank=True)
    linked_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"{self.matrix_id} → {self.user_id}"


class LinkCode(models.Model):
    """A one-time code the bot sent to a Matrix user; whoever confirms it on the web while signed in is linked."""

    code = models.CharField(max_length=64, unique=True)
    matrix_id = models.CharField(max_length=255)
    room_id = models.CharField(max_length=255)
    email = models.EmailField(
        blank=True, help_text="The address named in !link, if any: only that account may confirm."
    )
    created_at = models.DateTimeField(default=now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code for {self.matrix_id}"


class HandledEvent(models.Model):
    """Matrix events already acted on: a repeated sync (or two running at once) never acts twice."""

    event_id = models.CharField(max_length=255, unique=True)
    handled_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.event_id


class OfferMessage(models.Model):
    """The DM the bot sent for an offer, so a reaction to it answers the offer and an edit can close it."""

    offer = models.ForeignKey("routing.Offer", on_delete=models.CASCADE, related_name="matrix_messages")
    room_id = models.CharField(max_length=255)
    event_id = models.CharField(max_length=255, unique=True)
    closed_state = models.CharField(
        max_length=10, blank=True, help_text="The offer state the message shows as closed."
    )
    sent_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"offer {self.offer_id} in {self.room_id}"
