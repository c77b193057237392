"""A small taxonomy every skills test can lean on: Kubernetes ("k8s"), JavaScript ("JS"), Python ⊃ Django."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import SkillAliasFactory, SkillCategoryFactory, SkillFactory


@pytest.fixture
def taxonomy(db):
    engineering = SkillCategoryFactory(name="Engineering", slug="engineering")
    people_skills = SkillCategoryFactory(name="People", slug="people")
    kubernetes = SkillFactory(name="Kubernetes", category=engineering)
    SkillAliasFactory(skill=kubernetes, name="k8s")
    javascript = SkillFactory(name="JavaScript", category=engineering)
    SkillAliasFactory(skill=javascript, name="JS")
    python = SkillFactory(name="Python", category=engineering)
    django = SkillFactory(name="Django", category=engineering, parent=python)
    negotiation = SkillFactory(name="Negotiation", category=people_skills)
    return SimpleNamespace(
        engineering=engineering,
        people=people_skills,
        kubernetes=kubernetes,
        javascript=javascript,
        python=python,
        django=django,
        negotiation=negotiation,
    )
