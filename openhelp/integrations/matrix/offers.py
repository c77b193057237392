"""Offer messages kept true: once an offer closes, its Matrix message is edited (``m.replace``) to say so.

The outbox consumer ``matrix`` reads offer and ask endings, finds the offer messages of those asks that
still show an open offer, and queues ``close_offer_messages`` once the delivery commits (no HTTP inside
the delivery transaction). The task claims each message with a conditional UPDATE, so a repeated
delivery or a retried task edits each message once.
"""

from __future__ import annotations

from openhelp.help.routing.models import OfferState
from openhelp.integrations.matrix import services
from openhelp.integrations.matrix.models import OfferMessage
from openhelp.platform.lib.tasks import background_task, enqueue_on_commit
from openhelp.platform.outbox.models import Event

NAME = "matrix"
KINDS_READ = frozenset({"offer.accepted", "offer.declined", "offer.expired", "ask.cancelled", "ask.expired"})


def handle(events: list[Event]) -> None:
    ask_ids = {event.payload.get("ask") for event in events} - {None}
    ids = list(
        OfferMessage.objects.filter(offer__ask_id__in=ask_ids, closed_state="")
        .exclude(offer__state=OfferState.PENDING)
        .values_list("pk", flat=True)
    )
    if ids:
        enqueue_on_commit(close_offer_messages, ids)


def closed_text(state: str, title: str) -> str:
    texts: dict[str, str] = {
        OfferState.ACCEPTED: f"✅ You accepted “{title}”. Thank you for helping!",
        OfferState.DECLINED: f"You declined “{title}”. Thank you for answering.",
        OfferState.EXPIRED: f"“{title}” expired before you answered; it went on to other experts.",
    }
    return texts.get(
        state, f"“{title}” was taken by someone else or is no longer needed: nothing left to do."
    )


@background_task(queue_name="chat")
def close_offer_messages(message_ids: list[int]) -> int:
    """Edit each message to its offer's final state; returns how many were edited."""
    bot = services.current_bot()
    if bot is None:
        return 0
    client = services.client_for(bot)
    edited = 0
    for message in OfferMessage.objects.select_related("offer__ask").filter(
        pk__in=message_ids, closed_state=""
    ):
        state = message.offer.state
        if state == OfferState.PENDING:
            continue
        if OfferMessage.objects.filter(pk=message.pk, closed_state="").update(closed_state=state) != 1:
            continue
        try:
            client.edit(message.room_id, message.event_id, closed_text(state, message.offer.ask.title))
        except Exception:
            OfferMessage.objects.filter(pk=message.pk).update(closed_state="")  # let the retry edit it
            raise
        edited += 1
    return edited
