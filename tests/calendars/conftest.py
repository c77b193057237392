"""Connected-calendar fixtures: one real Radicale for the session, a fixed clock, a mentor in Berlin
with daily office hours, a mentee, and the loopback address allowed for outbound calls."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings

from tests.calendars import radicale_server
from tests.factories_officehours import OfficeHoursFactory, make_mentee, make_mentor

# Monday 2 June 2025, 06:00 UTC (08:00 in Berlin).
START = dt.datetime(2025, 6, 2, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory):
    process, server = radicale_server.start(tmp_path_factory.mktemp("radicale"))
    yield server
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _clock_and_outbound():
    with time_machine.travel(START, tick=True), override_settings(OUTBOUND_ALLOWED_HOSTS=["127.0.0.1"]):
        yield


@pytest.fixture
def mentor(db):
    return make_mentor(timezone="Europe/Berlin", name="Mira Mentor")


@pytest.fixture
def mentee(db):
    return make_mentee(timezone="America/New_York", name="Nico Mentee")


@pytest.fixture
def block(mentor):
    """Every day 09:00–12:00 Berlin time, 30-minute one-to-one slots, no buffer, no notice, four weeks ahead."""
    return OfficeHoursFactory(
        mentor=mentor, start_time=dt.time(9, 0), end_time=dt.time(12, 0), horizon_weeks=4
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
