"""Recognition fixtures: a mentee and a mentor with a past session, a stranger, and their clients."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import SkillAliasFactory, SkillFactory
from tests.factories_mentoring import past_session, person


@pytest.fixture
def skill(db):
    skill = SkillFactory(name="PostgreSQL", slug="postgresql")
    SkillAliasFactory(skill=skill, name="postgres")
    return skill


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
def session(mentee, mentor, skill):
    return past_session(mentee=mentee, mentor=mentor, skills=[skill])


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
