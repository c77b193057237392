"""A small organisation whose every insights figure is computed by hand in test_figures.py.

Range: Monday 2 March – Sunday 29 March 2026 (4 weeks). Team A: mentors Mia (capacity 3) and Max
(capacity 1) and mentees Ed, Eve, Eli, Emi. Team C: five people, no activity. Team B: two people. The
organiser has no team. Skills: Django (offered by Mia and Max), SQL (offered by nobody).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openhelp.help.asks.models import AskState
from openhelp.help.mentoring.models import Outcome, SessionState
from openhelp.organisers.insights import rollup
from tests.factories import SkillFactory, SkillOfferFactory, TeamFactory, UserFactory
from tests.factories_asks import AskFactory
from tests.factories_mentoring import DebriefFactory, PrivateNoteFactory, SessionFactory
from tests.factories_moments import MomentFactory

NOW = dt.datetime(2026, 3, 29, 12, 0, tzinfo=dt.UTC)
START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 29)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def active_weeks_never_recounted(monkeypatch):
    """An incremental ActiveWeek update that finds the table out of step would quietly recount it from
    scratch in production; in tests it is an error, so the incremental path is what gets tested."""
    from openhelp.organisers.insights import rollup

    def fail():
        raise AssertionError("ActiveWeek was out of step with PersonWeek")

    monkeypatch.setattr(rollup, "_active_weeks_out_of_step", fail)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _people(n: int, team, prefix: str, **profile):
    return [
        UserFactory(
            email=f"{prefix}{i}@example.org",
            with_profile__team=team,
            with_profile__display_name=f"{prefix} {i}",
            **{f"with_profile__{k}": v for k, v in profile.items()},
        )
        for i in range(n)
    ]


@pytest.fixture
def org(clock, organiser):
    team_a, team_b, team_c = (
        TeamFactory(name="Team A"),
        TeamFactory(name="Team B"),
        TeamFactory(name="Team C"),
    )
    django, sql = SkillFactory(name="Django"), SkillFactory(name="SQL")
    mia = UserFactory(
        email="mia@example.org",
        with_profile__team=team_a,
        with_profile__display_name="Mia",
        with_profile__open_to_help=True,
        with_profile__sessions_per_week=3,
    )
    max_ = UserFactory(
        email="max@example.org",
        with_profile__team=team_a,
        with_profile__display_name="Max",
        with_profile__open_to_help=True,
        with_profile__sessions_per_week=1,
    )
    for mentor in (mia, max_):
        SkillOfferFactory(profile=mentor.profile, skill=django, level=4)
    ed, eve, eli, emi = _people(4, team_a, "mentee")
    _people(5, team_c, "cee")
    _people(2, team_b, "bee")

    asks = {
        "a1": AskFactory(
            mentee=ed,
            skills=[django],
            state=AskState.COMPLETED,
            created_at=at(2),
            published_at=at(2),
            accepted_at=at(2, 11),
            closed_at=at(3),
            helper=mia,
        ),
        "a2": AskFactory(
            mentee=eve,
            skills=[django, sql],
            state=AskState.ACCEPTED,
            created_at=at(9),
            published_at=at(9),
            accepted_at=at(9, 12),
            helper=mia,
        ),
        "a3": AskFactory(
            mentee=eli, skills=[sql], state=AskState.EXPIRED, created_at=at(10), published_at=at(10)
        ),
        "a4": AskFactory(
            mentee=emi, skills=[sql], state=AskState.UNMATCHED, created_at=at(16), published_at=at(16)
        ),
        "draft": AskFactory(mentee=ed, skills=[sql], state=AskState.DRAFT, created_at=at(16)),
        "before": AskFactory(
            mentee=ed,
            skills=[sql],
            state=AskState.EXPIRED,
            created_at=at(20, month=2),
            published_at=at(20, month=2),
        ),
    }

    def session(mentor, mentee, day, state=SessionState.COMPLETED, **debrief):
        s = SessionFactory(
            mentor=mentor,
            mentee=mentee,
            starts_at=at(day),
            ends_at=at(day, 10, 30),
            state=state,
            created_at=at(1),
        )
        if debrief:
            DebriefFactory(session=s, **debrief)
        return s

    sessions = {
        "s1": session(mia, ed, 3, outcome=Outcome.SOLVED, rating=5, feedback_to_mentor="FEEDBACK-TEXT-XYZ"),
        "s2": session(mia, eve, 10, outcome=Outcome.PARTLY, rating=3),
        "s3": session(max_, eli, 26, state=SessionState.CANCELLED),  # alone in its week for Eli
        "s4": session(mia, eli, 17, outcome=Outcome.NOT_YET, rating=4),
        "s5": session(max_, emi, 18),
        "s6": session(max_, emi, 19, state=SessionState.PLANNED),
        "s7": session(max_, emi, 24, state=SessionState.PLANNED),
        "s8": session(max_, emi, 25, state=SessionState.PLANNED),
    }
    PrivateNoteFactory(session=sessions["s1"], author=ed, body="PRIVATE-NOTE-XYZ")
    for day in (4, 5):
        MomentFactory(author=ed, created_at=at(day))
    # The factories write rows directly, without the workflows' events: the roll-ups start from a
    # rebuild, as after deploying onto existing data. Changes in the tests go through the workflows.
    rollup.rebuild()
    return {
        "teams": (team_a, team_b, team_c),
        "skills": (django, sql),
        "mia": mia,
        "max": max_,
        "mentees": (ed, eve, eli, emi),
        "asks": asks,
        "sessions": sessions,
    }
