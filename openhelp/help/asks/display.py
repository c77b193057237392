"""How an ask reads to people: its status in words, its timeline, and lists grouped by what they need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from openhelp.help.asks.models import Ask, AskEvent, AskState

GROUPS = [
    ("needs-you", "Waiting for you", {AskState.DRAFT, AskState.ANSWERED}),
    ("waiting", "Looking for an expert", {AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED}),
    ("in-progress", "In progress", {AskState.ACCEPTED, AskState.SCHEDULED}),
    ("closed", "Closed", {AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED}),
]

KIND_LABELS = {
    "created": "Created",
    "published": "Published",
    "edited": "Edited",
    "cancelled": "Cancelled",
    "co_askers": "Co-askers changed",
    "rerouted": "Routed to other experts",
    "answered": "Marked as answered",
    "completed": "Completed",
    "follow_up": "Follow-up question",
    "scheduled": "Time agreed",
    "rescheduled": "Time changed",
    # Routing's steps (routing.services records them on the same timeline).
    "offered": "Offered to experts",
    "accepted": "Accepted",
    "declined": "An expert could not take it",
    "offer_expired": "An offer expired unanswered",
    "reopened": "Looking for experts again",
    "unmatched": "No expert found",
    "escalated": "Escalated",
    "expired": "Expired",
}


def with_offer_counts(asks: QuerySet[Ask]) -> QuerySet[Ask]:
    """Annotate ``offered_count``: pending offers per ask, in the same query (a count, never who)."""
    from openhelp.help.routing.models import Offer, OfferState  # upward: see [tool.importlinter]

    pending = (
        Offer.objects.filter(ask=OuterRef("pk"), state=OfferState.PENDING)
        .order_by()
        .values("ask")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return asks.annotate(offered_count=Coalesce(Subquery(pending, output_field=IntegerField()), Value(0)))


def group_asks(asks: Iterable[Ask]) -> list[tuple[str, str, list[Ask]]]:
    """(slug, heading, asks) for each non-empty group, in the order a person should act on them."""
    asks = list(asks)
    groups = []
    for slug, heading, states in GROUPS:
        members = [ask for ask in asks if ask.state in states]
        if members:
            groups.append((slug, heading, members))
    return groups


def experts(n: int) -> str:
    return f"{n} expert{'s' if n != 1 else ''}"


def status_text(ask: Ask, *, offered: int = 0) -> str:
    """Where the ask stands, in one sentence."""
    helper = ask.helper.display_name if ask.helper_id else "The expert"
    texts = {
        AskState.DRAFT: "Draft: only you can see it. Publish it when it is ready.",
        AskState.OPEN: "Published: we are finding the right experts.",
        AskState.OFFERED: f"Offered to {experts(offered)}; the first to accept takes it."
        if offered
        else "Offered to experts; the first to accept takes it.",
        AskState.UNMATCHED: "No expert could take it yet. You can edit it, wait, or cancel it.",
        AskState.ACCEPTED: f"{helper} accepted it. Talk it through in the thread below.",
        AskState.SCHEDULED: f"A call with {helper} is agreed.",
        AskState.ANSWERED: f"{helper} marked it answered. Did it help?",
        AskState.COMPLETED: "Completed: it helped.",
        AskState.CANCELLED: f"Cancelled: {ask.cancel_reason}" if ask.cancel_reason else "Cancelled.",
        AskState.EXPIRED: "Expired: nobody could take it in time.",
    }
    return texts[AskState(ask.state)]


@dataclass(frozen=True)
class TimelineRow:
    event: AskEvent
    who: str
    what: str


def _what(event: AskEvent) -> str:
    if event.kind in KIND_LABELS:
        return KIND_LABELS[event.kind]
    if event.to_state:
        return AskState(event.to_state).label
    return event.kind.replace("_", " ").replace(".", " ").capitalize()


def timeline_rows(ask: Ask, *, viewer) -> list[TimelineRow]:
    """Every step with who and why. Experts who were only offered the ask stay anonymous ("An expert")."""
    named = {ask.mentee_id, ask.helper_id, *ask.co_askers.values_list("pk", flat=True)}
    rows = []
    for event in AskEvent.objects.filter(ask=ask).select_related("actor__profile"):
        if event.actor_id is None:
            who = settings.SITE_NAME  # the platform itself: routing, expiry, escalation
        elif event.actor_id == viewer.pk:
            who = "You"
        elif event.actor_id in named:
            who = event.actor.display_name
        else:
            who = "An expert"
        rows.append(TimelineRow(event=event, who=who, what=_what(event)))
    return rows
