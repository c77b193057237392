"""Webhook endpoints made through the service (so the secret is real), and domain events to send."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from openhelp.integrations.webhooks import services
from openhelp.platform.outbox import delivery
from openhelp.platform.outbox.events import record
from openhelp.platform.outbox.models import Event


def make_endpoint(
    *, url: str, actor=None, kinds=("kudos.given",), all_kinds: bool = False, description: str = ""
):
    """An endpoint and its secret (``services.WithSecret``)."""
    return services.create_endpoint(
        actor=actor, url=url, description=description, all_kinds=all_kinds, kinds=list(kinds)
    )


def record_event(kind: str = "kudos.given", **payload) -> Event:
    payload = payload or {"kudos": 11, "giver": 2, "receiver": 3, "public": True}
    with transaction.atomic():
        return record(kind, actor=payload.get("giver"), **payload)


def deliver_to_webhooks() -> int:
    """Run the webhooks consumer to the end of the outbox (the others are not this folder's concern)."""
    return delivery.deliver("webhooks", settle=dt.timedelta(0))
