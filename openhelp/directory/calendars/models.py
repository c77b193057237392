"""A person's connected calendar, the busy intervals read from it, and the booking events written into it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openhelp.platform.lib.secrets import UNREADABLE_HINT, EncryptedTextField, is_unreadable


class ConnectionStatus(models.TextChoices):
    CHOOSE = "choose", "Choose your calendars"
    OK = "ok", "Working"
    FAILING = "failing", "Failing"


class CalendarConnection(models.Model):
    """One CalDAV account per person: where to read busy times from and where to write bookings to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_connection"
    )
    server_url = models.URLField(max_length=500)
    username = models.CharField(max_length=200)
    password = EncryptedTextField(help_text="The app password, encrypted at rest; never shown back.")
    password_hint = models.CharField(max_length=4, blank=True, help_text="Its last four characters.")
    calendars = models.JSONField(default=list, help_text="Discovered calendars: [{url, name}].")
    busy_calendar_url = models.URLField(max_length=500, blank=True)
    write_calendar_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ConnectionStatus.choices, default=ConnectionStatus.CHOOSE
    )
    last_error = models.CharField(max_length=300, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_full_sync_at = models.DateTimeField(null=True, blank=True)
    sync_token = models.CharField(max_length=500, blank=True)
    ctag = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.username} on {self.server_url}"

    @property
    def password_shown(self) -> str:
        """What the page and the API show of the app password: its last four characters, or that it must be
        entered again."""
        if is_unreadable(self.password):
            return UNREADABLE_HINT
        return f"•••• {self.password_hint}"

    def calendar_name(self, url: str) -> str:
        return next((item["name"] for item in self.calendars if item["url"] == url), "")


class BusyInterval(models.Model):
    """One busy instance read from a connected calendar (a recurring event has one row per instance)."""

    connection = models.ForeignKey(CalendarConnection, on_delete=models.CASCADE, related_name="busy")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    href = models.CharField(max_length=1000, help_text="The calendar resource it was read from.")
    uid = models.CharField(max_length=500)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "starts_at", "ends_at"], name="calendars_busy_user_range")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class WrittenEvent(models.Model):
    """A booking we wrote into a connected calendar: where, so a cancellation can delete it."""

    connection = models.ForeignKey(CalendarConnection, on_delete=models.CASCADE, related_name="written")
    booking_id = models.PositiveBigIntegerField()
    uid = models.CharField(max_length=500)
    href = models.CharField(max_length=1000)
    sequence = models.PositiveIntegerField(default=0)
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "booking_id"], name="calendars_written_once")
        ]

    def __str__(self) -> str:
        return self.uid
