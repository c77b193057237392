"""Consumers and their delivery: each consumer reads the outbox in id order with its own cursor.

**At least once, idempotently.** ``deliver(name)`` takes a batch of events after the consumer's cursor,
calls its handler and moves the cursor, all in one transaction: the handler's writes and the new cursor
commit together. A crash before the commit rolls both back and the batch is handled again, so every
handler re-derives from the current state (or otherwise tolerates seeing an event twice).

**Holes in the ids.** Ids are handed out when a row is inserted, not when its transaction commits. With
two concurrent transactions, event 8 can be visible while event 7 is still uncommitted; a cursor moved to
8 would skip 7 for ever. So delivery stops at the first hole (an id missing between the cursor and the
next visible event) and waits. A hole is filled when its transaction commits, or it stays for good when
that transaction rolled back (PostgreSQL does not reuse sequence values). A hole is therefore waited for
until the event just after it is ``SETTLE`` old: that event's id was taken *after* the hole's, so the
hole's transaction had been running at least that long — longer than any workflow transaction is allowed
to stay open after recording (workflows record as their last write; a bulk import records its events in
one insert at the end). On SQLite there is one writer at a time, so ids commit in order and holes never wait.
The price is latency, not loss: after a rolled-back transaction, consumers pause for up to ``SETTLE``.

**A new consumer** starts at the oldest event still kept (its cursor is created on its first delivery).
**Retention**: ``prune`` deletes events older than ``RETENTION`` that every registered consumer has
passed; a consumer that stops delivering holds the events back rather than losing them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min

from openhelp.platform.lib.clock import now
from openhelp.platform.outbox.kinds import KINDS
from openhelp.platform.outbox.models import ConsumerCursor, Event

logger = logging.getLogger(__name__)

BATCH = 500
SETTLE = dt.timedelta(minutes=2)
RETENTION = dt.timedelta(days=30)


@dataclass(frozen=True)
class Consumer:
    name: str
    handle: Callable[[list[Event]], None]  # called inside the delivery transaction
    kinds: frozenset[str]  # the kinds it reads; the others only move its cursor


_CONSUMERS: dict[str, Consumer] = {}


def register_consumer(*, name: str, handle: Callable[[list[Event]], None], kinds: Iterable[str]) -> None:
    """Declare a consumer (in its app's ``AppConfig.ready()``)."""
    wanted = frozenset(kinds)
    unknown = wanted - KINDS.keys()
    if unknown:
        raise ValueError(f"Consumer {name!r} reads unknown event kinds: {sorted(unknown)}")
    known = _CONSUMERS.get(name)
    if known is not None and known.handle is not handle:
        raise ValueError(f"Consumer {name!r} is registered twice with different handlers.")
    _CONSUMERS[name] = Consumer(name=name, handle=handle, kinds=wanted)


def consumers() -> list[Consumer]:
    return sorted(_CONSUMERS.values(), key=lambda consumer: consumer.name)


def settled(events: list[Event], *, after: int, moment: dt.datetime, settle: dt.timedelta) -> list[Event]:
    """The leading events (in id order) that can be handled now: up to the first hole still young."""
    ready: list[Event] = []
    expected = after + 1
    for event in events:
        if event.pk != expected and moment - event.occurred_at < settle:
            break
        ready.append(event)
        expected = event.pk + 1
    return ready


def _cursor(name: str) -> ConsumerCursor | None:
    """The consumer's cursor, locked for this transaction (created at the oldest kept event)."""
    cursor = ConsumerCursor.objects.select_for_update().filter(name=name).first()
    if cursor is not None:
        return cursor
    oldest = Event.objects.aggregate(first=Min("id"))["first"]
    if oldest is None:
        return None  # nothing to read yet; a cursor made now could not tell where ids will start
    ConsumerCursor.objects.get_or_create(
        name=name, defaults={"last_event_id": oldest - 1, "updated_at": now()}
    )
    return ConsumerCursor.objects.select_for_update().get(name=name)


def deliver(name: str, *, batch: int = BATCH, settle: dt.timedelta = SETTLE) -> int:
    """Hand the consumer every settled event after its cursor, a batch per transaction; return how many
    events its cursor passed."""
    consumer = _CONSUMERS[name]
    passed = 0
    while True:
        with transaction.atomic():
            cursor = _cursor(name)
            if cursor is None:
                return passed
            events = list(Event.objects.filter(id__gt=cursor.last_event_id).order_by("id")[:batch])
            ready = settled(events, after=cursor.last_event_id, moment=now(), settle=settle)
            if not ready:
                return passed
            wanted = [event for event in ready if event.kind in consumer.kinds]
            if wanted:
                consumer.handle(wanted)
            cursor.last_event_id = ready[-1].pk
            cursor.updated_at = now()
            cursor.save(update_fields=["last_event_id", "updated_at"])
        passed += len(ready)
        if len(ready) < batch:
            return passed


def deliver_all(*, settle: dt.timedelta = SETTLE) -> dict[str, int]:
    """Every consumer in turn; one failing consumer does not hold the others back (its error is raised
    after they ran, so the task retries)."""
    passed: dict[str, int] = {}
    failure: Exception | None = None
    for consumer in consumers():
        try:
            passed[consumer.name] = deliver(consumer.name, settle=settle)
        except Exception as error:  # noqa: BLE001 - re-raised below, after the other consumers
            logger.exception("outbox: consumer %s failed", consumer.name)
            failure = failure or error
    if failure is not None:
        raise failure
    return passed


def prune(*, moment: dt.datetime | None = None) -> int:
    """Delete the events older than RETENTION that every registered consumer has passed."""
    moment = moment or now()
    names = [consumer.name for consumer in consumers()]
    cursors = dict(ConsumerCursor.objects.filter(name__in=names).values_list("name", "last_event_id"))
    if not names or len(cursors) < len(names):
        return 0  # a consumer that never read holds everything back
    bound = min(cursors.values())
    deleted, _ = Event.objects.filter(id__lte=bound, occurred_at__lt=moment - RETENTION).delete()
    return deleted
