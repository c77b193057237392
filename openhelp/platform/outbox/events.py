"""Recording a domain event: one call, inside the workflow's transaction, next to the writes it describes.

    with transaction.atomic():
        ask = …                                  # the workflow's writes
        record("ask.published", actor=actor, ask=ask.pk, mentee=ask.mentee_id)

The event row commits or rolls back with the writes, so a consumer never sees an event whose change did
not happen, nor misses a change that did. Once the transaction commits, one delivery task is queued (a
nudge; the periodic ``outbox.deliver`` job catches a lost one).

**Gathered.** Each delivery re-derives what its events touched (the insights roll-ups rebuild the day and
the week), so one per commit would cost the workers as much again as the requests under load. With
``OUTBOX_GATHER_SECONDS`` (default 5) the first commit of a window claims it (``core.periodic.
claim_period``, one conditional UPDATE, across every process) and queues one delivery for the window's
end; the commits during the window are read by that delivery. ``0`` queues one per commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from openhelp.platform.core.periodic import claim_period
from openhelp.platform.lib.clock import now
from openhelp.platform.outbox.kinds import KINDS
from openhelp.platform.outbox.models import Event
from openhelp.platform.outbox.tasks import deliver_events_task

BULK_BATCH = 1000


class NotInTransaction(RuntimeError):
    """``record`` was called outside an atomic block: the event could commit without the change."""


def record(kind: str, *, actor: Any = None, **payload: Any) -> Event:
    """Write one domain event in the current transaction. ``actor`` is a user, a user id or None;
    ``payload`` holds ids (and the previous values a consumer cannot read any more)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown event kind {kind!r}: add it to outbox.kinds.KINDS first.")
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise NotInTransaction(f"record({kind!r}) must run inside the workflow's transaction.atomic().")
    actor_id = getattr(actor, "pk", actor)
    event = Event.objects.create(kind=kind, actor_id=actor_id, payload=payload)
    _nudge_on_commit(connection)
    return event


def record_many(kind: str, payloads: Iterable[dict[str, Any]], *, actor: Any = None) -> int:
    """One event per payload, in one bulk insert (imports, members added by CSV): the bulk path records
    what each row changed, like the single path, in the same transaction. Returns how many."""
    if kind not in KINDS:
        raise ValueError(f"Unknown event kind {kind!r}: add it to outbox.kinds.KINDS first.")
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise NotInTransaction(f"record_many({kind!r}) must run inside the workflow's transaction.atomic().")
    actor_id = getattr(actor, "pk", actor)
    events = [Event(kind=kind, actor_id=actor_id, payload=payload) for payload in payloads]
    if events:
        Event.objects.bulk_create(events, batch_size=BULK_BATCH)
        _nudge_on_commit(connection)
    return len(events)


class _Nudge:
    """The on-commit callback queueing one delivery; it remembers having run, so that a transaction
    whose callbacks were already run (as in tests) does not count it as still pending."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        self.done = True
        gather = dt.timedelta(seconds=settings.OUTBOX_GATHER_SECONDS)
        if gather <= dt.timedelta(0) or not deliver_events_task.get_backend().supports_defer:
            deliver_events_task.enqueue()
        elif claim_period("outbox.gather", every=gather):
            deliver_events_task.using(run_after=now() + gather).enqueue()


def _nudge_on_commit(connection: BaseDatabaseWrapper) -> None:
    """One delivery per transaction is enough (a bulk import records thousands of events): it reads
    every event committed before it runs."""
    pending = any(isinstance(entry[1], _Nudge) and not entry[1].done for entry in connection.run_on_commit)
    if not pending:
        transaction.on_commit(_Nudge())
