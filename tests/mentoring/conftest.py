"""Session fixtures: a fixed clock, a mentee, a mentor, an outsider, an organiser and their clients."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import SkillFactory
from tests.factories_mentoring import person

# Monday 2 June 2025, 06:00 UTC.
START = dt.datetime(2025, 6, 2, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def time_travel(request):
    if request.node.get_closest_marker("browser"):
        yield None
        return
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def mentee(db):
    return person("Nico Mentee", timezone="America/New_York")


@pytest.fixture
def mentor(db):
    return person("Mira Mentor")


@pytest.fixture
def stranger(db):
    return person("Sam Stranger")


@pytest.fixture
def skill(db):
    return SkillFactory(name="A/B testing", slug="ab-testing")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mentee_client(mentee):
    return client_for(mentee)


@pytest.fixture
def mentor_client(mentor):
    return client_for(mentor)


@pytest.fixture
def stranger_client(stranger):
    return client_for(stranger)
