"""The outbox consumer ``webhooks``: one Delivery per (endpoint, event) for every enabled endpoint that
subscribed to the event's kind, then a send task once the batch commits. Events about something private
(``payloads.is_shared``: a private kudos) are never sent.

Idempotent: the unique constraint on (endpoint, event_id) and ``ignore_conflicts`` make a batch handled
twice (at-least-once delivery) create each Delivery once. An endpoint that is disabled gets nothing
while it is off: events are not stored up for it.
"""

from __future__ import annotations

from openhelp.integrations.webhooks import payloads
from openhelp.integrations.webhooks.models import Delivery, Endpoint
from openhelp.integrations.webhooks.tasks import send_due_task
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.outbox.kinds import KINDS
from openhelp.platform.outbox.models import Event

NAME = "webhooks"
KINDS_READ = frozenset(KINDS)  # endpoints choose among every kind


def handle(events: list[Event]) -> None:
    endpoints = list(Endpoint.objects.filter(is_enabled=True))
    if not endpoints:
        return
    moment = now()
    rows = [
        Delivery(
            endpoint=endpoint,
            event_id=event.pk,
            message_id=payloads.message_id(event.pk),
            kind=event.kind,
            payload=payloads.for_event(event),
            next_attempt_at=moment,
            created_at=moment,
            updated_at=moment,
        )
        for event in events
        if payloads.is_shared(event)
        for endpoint in endpoints
        if endpoint.wants(event.kind)
    ]
    if rows:
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        enqueue_on_commit(send_due_task)
