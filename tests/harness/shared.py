"""Rows several tests only read, built once for their class instead of once in each test."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import time_machine
from django.db import transaction

from tests.harness.clock import clock_instant


@contextlib.contextmanager
def rolled_back(request, django_db_blocker) -> Iterator[None]:
    """For a class-scoped fixture: what it writes is in a transaction rolled back when the class is done,
    so the tests after it find the database as it was; each test's own transaction (the tests need their
    ``django_db`` mark or ``db`` fixture: without one they would write into the shared rows) is a savepoint
    inside it, rolled back after the test as always. With ``--clock``, the rows are written at that instant, as
    they were when each test wrote its own."""
    instant = clock_instant(request.config)
    with contextlib.ExitStack() as stack:
        if instant is not None:
            stack.enter_context(time_machine.travel(instant, tick=True))
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(transaction.atomic())
        yield
        transaction.set_rollback(True)
