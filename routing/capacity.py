"""A capacity source for people.capacity: the asks a person took on this week use up their sessions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from asks.models import Ask, AskState

# Accepting an ask books one of the helper's sessions; it stays booked once scheduled, answered or done.
USES_CAPACITY = (AskState.ACCEPTED, AskState.SCHEDULED, AskState.ANSWERED, AskState.COMPLETED)

# Above this many ids an IN (...) list gets slow (and SQLite caps bound parameters), so we count every
# helper of the week instead: that set is bounded by the week's accepted asks, not by the directory.
LARGE_REQUEST = 1000


def asks_taken_this_week(
    profile_ids: list[int], week_start: dt.datetime, week_end: dt.datetime
) -> dict[int, int]:
    """Profile id → asks accepted within [week_start, week_end) and not cancelled since; one query."""
    rows = Ask.objects.filter(
        state__in=USES_CAPACITY,
        helper__isnull=False,
        accepted_at__gte=week_start,
        accepted_at__lt=week_end,
    )
    if len(profile_ids) <= LARGE_REQUEST:
        rows = rows.filter(helper__profile__id__in=profile_ids)
    wanted = set(profile_ids)
    counts = rows.order_by().values("helper__profile__id").annotate(n=Count("id"))
    return {row["helper__profile__id"]: row["n"] for row in counts if row["helper__profile__id"] in wanted}
