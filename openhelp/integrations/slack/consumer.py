"""The ``slack`` outbox consumer: when an offer closes, its direct messages are updated in place.

``offer.accepted`` / ``offer.declined`` / ``offer.expired`` name the offer; ``ask.*`` name the ask whose
other offers were withdrawn (taken by someone else, cancelled, expired). The handler only queues the
refresh; the task re-reads each offer and updates the messages still showing buttons, so a repeated
delivery finds nothing left to do.
"""

from __future__ import annotations

from openhelp.integrations.slack.tasks import refresh_offers_task
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.outbox.models import Event

OFFER_KINDS = ("offer.accepted", "offer.declined", "offer.expired")
ASK_KINDS = ("ask.accepted", "ask.cancelled", "ask.expired", "ask.unmatched", "ask.completed", "ask.reopened")
KINDS = OFFER_KINDS + ASK_KINDS


def handle(events: list[Event]) -> None:
    offer_ids = sorted(
        {int(e.payload["offer"]) for e in events if e.kind in OFFER_KINDS and "offer" in e.payload}
    )
    ask_ids = sorted({int(e.payload["ask"]) for e in events if e.kind in ASK_KINDS and "ask" in e.payload})
    if offer_ids or ask_ids:
        enqueue_on_commit(refresh_offers_task, offer_ids, ask_ids)
