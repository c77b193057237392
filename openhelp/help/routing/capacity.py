"""A capacity source for people.capacity: the asks a person took on this week use up their sessions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from openhelp.directory.people.capacity import owners
from openhelp.help.asks.models import Ask, AskState

# Accepting an ask books one of the helper's sessions; it stays booked once scheduled, answered or done.
USES_CAPACITY = (AskState.ACCEPTED, AskState.SCHEDULED, AskState.ANSWERED, AskState.COMPLETED)


def asks_taken_this_week(
    profile_ids: list[int], week_start: dt.datetime, week_end: dt.datetime
) -> dict[int, int]:
    """Profile id → asks accepted within [week_start, week_end) and not cancelled since; one query."""
    rows = Ask.objects.filter(
        state__in=USES_CAPACITY,
        accepted_at__gte=week_start,
        accepted_at__lt=week_end,
        helper_id__in=owners(profile_ids),
    )
    wanted = set(profile_ids)
    counts = rows.order_by().values("helper__profile__id").annotate(n=Count("id"))
    return {row["helper__profile__id"]: row["n"] for row in counts if row["helper__profile__id"] in wanted}
