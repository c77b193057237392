"""Helpers for the concurrency proofs: fire many HTTP requests at the same instant, hold the race window
open until every racer is in it (or queued at the lock), switch the protection off for a negative
control, and take the database backstops away (and put them back)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections, transaction
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from openhelp.help.officehours import booking as booking_module
from openhelp.help.officehours.db_constraints import add_exclusions, drop_exclusions
from openhelp.help.officehours.models import Booking, Slot
from openhelp.platform.outbox.events import record

BACKSTOPS = [
    (Booking, "booking_one_person_per_seat"),
    (Booking, "booking_one_seat_per_person"),
    (Slot, "slot_held_once_per_start"),
    # Not a capacity rule but it would stop the race too: racers that all found the slot unbooked would
    # all create its row, and all but one would fail here instead of overselling.
    (Slot, "slot_once_per_block_and_start"),
]


class _RoomyServer(ThreadedWSGIServer):
    # Django's test server keeps a listen backlog of 10; a burst of 50 connections at one instant would
    # see some of them reset before they reach the application, which is not what is being tested.
    request_queue_size = 256


class _RoomyServerThread(LiveServerThread):
    server_class = _RoomyServer


# How long a request thread waits for SQLite's write lock before "database is locked" (a 503): the
# production default, 20 s, is what 50 queued writers can take on a starved machine (clock-hunting runs
# beside CI answered 503 here), which is not what these proofs are about.
BURST_LOCK_WAIT_SECONDS = 300


@pytest.fixture
def burst_server(transactional_db, monkeypatch):
    """A live server (real HTTP, one thread per request) that accepts a whole burst at once."""
    if connection.vendor == "sqlite":  # each request thread opens its own connection from these settings
        monkeypatch.setitem(
            connections.settings[connection.alias]["OPTIONS"], "timeout", BURST_LOCK_WAIT_SECONDS
        )
    thread = _RoomyServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()


def fire(url: str, calls: list[tuple[dict, dict]], *, timeout: float = 60) -> list[tuple[int, dict]]:
    """POST every (headers, json) at once: all threads wait at a barrier, then send together."""
    barrier = threading.Barrier(len(calls))

    def send(call: tuple[dict, dict]) -> tuple[int, dict]:
        headers, body = call
        with requests.Session() as session:
            barrier.wait()
            response = session.post(url, json=body, headers=headers, timeout=timeout)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"raw": response.text[:300]}

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


# Only against a hang if a racer never comes (a failure before the lock): the window opens on a count,
# never on a clock, and a wait that gives up is counted and fails the test.
GIVE_UP_SECONDS = 120


class RaceWindow:
    """The window between a booking's availability check and its write, held open by a condition, not a
    pause: a racer in it waits until all ``racers`` have reached the lock and none of those past the lock
    is still checking.

    Without the lock that is a barrier: every racer checks before any of them writes, so an unprotected
    booking double-books every time. With the lock, the racer holding it waits until all the others are
    queued behind it, so each of them provably contended for the same window, and ``widest`` (the most
    racers inside the window at once) shows the lock let only one in.

    It replaces ``openhelp.help.officehours.booking.locked_transaction`` (wrapping the real one, or ``_no_lock``) and
    the seam ``openhelp.help.officehours.booking._before_write`` for the length of a test.
    """

    def __init__(self, racers: int, lock: Callable, *, exclusive: bool) -> None:
        self.racers = racers
        self._lock = lock
        # With an exclusive lock, racers that arrived wait at it while one is in the window; without one,
        # a racer between arriving and checking is only on its way, and the window waits for it too.
        self._exclusive = exclusive
        self._state = threading.Condition()
        self._local = threading.local()
        self.arrived = 0  # racers that reached the lock (waiting for it, or past it)
        self.queued = 0  # racers that arrived and are not past the lock yet
        self.checking = 0  # racers past the lock that have not reached the window yet
        self.inside = 0
        self.widest = 0
        self.gave_up = 0

    @contextlib.contextmanager
    def locked_transaction(self, *, user_ids) -> Iterator[None]:
        with self._state:
            self.arrived += 1
            self.queued += 1
            self._state.notify_all()
        with self._lock(user_ids=user_ids):
            with self._state:
                self.queued -= 1
                self.checking += 1
            self._local.checking = True
            try:
                yield
            finally:
                self._done_checking()  # a racer turned away by the check never reaches the window

    def _done_checking(self) -> None:
        with self._state:
            self._leave_checking()

    def _leave_checking(self) -> None:
        # Called with self._state held.
        if getattr(self._local, "checking", False):
            self._local.checking = False
            self.checking -= 1
            self._state.notify_all()

    def _all_in(self) -> bool:
        on_their_way = 0 if self._exclusive else self.queued
        return self.arrived >= self.racers and self.checking == 0 and on_their_way == 0

    def before_write(self) -> None:
        with self._state:
            # Leaving the check and entering the window is one step, so no racer already inside can see
            # "nobody checking" in between and leave before this one is counted.
            self._leave_checking()
            self.inside += 1
            self.widest = max(self.widest, self.inside)
            ready = self._state.wait_for(self._all_in, timeout=GIVE_UP_SECONDS)
            self.gave_up += not ready
            self.inside -= 1


@contextlib.contextmanager
def race_window(monkeypatch, racers: int) -> Iterator[RaceWindow]:
    """Hold the window between the availability check and the write open for ``racers`` requests."""
    lock = booking_module.locked_transaction
    window = RaceWindow(racers, lock, exclusive=lock is not _no_lock)
    monkeypatch.setattr(booking_module, "locked_transaction", window.locked_transaction)
    monkeypatch.setattr(booking_module, "_before_write", window.before_write)
    yield window
    assert window.gave_up == 0, "a racer never reached the lock: the window was not held by all of them"
    assert window.arrived == racers


@contextlib.contextmanager
def _no_lock(*, user_ids):
    # The negative control: no lock and no transaction, so each statement commits on its own and the
    # check-then-write of concurrent requests interleave, as in a naive booking system.
    yield


def _record_on_its_own(kind, **fields):
    # Without the workflow's transaction the outbox refuses to record; here the event commits on its own
    # like every other statement of the naive booking.
    with transaction.atomic():
        return record(kind, **fields)


def without_locking(monkeypatch) -> None:
    monkeypatch.setattr(booking_module, "locked_transaction", _no_lock)
    monkeypatch.setattr(booking_module, "record", _record_on_its_own)


@contextlib.contextmanager
def without_backstops() -> Iterator[None]:
    """Drop the unique indexes and exclusion constraints; put them back afterwards (rows deleted first,
    since an oversold table could not take them back)."""
    constraints = [
        (model, next(c for c in model._meta.constraints if c.name == name)) for model, name in BACKSTOPS
    ]
    with connection.schema_editor() as editor:
        for model, constraint in constraints:
            editor.remove_constraint(model, constraint)
    drop_exclusions(connection)
    try:
        yield
    finally:
        Booking.objects.all().delete()
        Slot.objects.all().delete()
        with connection.schema_editor() as editor:
            for model, constraint in constraints:
                editor.add_constraint(model, constraint)
        add_exclusions(connection)
