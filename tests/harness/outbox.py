"""Driving the outbox in tests: deliver every recorded event to every consumer, to the end."""

from __future__ import annotations

import datetime as dt

from openhelp.platform.outbox import delivery
from openhelp.platform.outbox.models import ConsumerCursor, Event


def deliver_events() -> dict[str, int]:
    """Run every consumer to the end of the outbox, as the workers would. A test runs on one connection,
    so a hole in the ids can only be a rolled-back savepoint: holes settle at once (``settle=0``); the
    waiting itself is tested in tests/outbox."""
    return delivery.deliver_all(settle=dt.timedelta(0))


def kinds_recorded(*, after: int = 0) -> list[str]:
    return list(Event.objects.filter(id__gt=after).order_by("id").values_list("kind", flat=True))


def last_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def cursors() -> dict[str, int]:
    return dict(ConsumerCursor.objects.values_list("name", "last_event_id"))
