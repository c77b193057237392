"""A small taxonomy and a CSV builder for the people import tests."""

from __future__ import annotations

import pytest

from openhelp.organisers.imports.parsing import HEADERS
from tests.factories import SkillAliasFactory, SkillFactory, TeamFactory


@pytest.fixture
def taxonomy(db):
    postgres = SkillFactory(name="PostgreSQL", slug="postgresql")
    SkillAliasFactory(skill=postgres, name="Postgres")
    python = SkillFactory(name="Python", slug="python")
    rust = SkillFactory(name="Rust", slug="rust")
    kubernetes = SkillFactory(name="Kubernetes", slug="kubernetes")
    SkillAliasFactory(skill=kubernetes, name="k8s")
    TeamFactory(name="Data", slug="data")
    return {"postgres": postgres, "python": python, "rust": rust, "kubernetes": kubernetes}


def csv_text(*rows: str, header: str = ",".join(HEADERS)) -> str:
    return "\n".join([header, *rows]) + "\n"


ADA = "ada@example.org,Ada Lovelace,Data,grace@example.org,Europe/London,en;fr,PostgreSQL:4;Python:5,Rust"
GRACE = "grace@example.org,Grace Hopper,Platform,,America/New_York,English,k8s:3,"


@pytest.fixture
def two_people() -> str:
    return csv_text(ADA, GRACE)
