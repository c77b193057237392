"""Office-hours fixtures: a fixed clock, a mentor in Berlin with a block, a mentee in New York, clients."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories_officehours import OfficeHoursFactory, make_mentee, make_mentor

from .race import burst_server  # noqa: F401 - the live server of the concurrency proofs

# Monday 2 June 2025, 06:00 UTC (08:00 in Berlin, 02:00 in New York).
START = dt.datetime(2025, 6, 2, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock(request):
    """Every test starts at START with the clock ticking, so dates are stable; browser journeys use the
    real time (the browser's cookies expire by the real clock)."""
    if request.node.get_closest_marker("browser"):
        yield None
        return
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def mentor(db):
    return make_mentor(timezone="Europe/Berlin", name="Mira Mentor")


@pytest.fixture
def mentee(db):
    return make_mentee(timezone="America/New_York", name="Nico Mentee")


@pytest.fixture
def block(mentor):
    """Every day 09:00–12:00 Berlin time, 30-minute one-to-one slots, no buffer, no notice."""
    return OfficeHoursFactory(mentor=mentor, start_time=dt.time(9, 0), end_time=dt.time(12, 0))


@pytest.fixture
def group_block(mentor):
    return OfficeHoursFactory(
        mentor=mentor, title="Group drop-in", start_time=dt.time(14, 0), end_time=dt.time(15, 0), seats=3
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mentor_client(mentor):
    return client_for(mentor)


@pytest.fixture
def mentee_client(mentee):
    return client_for(mentee)
