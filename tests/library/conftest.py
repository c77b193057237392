"""Library fixtures: a small taxonomy (Python ⊃ Django; PostgreSQL alias postgres), two people, clients."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import SkillAliasFactory, SkillFactory
from tests.factories_mentoring import person


@pytest.fixture
def skills(db):
    python = SkillFactory(name="Python", slug="python")
    django = SkillFactory(name="Django", slug="django", parent=python)
    postgres = SkillFactory(name="PostgreSQL", slug="postgresql")
    SkillAliasFactory(skill=postgres, name="postgres")
    return {"python": python, "django": django, "postgres": postgres}


@pytest.fixture
def mentee(db):
    return person("Nico Mentee")


@pytest.fixture
def mentor(db):
    return person("Mira Mentor")


@pytest.fixture
def reader(db):
    return person("Rita Reader")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reader_client(reader):
    return client_for(reader)


@pytest.fixture
def mentee_client(mentee):
    return client_for(mentee)
