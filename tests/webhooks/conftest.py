"""Receivers on loopback, started once per module; the clock frozen for the delivery tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.webhooks.receiver import Receiver

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def _receivers():
    started = [Receiver().start(), Receiver().start()]
    yield started
    for receiver in started:
        receiver.stop()


@pytest.fixture
def receiver(_receivers, settings) -> Receiver:
    """The loopback receiver, allow-listed (as an administrator would an internal host)."""
    main = _receivers[0]
    main.reset()
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{main.port}"]
    yield main
    main.reset()


@pytest.fixture
def other_receiver(_receivers) -> Receiver:
    """A second loopback server, not allow-listed."""
    other = _receivers[1]
    other.reset()
    yield other
    other.reset()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller
