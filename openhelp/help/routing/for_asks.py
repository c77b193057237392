"""Routing as the ask workflows see it: the ``openhelp.help.asks.ports.Routing`` protocol (``settings.ASK_ROUTING``).

Asks sit below routing, so they do not import this module: config names it, and ``asks.ports.routing()``
loads it when a workflow calls.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from openhelp.help.asks.models import Ask, AskMode, AskState
from openhelp.help.routing.candidates import count_candidates
from openhelp.help.routing.models import Offer, OfferState
from openhelp.help.routing.services import offer_directly, route_ask, route_ask_later, withdraw_offers
from openhelp.platform.lib.clock import now

__all__ = [
    "count_candidates",
    "declined_offer",
    "first_answer_due",
    "offer_directly",
    "pending_offer_count",
    "route_ask",
    "route_ask_later",
    "with_pending_offer_counts",
    "withdraw_offers",
]


def declined_offer(*, ask: Ask) -> Model | None:
    """The declined (or unanswered) offer of a directed ask, which makes "route it to others" possible."""
    if ask.mode != AskMode.DIRECTED or ask.state not in {AskState.OPEN, AskState.UNMATCHED}:
        return None
    return (
        Offer.objects.filter(ask=ask, state__in=[OfferState.DECLINED, OfferState.EXPIRED])
        .order_by("-responded_at", "-created_at")
        .first()
    )


def pending_offer_count(*, ask: Ask) -> int:
    return Offer.objects.filter(ask=ask, state=OfferState.PENDING).count()


def first_answer_due(*, ask: Ask) -> dt.datetime | None:
    return (
        Offer.objects.filter(ask=ask, state=OfferState.PENDING, expires_at__gt=now())
        .order_by("expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )


def with_pending_offer_counts(asks: QuerySet[Ask]) -> QuerySet[Ask]:
    """Annotate ``offered_count``: pending offers per ask, in the same query (a count, never who)."""
    pending = (
        Offer.objects.filter(ask=OuterRef("pk"), state=OfferState.PENDING)
        .order_by()
        .values("ask")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return asks.annotate(offered_count=Coalesce(Subquery(pending, output_field=IntegerField()), Value(0)))
