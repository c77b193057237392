"""The one locking primitive: lock the people a change involves, inside one durable transaction.

    with locked_transaction(user_ids=[mentor.pk, mentee.pk]):
        ...re-check availability, then write...

What is locked is *people*, because every guarantee we keep is about a person's time: a mentor's seats
and caps, and nobody's commitments overlapping. Locks are taken once per transaction, in ascending order
of their key (so two transactions can never wait on each other in a cycle), and released at COMMIT or
ROLLBACK. Waiting longer than LOCK_TIMEOUT_MS becomes ``LockTimeout``, a clear domain error, never a
hung request. See docs/locking.md for the policy and the reasons.

PostgreSQL: transaction-scoped advisory locks (``pg_advisory_xact_lock``) keyed by user id; they block
only other booking transactions for the same people, never ordinary reads or writes of the user rows.

SQLite: the database has one writer at a time. Settings open every transaction with BEGIN IMMEDIATE,
which takes that write lock at the start of the transaction, so the whole transaction is the critical
section; ``lock_people`` only checks it is inside one. A writer that waits longer than the busy timeout
gets "database is locked", which becomes ``LockTimeout`` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

from openhelp.platform.lib.sql import has_advisory_locks

# The first half of every advisory lock key: it keeps ours apart from any other use of advisory locks.
ADVISORY_NAMESPACE = 0x0F_F1CE
_INT4 = 2**31


class LockTimeout(Exception):
    """Someone else held the lock for too long; the change was not made and can be retried."""

    def __init__(self, message: str = "Many people are booking at this moment; please try again.") -> None:
        super().__init__(message)


def lock_timeout_ms() -> int:
    return int(getattr(settings, "LOCK_TIMEOUT_MS", 5000))


def lock_keys(user_ids: Iterable[int]) -> list[int]:
    """The advisory lock keys for these people, deduplicated and in the one global order."""
    return sorted({int(pk) % _INT4 for pk in user_ids if pk is not None})


def lock_people(user_ids: Iterable[int]) -> None:
    """Lock these people until the surrounding transaction ends. Call once, inside ``locked_transaction``."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_people() must run inside a transaction (use locked_transaction).")
    if not has_advisory_locks():
        return  # SQLite: BEGIN IMMEDIATE already holds the database's write lock.
    keys = lock_keys(user_ids)
    if not keys:
        return
    with connection.cursor() as cursor:
        # One round trip for the timeout and all the locks. lock_timeout is set for the rest of this
        # transaction only (set_config(…, true)): a wait on any lock (ours, or a unique index another
        # transaction is inserting into) gives up after this long. CASE evaluates its condition first,
        # so the timeout is in force before each lock is requested. unnest yields the keys in array order
        # (ascending), and each row's lock is taken as the row is produced, so the order is the same as
        # one statement per key. Nothing is read in this statement: its snapshot predates the locks.
        cursor.execute(
            "SELECT CASE WHEN set_config('lock_timeout', %s, true) IS NOT NULL"
            " THEN pg_advisory_xact_lock(%s::int4, k) END FROM unnest(%s::int4[]) AS k",
            [f"{lock_timeout_ms()}ms", ADVISORY_NAMESPACE, keys],
        )


def _is_lock_wait(error: OperationalError) -> bool:
    text = str(error).lower()
    sqlstate = getattr(getattr(error, "__cause__", None), "sqlstate", None)
    return sqlstate == "55P03" or "lock timeout" in text or "database is locked" in text


@contextmanager
def locked_transaction(*, user_ids: Iterable[int]) -> Iterator[None]:
    """A durable transaction holding the locks of ``user_ids``; lock waits that time out raise LockTimeout.

    Durable: it must be the outermost transaction, so the locks are released — and the change visible to
    everyone — the moment the block ends, never later by an enclosing transaction.
    """
    ids = list(user_ids)
    try:
        with transaction.atomic(durable=True):
            lock_people(ids)
            yield
    except OperationalError as error:
        if _is_lock_wait(error):
            raise LockTimeout() from error
        raise
