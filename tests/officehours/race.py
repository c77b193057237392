"""Helpers for the concurrency proofs: fire many HTTP requests at the same instant, switch the
protection off for a negative control, and take the database backstops away (and put them back)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from officehours import booking as booking_module
from officehours.db_constraints import add_exclusions, drop_exclusions
from officehours.models import Booking, Slot

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


@pytest.fixture
def burst_server(transactional_db):
    """A live server (real HTTP, one thread per request) that accepts a whole burst at once."""
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


@contextlib.contextmanager
def race_window(monkeypatch, seconds: float) -> Iterator[None]:
    """Hold the window between the availability check and the write open for ``seconds``."""
    monkeypatch.setattr(booking_module, "_before_write", lambda: time.sleep(seconds))
    yield


@contextlib.contextmanager
def _no_lock(*, user_ids):
    # The negative control: no lock and no transaction, so each statement commits on its own and the
    # check-then-write of concurrent requests interleave, as in a naive booking system.
    yield


def without_locking(monkeypatch) -> None:
    monkeypatch.setattr(booking_module, "locked_transaction", _no_lock)


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
