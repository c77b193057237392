"""People fixtures: a small skill tree (Python → Django, Kubernetes alias k8s) and the access-matrix world."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import SkillAliasFactory, SkillFactory


@pytest.fixture
def skills(db):
    python = SkillFactory(name="Python", slug="python")
    django = SkillFactory(name="Django", slug="django", parent=python)
    kubernetes = SkillFactory(name="Kubernetes", slug="kubernetes")
    SkillAliasFactory(skill=kubernetes, name="k8s")
    postgres = SkillFactory(name="PostgreSQL", slug="postgresql")
    return {"python": python, "django": django, "kubernetes": kubernetes, "postgres": postgres}


class World:
    def __init__(self, owner, outsider):
        self.owner = owner
        self.outsider = outsider
        self.clients = {"anonymous": Client()}
        for role, user in (("owner", owner), ("outsider", outsider)):
            client = Client()
            client.force_login(user)
            self.clients[role] = client


@pytest.fixture
def world(owner, outsider):
    return World(owner, outsider)
