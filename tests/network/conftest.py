"""Helper-network fixtures: people in teams, and builders for sessions, kudos and introductions."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine

from accounts.models import User
from mentoring.models import Session, SessionState
from people.models import Profile, Team

START = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
_counter = itertools.count()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def people_in(team_name: str | None, n: int, *, prefix: str = "P") -> list[User]:
    """``n`` people with profiles in the team (created if new); ``None`` = no team."""
    team = Team.objects.get_or_create(name=team_name, slug=team_name.lower())[0] if team_name else None
    batch = next(_counter)
    users = User.objects.bulk_create(
        [User(email=f"net{batch}-{i}@example.org", password="!") for i in range(n)]  # noqa: S106
    )
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=f"{prefix}{batch}-{i}", team=team) for i, u in enumerate(users)]
    )
    return users


def held(mentor, mentee, *, when: dt.datetime = START, n: int = 1) -> list[Session]:
    """Completed sessions, created one by one (so the receivers see them)."""
    return [
        Session.objects.create(
            mentor=mentor,
            mentee=mentee,
            title="Help",
            starts_at=when,
            ends_at=when + dt.timedelta(minutes=30),
            state=SessionState.COMPLETED,
            completed_at=when,
        )
        for _ in range(n)
    ]


@pytest.fixture
def commit(db, django_capture_on_commit_callbacks):
    """``with commit():`` runs the on-commit callbacks (the roll-up's task enqueues) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
