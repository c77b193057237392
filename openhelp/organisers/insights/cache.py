"""The dashboard's report, cached per filter set and roll-up version.

Computing a report reads the roll-ups (a bounded number of queries, over rows whose number hardly grows
with the data: organisation-wide day totals, ``ActiveWeek``, ``LoadDistribution``), plus the live people
figures (people per team, experts open to help), which grow with the number of people. A report is kept
in the cache under the current ``RollupVersion``: every roll-up change bumps the version in its own
transaction, so a cached report is never older than the roll-ups. Figures read live (experts open to
help, the population) may be up to ``INSIGHTS_CACHE_SECONDS`` old; the page says when they were computed.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from openhelp.organisers.insights import figures
from openhelp.organisers.insights.models import RollupVersion
from openhelp.platform.lib.clock import now


def cache_seconds() -> int:
    return int(getattr(settings, "INSIGHTS_CACHE_SECONDS", 300))


def _key(filters: figures.Filters, version: int) -> str:
    raw = f"{filters.start}|{filters.end}|{filters.team_id}|{filters.programme_id}"
    return f"insights:report:v{version}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def cached_report(filters: figures.Filters) -> dict:
    """``figures.report(filters)`` with ``computed_at``; from the cache while the roll-ups are unchanged."""
    version = RollupVersion.objects.values_list("version", flat=True).first() or 0
    key = _key(filters, version)
    report = cache.get(key) if cache_seconds() > 0 else None
    if report is None:
        report = {**figures.report(filters), "computed_at": now().isoformat()}
        if cache_seconds() > 0:
            cache.set(key, report, timeout=cache_seconds())
    return report
