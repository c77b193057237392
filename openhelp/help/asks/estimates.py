"""An honest estimated wait: how long recent asks waited for an expert to accept.

The median over the asks accepted in the last 90 days, from the closest group that has at least five:
asks like this one (sharing a skill, same urgency), then asks sharing a skill whatever their urgency, then
the organisation as a whole; the text says which. With none of those we invent no number: the text says
what happens next instead (who gets it first and when more experts are asked).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models

from openhelp.directory.programmes.rules import (
    offers_per_round,
    response_hours,
    routing_hours,
    routing_setting,
)
from openhelp.help.asks.models import Ask
from openhelp.platform.lib.clock import now

WINDOW = dt.timedelta(days=90)
MIN_SAMPLE = 5
ORGANISATION_SAMPLE = 500  # the organisation's median reads at most this many of the latest accepted asks
WAIT_SECONDS = 600  # how long ``remembered_waits`` (and the organisation's median) reuse an estimate
ORGANISATION_KEY = "asks:wait:organisation"


class Basis(models.TextChoices):
    """Which recent asks an estimate is the median of, from the closest to the broadest."""

    SIMILAR = "similar", "asks sharing a skill, same urgency"
    SKILLS = "skills", "asks sharing a skill, any urgency"
    ORGANISATION = "organisation", "every ask in the organisation"


@dataclass(frozen=True)
class WaitEstimate:
    median: dt.timedelta
    sample_size: int
    basis: Basis = Basis.SIMILAR

    @property
    def text(self) -> str:
        within, asks = humanise(self.median), f"{self.sample_size} recent asks"
        if self.basis == Basis.SKILLS:
            return f"Asks for these skills were usually accepted within {within} (from {asks}, any urgency)."
        if self.basis == Basis.ORGANISATION:
            return f"Across the organisation, asks were usually accepted within {within} (from {asks})."
        return f"Similar asks were usually accepted within {within} (from {asks})."


def no_history_text(*, urgency: str, programme=None, directed: bool = False) -> str:
    """What to say when no recent ask was accepted at all: no number, but what happens next (the numbers of
    the routing policy, read from the same rules routing uses)."""
    if directed:
        return (
            "No asks have been accepted here yet, so we cannot estimate the wait. The person you asked gets "
            "it first; if they cannot take it, you can route it to other experts in one click."
        )
    experts = offers_per_round(programme) or max(int(routing_setting("OFFERS_PER_ROUND")), 1)
    hours = response_hours(programme, urgency)
    promised = dt.timedelta(hours=hours) if hours is not None else routing_hours("PROMISED_RESPONSE", urgency)
    widened = promised * float(routing_setting("ESCALATE_AT_FRACTION"))
    first = "the best-matched expert" if experts == 1 else f"the {experts} best-matched experts"
    return (
        f"No asks have been accepted here yet, so we cannot estimate the wait. It goes to {first} first; "
        f"if nobody accepts within {humanise(widened).removeprefix('about ')}, more experts are asked."
    )


def no_history_text_for(ask: Ask) -> str:
    return no_history_text(
        urgency=ask.urgency, programme=ask.programme, directed=ask.directed_to_id is not None
    )


def humanise(delta: dt.timedelta) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    if hours < 48:
        return f"about {hours} hour{'s' if hours != 1 else ''}"
    days = round(hours / 24)
    return f"about {days} days"


def estimated_wait(*, skill_ids: Iterable[int], urgency: str) -> WaitEstimate | None:
    """Median time from publishing to acceptance over recent asks like this one, else those sharing a skill,
    else the organisation's; None when even the organisation has fewer than five.

    One query whatever the number of skills or asks, when asks sharing a skill suffice; else one more for
    the organisation's median, itself remembered a few minutes.
    """
    skill_ids = list(skill_ids)
    if not skill_ids:
        return None
    sharing_a_skill = Ask.skills.through.objects.filter(skill_id__in=skill_ids).values("ask_id")
    rows = Ask.objects.filter(
        pk__in=sharing_a_skill,
        published_at__isnull=False,
        accepted_at__gte=now() - WINDOW,
    ).values_list("urgency", "published_at", "accepted_at")
    waits = [(wanted, accepted - published) for wanted, published, accepted in rows if accepted >= published]
    return (
        _from_waits([wait for wanted, wait in waits if wanted == urgency], Basis.SIMILAR)
        or _from_waits([wait for _, wait in waits], Basis.SKILLS)
        or organisation_wait()
    )


def organisation_wait() -> WaitEstimate | None:
    """The median over the organisation's latest accepted asks (at most ORGANISATION_SAMPLE of the last 90
    days), remembered WAIT_SECONDS: the same for every ask, and only needed when an ask's skills are rare."""
    known = cache.get(ORGANISATION_KEY)
    if known is None:
        rows = (
            Ask.objects.filter(published_at__isnull=False, accepted_at__gte=now() - WINDOW)
            .order_by("-accepted_at")
            .values_list("published_at", "accepted_at")[:ORGANISATION_SAMPLE]
        )
        known = (
            _from_waits(
                [accepted - published for published, accepted in rows if accepted >= published],
                Basis.ORGANISATION,
            ),
        )
        cache.set(ORGANISATION_KEY, known, WAIT_SECONDS)
    (estimate,) = known
    return estimate


