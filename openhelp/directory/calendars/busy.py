"""Read-only questions about busy times, for office hours: one query whatever the number of people."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from openhelp.directory.calendars.models import BusyInterval
from openhelp.platform.lib.sql import InIds


def busy_by_user(
    user_ids: Iterable[int], start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Each person's busy intervals overlapping [start, end), from their connected calendar's cache."""
    ids = {int(pk) for pk in user_ids}
    found: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    if not ids:
        return found
    rows = (
        BusyInterval.objects.filter(InIds("user_id", sorted(ids)), starts_at__lt=end, ends_at__gt=start)
        .order_by()
        .values_list("user_id", "starts_at", "ends_at")
    )
    for user_id, starts_at, ends_at in rows:
        found[user_id].append((starts_at, ends_at))
    return found


def is_busy(user_id: int, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the person's calendar says they are busy at any moment of [start, end)."""
    return BusyInterval.objects.filter(user_id=user_id, starts_at__lt=end, ends_at__gt=start).exists()
