"""The dashboard and the API cost the same number of queries however much data there is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from openhelp.help.mentoring.models import SessionState
from openhelp.organisers.insights import rollup
from tests.factories import SkillFactory, TeamFactory, UserFactory
from tests.factories_asks import AskFactory
from tests.factories_mentoring import SessionFactory
from tests.harness.queries import assert_constant_queries
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/insights/?start=2026-01-05&end=2026-03-29", "/api/v1/insights/?start=2026-01-05&end=2026-03-29"],
)
def test_constant_queries(clock, organiser_client, path):
    skills = [SkillFactory(name=f"Skill {i}") for i in range(3)]
    teams = [TeamFactory(name=f"Team {i}") for i in range(3)]
    people = [
        UserFactory(
            with_profile__team=teams[i % 3],
            with_profile__open_to_help=True,
            with_profile__sessions_per_week=1,
        )
        for i in range(12)
    ]

    def grow(n: int) -> None:
        for i in range(n):
            day = at(1, month=1) + dt.timedelta(days=i % 80, hours=i % 7)
            mentor, mentee = people[i % 12], people[(i + 1) % 12]
            AskFactory(
                mentee=mentee,
                skills=[skills[i % 3]],
                state="completed",
                created_at=day,
                published_at=day,
                accepted_at=day + dt.timedelta(minutes=10 + i),
                closed_at=day + dt.timedelta(hours=5),
            )
            SessionFactory(
                mentor=mentor, mentee=mentee, starts_at=day, state=SessionState.COMPLETED, skills=[]
            )
        rollup.rebuild()

    def view() -> None:
        cache.clear()  # computed both times, the remembered experts open to help (cache.py) included
        organiser_client.get(path)

    assert_constant_queries(grow=grow, action=view, small=5, large=60)
