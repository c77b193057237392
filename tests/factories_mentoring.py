"""Factories for sessions and their parts, plus builders for sessions in any state and in bulk."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from factory.django import DjangoModelFactory

from openhelp.help.mentoring.models import (
    AgendaStep,
    Attendance,
    AttendanceKind,
    Debrief,
    PrivateNote,
    Session,
    SessionFormat,
    SharedNote,
)
from openhelp.platform.lib.clock import now
from tests.factories import ProfileFactory, SkillFactory, UserFactory

_counter = itertools.count()


def person(name: str, *, timezone: str = "Europe/Berlin"):
    n = next(_counter)
    user = UserFactory(email=f"session-person{n}@example.org", with_profile=False)
    ProfileFactory(user=user, display_name=name, timezone=timezone)
    return user


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    mentee = factory.SubFactory(UserFactory)
    mentor = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    format = SessionFormat.CALL
    starts_at = factory.LazyFunction(lambda: now() + dt.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=30) if o.starts_at else None)
    planned_minutes = 30
    place = "https://meet.example.org/room"
    objective = "read my A/B test results and decide whether to ship"
    preparation_questions = factory.LazyFunction(lambda: ["Which test fits conversion rates?"])

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if not create:
            return
        self.skills.set(extracted if extracted is not None else [SkillFactory()])

    @factory.post_generation
    def shared(self, create, extracted, **kwargs):
        if create:
            SharedNote.objects.get_or_create(session=self, defaults={"body": extracted or ""})


def past_session(*, hours_ago: float = 3, **fields) -> Session:
    """A call that ended ``hours_ago`` hours ago (30 minutes long)."""
    start = now() - dt.timedelta(hours=hours_ago, minutes=30)
    return SessionFactory(starts_at=start, ends_at=start + dt.timedelta(minutes=30), **fields)


class AgendaStepFactory(DjangoModelFactory):
    class Meta:
        model = AgendaStep

    session = factory.SubFactory(SessionFactory)
    position = factory.Sequence(lambda n: n)
    title = "Watch one"


class PrivateNoteFactory(DjangoModelFactory):
    class Meta:
        model = PrivateNote

    session = factory.SubFactory(SessionFactory)
    author = factory.LazyAttribute(lambda o: o.session.mentor)
    body = "Private: seems anxious about the deadline."


class DebriefFactory(DjangoModelFactory):
    class Meta:
        model = Debrief

    session = factory.SubFactory(SessionFactory)
    takeaways = factory.LazyFunction(lambda: ["Use a two-proportion z-test for conversion rates."])
    resources = factory.LazyFunction(
        lambda: [{"title": "Sample size calculator", "url": "https://www.evanmiller.org/ab-testing/"}]
    )
    outcome = "solved"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    reporter = factory.LazyAttribute(lambda o: o.session.mentor)
    kind = AttendanceKind.NO_SHOW
    absent = factory.LazyAttribute(lambda o: o.session.mentee if o.kind == AttendanceKind.NO_SHOW else None)


def make_sessions(n: int, *, mentee, mentor, skills=(), past: bool = False) -> list[Session]:
    """``n`` sessions between two people in a handful of queries (for the query-count guard)."""
    batch = next(_counter)
    moment = now() + dt.timedelta(days=-2 if past else 2)
    sessions = Session.objects.bulk_create(
        [
            Session(
                mentee=mentee,
                mentor=mentor,
                title=f"Bulk session {batch}-{i}",
                starts_at=moment + dt.timedelta(minutes=i),
                ends_at=moment + dt.timedelta(minutes=i + 30),
                planned_minutes=30,
            )
            for i in range(n)
        ]
    )
    SharedNote.objects.bulk_create([SharedNote(session=s) for s in sessions])
    if skills:
        Session.skills.through.objects.bulk_create(
            [Session.skills.through(session_id=s.pk, skill_id=skill.pk) for s in sessions for skill in skills]
        )
    return sessions
