"""An honest estimated wait: how long recent similar asks waited for an expert to accept.

"Similar" means accepted in the last 90 days, sharing at least one skill and with the same urgency.
Below five such asks we say "not enough data yet" rather than invent a number.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache

from openhelp.help.asks.models import Ask
from openhelp.platform.lib.clock import now

WINDOW = dt.timedelta(days=90)
MIN_SAMPLE = 5
WAIT_SECONDS = 600  # how long ``remembered_waits`` reuses an estimate
NOT_ENOUGH_DATA = "Not enough data yet to estimate the wait."


@dataclass(frozen=True)
class WaitEstimate:
    median: dt.timedelta
    sample_size: int

    @property
    def text(self) -> str:
        return f"Similar asks were usually accepted within {humanise(self.median)} (from {self.sample_size} recent asks)."


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
    """Median time from publishing to acceptance over recent similar asks; None when fewer than five.

    One query whatever the number of skills or asks.
    """
    skill_ids = list(skill_ids)
    if not skill_ids:
        return None
    sharing_a_skill = Ask.skills.through.objects.filter(skill_id__in=skill_ids).values("ask_id")
    rows = Ask.objects.filter(
        pk__in=sharing_a_skill,
        urgency=urgency,
        published_at__isnull=False,
        accepted_at__gte=now() - WINDOW,
    ).values_list("published_at", "accepted_at")
    return _from_waits([accepted - published for published, accepted in rows if accepted >= published])


def _from_waits(waits: list[dt.timedelta]) -> WaitEstimate | None:
    """The median of the waits, or None below MIN_SAMPLE of them."""
    if len(waits) < MIN_SAMPLE:
        return None
    middle = statistics.median(wait.total_seconds() for wait in waits)
    return WaitEstimate(median=dt.timedelta(seconds=middle), sample_size=len(waits))


def estimated_wait_for(ask: Ask) -> WaitEstimate | None:
    return estimated_wait(skill_ids=[skill.pk for skill in ask.skills.all()], urgency=ask.urgency)


def estimated_waits(asks: list[Ask]) -> dict[int, WaitEstimate]:
    """``estimated_wait`` for several asks at once (the Today page): two queries, however many asks.

    Same rule: the median time from publishing to acceptance of asks accepted in the last 90 days that
    share a skill and the urgency; no estimate below five such asks.
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
            accepted - published
            for pk, (urgency, published, accepted) in recent_asks.items()
            if pk != ask.pk
            and urgency == ask.urgency
            and accepted >= published
            and skills_of[pk] & wanted[ask.pk]
        ]
        estimate = _from_waits(waits)
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