def _from_waits(waits: list[dt.timedelta], basis: Basis) -> WaitEstimate | None:
    """The median of the waits, or None below MIN_SAMPLE of them."""
    if len(waits) < MIN_SAMPLE:
        return None
    middle = statistics.median(wait.total_seconds() for wait in waits)
    return WaitEstimate(median=dt.timedelta(seconds=middle), sample_size=len(waits), basis=basis)


def estimated_wait_for(ask: Ask) -> WaitEstimate | None:
    return estimated_wait(skill_ids=[skill.pk for skill in ask.skills.all()], urgency=ask.urgency)


def estimated_waits(asks: list[Ask]) -> dict[int, WaitEstimate]:
    """``estimated_wait`` for several asks at once (the Today page): two queries, however many asks (and the
    organisation's remembered median when an ask's skills are rare).

    Same rule: the median time from publishing to acceptance of asks accepted in the last 90 days that
    share a skill and the urgency, else a skill, else the organisation's; no estimate below five asks.
    """
    wanted = {ask.pk: {skill.pk for skill in ask.skills.all()} for ask in asks}
    skill_ids = set().union(*wanted.values()) if wanted else set()
    if not skill_ids:
        return {}
    through = Ask.skills.through.objects.filter(skill_id__in=skill_ids)
    recent = Ask.objects.filter(
        pk__in=through.values("ask_id"), published_at__isnull=False, accepted_at__gte=now() - WINDOW
    ).values_list("pk", "urgency", "published_at", "accepted_at")
    recent_asks = {
        pk: (urgency, published, accepted)
        for pk, urgency, published, accepted in recent
        if published is not None and accepted is not None
    }
    skills_of: dict[int, set[int]] = defaultdict(set)
    for ask_id, skill_id in through.filter(ask_id__in=list(recent_asks)).values_list("ask_id", "skill_id"):
        skills_of[ask_id].add(skill_id)
    estimates = {}
    for ask in asks:
        waits = [
            (urgency, accepted - published)
            for pk, (urgency, published, accepted) in recent_asks.items()
            if pk != ask.pk and accepted >= published and skills_of[pk] & wanted[ask.pk]
        ]
        estimate = _from_waits([wait for urgency, wait in waits if urgency == ask.urgency], Basis.SIMILAR)
        estimate = estimate or _from_waits([wait for _, wait in waits], Basis.SKILLS)
        estimate = estimate or organisation_wait()
        if estimate is not None:
            estimates[ask.pk] = estimate
    return estimates


def _wait_key(ask: Ask) -> str:
    skills = ",".join(str(pk) for pk in sorted(skill.pk for skill in ask.skills.all()))
    return f"asks:wait:{ask.urgency}:{skills}"


def remembered_wait(ask: Ask) -> WaitEstimate | None:
    """``estimated_wait_for`` one ask (the asks API), remembered like ``remembered_waits`` and under the same
    key: a miss costs the one query of ``estimated_wait``, not the two of ``estimated_waits``."""
    key = _wait_key(ask)
    known = cache.get(key)
    if known is None:
        known = (estimated_wait_for(ask),)
        cache.set(key, known, WAIT_SECONDS)
    (estimate,) = known
    return estimate


def remembered_waits(asks: list[Ask]) -> dict[int, WaitEstimate]:
    """``estimated_waits``, remembered for WAIT_SECONDS per (urgency, skills), for the Today page: the estimate
    is a median over 90 days of accepted asks, which a few minutes do not move, and computing it reads every
    recent ask sharing a skill — the costliest query of that page in a large organisation. "Not enough data" is
    remembered too. (The estimate leaves out the ask itself; an ask still waiting was never accepted,
    so it is not among those the estimate reads, and asks with the same urgency and skills share one.)"""
    keys = {ask.pk: _wait_key(ask) for ask in asks}
    known = cache.get_many(list(set(keys.values())))
    missing = [ask for ask in asks if keys[ask.pk] not in known]
    if missing:
        fresh = estimated_waits(missing)
        computed = {keys[ask.pk]: (fresh.get(ask.pk),) for ask in missing}
        cache.set_many(computed, WAIT_SECONDS)
        known.update(computed)
    found = {}
    for ask in asks:
        (estimate,) = known[keys[ask.pk]]
        if estimate is not None:
            found[ask.pk] = estimate
    return found
