"""Goals fixtures: a taxonomy (Python ⊃ Django ⊃ DRF, SQL), a learner, a mentor open to help, clients."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import SkillFactory, SkillOfferFactory
from tests.factories_mentoring import person

START = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def skills(db):
    python = SkillFactory(name="Python", slug="python")
    django = SkillFactory(name="Django", slug="django", parent=python)
    drf = SkillFactory(name="Django REST framework", slug="drf", parent=django)
    sql = SkillFactory(name="SQL", slug="sql")
    return {"python": python, "django": django, "drf": drf, "sql": sql}


@pytest.fixture
def learner(db):
    return person("Lea Learner", timezone="America/Los_Angeles")


@pytest.fixture
def mentor(db, skills):
    user = person("Mo Mentor")
    user.profile.open_to_help = True
    user.profile.save()
    SkillOfferFactory(profile=user.profile, skill=skills["sql"], level=4)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def learner_client(learner):
    return client_for(learner)
