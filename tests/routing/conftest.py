"""Routing fixtures: a small skill tree and the people around one ask."""

from __future__ import annotations

import pytest

from tests.factories import SkillAliasFactory, SkillFactory


@pytest.fixture
def skills(db):
    """Python → {Django, Flask}; Kubernetes (alias k8s); Negotiation on its own."""
    python = SkillFactory(name="Python", slug="python")
    django = SkillFactory(name="Django", slug="django", parent=python)
    flask = SkillFactory(name="Flask", slug="flask", parent=python)
    orm = SkillFactory(name="Django ORM", slug="django-orm", parent=django)
    kubernetes = SkillFactory(name="Kubernetes", slug="kubernetes")
    SkillAliasFactory(skill=kubernetes, name="k8s")
    negotiation = SkillFactory(name="Negotiation", slug="negotiation")
    return {
        "python": python,
        "django": django,
        "flask": flask,
        "orm": orm,
        "kubernetes": kubernetes,
        "negotiation": negotiation,
    }


@pytest.fixture
def mentee(owner):
    return owner
