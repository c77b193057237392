"""The dashboard's report, cached per filter set and roll-up version.

Computing a report reads the roll-ups (a bounded number of queries, over rows whose number hardly grows
with the data: organisation-wide day totals, ``ActiveWeek``, ``LoadDistribution``), plus the live people
figures (people per team, experts open to help), which grow with the number of people. A report is kept
in the cache under the current ``RollupVersion``: every roll-up change bumps the version in its own
transaction, so a cached report is never older than the roll-ups. Figures read live may be up to
``INSIGHTS_CACHE_SECONDS`` old; the page says when they were computed.

The roll-ups change whenever anything happens (every delivery of the outbox bumps the version), so on a
busy organisation a report is computed again on most views. The costliest live figure, the experts open
to help per skill and their capacity (``figures.open_supply``: every offer of everyone open to help), is
therefore remembered on its own for ``INSIGHTS_CACHE_SECONDS`` per day and scope, whatever the version
(``remembered_supply``), and the report's ``computed_at`` is the moment it was read: a report says how
old its oldest figure may be. The people per team stay live on every computation: they decide what may
be shown at all (``privacy``), and a team change must take effect with the roll-ups it bumps.

On top, a report once read is shown as it is for ``INSIGHTS_LAG_SECONDS`` (default 30): the roll-ups
themselves trail the workflows by the outbox's gathering window, so a dashboard a few seconds behind
shows nothing a fresher one would not show a moment later, and organisers refreshing it during a busy
hour cost one computation per half minute rather than one per delivery.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache

from openhelp.organisers.insights import figures
from openhelp.organisers.insights.models import RollupVersion
from openhelp.platform.lib.clock import now


def cache_seconds() -> int:
    return int(getattr(settings, "INSIGHTS_CACHE_SECONDS", 300))


def _key(filters: figures.Filters, *, tag: str) -> str:
    raw = f"{filters.start}|{filters.end}|{filters.team_id}|{filters.programme_id}"
    return f"insights:report:{tag}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def remembered_supply(filters: figures.Filters) -> tuple[dict[int, dict], dt.datetime]:
    """``figures.open_supply(filters)`` and when it was read: from the cache for ``cache_seconds()`` per
    day (who is paused depends on it), team and programme; read now when the cache is off."""
    moment = now()
    if cache_seconds() <= 0:
        return figures.open_supply(filters), moment
    key = f"insights:supply:{moment.date()}:{filters.team_id}:{filters.programme_id}"
    found = cache.get(key)
    if found is None:
        found = (figures.open_supply(filters), moment)
        cache.set(key, found, timeout=cache_seconds())
    return found


class _RememberedSupply:
    """``remembered_supply`` as a report's ``read_supply``, noting when what it gave was read (now, if the
    report never asked: a hidden one)."""

    def __init__(self) -> None:
        self.read_at = now()

    def __call__(self, filters: figures.Filters) -> dict[int, dict]:
        supply, self.read_at = remembered_supply(filters)
        return supply


def lag_seconds() -> int:
    return int(getattr(settings, "INSIGHTS_LAG_SECONDS", 30))


def cached_report(filters: figures.Filters) -> dict:
    """``figures.report(filters)`` with ``computed_at``; from the cache while the roll-ups are unchanged,
    and for ``lag_seconds()`` after it was last read whatever the roll-ups did meanwhile (on a busy
    organisation every outbox delivery moves them, so without the lag nearly every view computed anew)."""
    if lag_seconds() <= 0 or cache_seconds() <= 0:
        return _versioned_report(filters)
    recent_key = _key(filters, tag="recent")
    report = cache.get(recent_key)
    if report is None:
        report = _versioned_report(filters)
        cache.set(recent_key, report, timeout=lag_seconds())
    return report


def _versioned_report(filters: figures.Filters) -> dict:
    version = RollupVersion.objects.values_list("version", flat=True).first() or 0
    key = _key(filters, tag=f"v{version}")
    report = cache.get(key) if cache_seconds() > 0 else None
    if report is None:
        supply = _RememberedSupply()
        report = figures.report(filters, read_supply=supply)
        report = {**report, "computed_at": supply.read_at.isoformat()}
        # Kept no longer than its oldest figure may be: until the remembered experts are due again.
        left = cache_seconds() - (now() - supply.read_at).total_seconds()
        if left >= 1:
            cache.set(key, report, timeout=int(left))
    return report
