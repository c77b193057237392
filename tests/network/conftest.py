"""Helper-network fixtures: people in teams, and builders for sessions, kudos and introductions."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine
from django.db import transaction

from openhelp.community.recognition.models import Kudos
from openhelp.directory.people.models import Profile, Team
from openhelp.directory.programmes.models import Membership
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.platform.accounts.models import User
from openhelp.platform.outbox.events import record

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
    """Completed sessions, each with the ``session.held`` event the mentoring workflow records."""
    sessions = []
    with transaction.atomic():
        for _ in range(n):
            session = Session.objects.create(
                mentor=mentor,
                mentee=mentee,
                title="Help",
                starts_at=when,
                ends_at=when + dt.timedelta(minutes=30),
                state=SessionState.COMPLETED,
                completed_at=when,
            )
            record("session.held", session=session.pk, mentor=mentor.pk, mentee=mentee.pk)
            sessions.append(session)
    return sessions


def thanked(giver, receiver, *, public: bool = True) -> Kudos:
    """A kudos with the event ``openhelp.community.recognition.services.give_kudos`` records (without its daily limit)."""
    with transaction.atomic():
        kudos = Kudos.objects.create(giver=giver, receiver=receiver, public=public)
        record("kudos.given", kudos=kudos.pk, giver=giver.pk, receiver=receiver.pk, public=public)
    return kudos


def join(programme, user, *, role: str = "member") -> Membership:
    """A membership with the event ``openhelp.directory.programmes.services`` records."""
    with transaction.atomic():
        membership = Membership.objects.create(programme=programme, user=user, role=role)
        record("member.added", programme=programme.pk, person=user.pk)
    return membership


def leave(programme, user) -> None:
    with transaction.atomic():
        Membership.objects.filter(programme=programme, user=user).delete()
        record("member.removed", programme=programme.pk, person=user.pk)


@pytest.fixture
def commit(db, django_capture_on_commit_callbacks):
    """``with commit():`` runs the on-commit callbacks (the outbox's delivery nudge) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
