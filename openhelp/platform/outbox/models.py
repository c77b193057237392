"""The outbox: one row per domain event, written in the workflow's own transaction, read by consumers."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openhelp.platform.lib.clock import now


class Event(models.Model):
    """Something that happened in the domain ("ask.published", "offer.accepted", …; see outbox.kinds).

    Ids only, never copies of private text: a consumer reads what it needs from the current state, and
    the payload carries what the change moved *away* from (a session's previous start, a person's
    previous team), which the current state no longer shows."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(default=now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)  # no foreign key: events outlive accounts
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class ConsumerCursor(models.Model):
    """How far one consumer has read: every event with an id up to ``last_event_id`` is handled."""

    name = models.CharField(max_length=80, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"{self.name} at #{self.last_event_id}"
