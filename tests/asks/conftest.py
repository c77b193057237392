"""Asks fixtures: a few skills, the people around one ask (mentee, co-asker, helper, outsider), and clients."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import (
    OpenToHelpProfileFactory,
    ProfileFactory,
    SkillAliasFactory,
    SkillFactory,
    UserFactory,
)


@pytest.fixture
def skills(db):
    python = SkillFactory(name="Python", slug="python")
    django = SkillFactory(name="Django", slug="django", parent=python)
    kubernetes = SkillFactory(name="Kubernetes", slug="kubernetes")
    SkillAliasFactory(skill=kubernetes, name="k8s")
    ab = SkillFactory(name="A/B testing", slug="ab-testing")
    ml = SkillFactory(name="Machine learning", slug="machine-learning")
    return {"python": python, "django": django, "kubernetes": kubernetes, "ab": ab, "ml": ml}


@pytest.fixture
def mentee(owner):
    return owner


@pytest.fixture
def helper(db):
    user = UserFactory(email="helper@example.org", with_profile=False)
    OpenToHelpProfileFactory(user=user, display_name="Hana Helper")
    return user


@pytest.fixture
def co_asker(db):
    user = UserFactory(email="coasker@example.org", with_profile=False)
    ProfileFactory(user=user, display_name="Cody Coasker")
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mentee_client(mentee):
    return client_for(mentee)


@pytest.fixture
def helper_client(helper):
    return client_for(helper)


@pytest.fixture
def co_asker_client(co_asker):
    return client_for(co_asker)
