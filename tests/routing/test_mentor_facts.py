"""What routing reads about each candidate: past help (ages, what counts as help taken on) and the time
they take to answer, with durations worked out by the database exactly as Python would."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
import time_machine

from openhelp.help.asks.models import AskState
from openhelp.help.routing.models import DeclineReason, OfferState
from openhelp.help.routing.profiles import asks_in_order, mentor_profiles
from openhelp.help.routing.retrieval import skill_pool
from tests.factories_asks import AskFactory
from tests.factories_routing import OfferFactory, make_mentor

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 12, 0, 0, 123456, tzinfo=dt.UTC)


def _helped(mentor, skill, *, state, days_ago: float, title: str):
    accepted_at = NOW - dt.timedelta(days=days_ago, microseconds=7)
    return AskFactory(skills=[skill], state=state, helper=mentor, accepted_at=accepted_at, title=title)


def _answered(mentor, *, hours: float, state=OfferState.ACCEPTED, **fields):
    created_at = NOW - dt.timedelta(days=3, microseconds=11)
    responded = created_at + dt.timedelta(hours=hours, microseconds=3)
    return OfferFactory(mentor=mentor, state=state, created_at=created_at, responded_at=responded, **fields)


def _facts(mentor, skill):
    pool = skill_pool([skill.pk])
    found, _ = mentor_profiles(pool=pool, language_ids=[], asker_ids=[], ask_id=None, load_window_weeks=4)
    [profile] = [m for m in found if m.id == mentor.pk]
    return profile


@time_machine.travel(NOW, tick=False)
def test_past_help_counts_asks_taken_on_with_their_exact_age(skills):
    mentor = make_mentor((skills["django"], 4))
    _helped(mentor, skills["django"], state=AskState.COMPLETED, days_ago=2.5, title="Recent and done")
    _helped(mentor, skills["django"], state=AskState.ANSWERED, days_ago=100, title="Older")
    _helped(mentor, skills["django"], state=AskState.CANCELLED, days_ago=1, title="Cancelled after accept")
    _helped(mentor, skills["django"], state=AskState.COMPLETED, days_ago=400, title="Over a year ago")

    profile = _facts(mentor, skills["django"])

    by_title = {h.title: h for h in profile.past_help}
    assert set(by_title) == {"Recent and done", "Older"}
    expected = (dt.timedelta(days=2.5, microseconds=7)).total_seconds() / 86400
    assert by_title["Recent and done"].age_days == expected
    assert by_title["Recent and done"].weight == 1.5 and by_title["Older"].weight == 1.0
    assert profile.recent_sessions == 1, "only the completed ask is within the four-week load window"


@time_machine.travel(NOW, tick=False)
def test_past_help_is_in_ask_order_whatever_order_the_rows_come_in(skills):
    # Asks with several skills come back as one row per skill, in no set order; the reasons name the
    # first of equally similar past asks, so that order must not depend on the database's plan.
    mentor = make_mentor((skills["django"], 4), (skills["python"], 3))
    made = [
        AskFactory(
            skills=[skills["django"], skills["python"]] if index % 2 else [skills["python"]],
            state=AskState.COMPLETED,
            helper=mentor,
            accepted_at=NOW - dt.timedelta(days=30 - index),
            title=f"Same question {index}",
        )
        for index in range(8)
    ]
    profile = _facts(mentor, skills["django"])
    assert [h.ask_id for h in profile.past_help] == sorted(ask.pk for ask in made)
    assert profile.past_help[1].skill_ids == frozenset({skills["django"].pk, skills["python"].pk})


def test_rows_in_any_order_give_the_asks_in_ask_order_with_all_their_skills():
    rows = [(3, "c", 30), (1, "a", 10), (2, "b", None), (1, "a", 11), (3, "c", 31)]
    expected = [(1, ("a",), frozenset({10, 11})), (2, ("b",), frozenset()), (3, ("c",), frozenset({30, 31}))]
    assert asks_in_order(rows) == expected
    assert asks_in_order(reversed(rows)) == expected


@time_machine.travel(NOW, tick=False)
def test_the_time_to_answer_is_the_median_of_exact_durations(skills):
    mentor = make_mentor((skills["django"], 4))
    for hours in (1.5, 30, 4):
        _answered(mentor, hours=hours)
    _answered(mentor, hours=2, state=OfferState.DECLINED, decline_reason=DeclineReason.NO_TIME)
    _answered(mentor, hours=0, state=OfferState.DECLINED, decline_reason=DeclineReason.PAUSED)  # not a choice

    profile = _facts(mentor, skills["django"])

    assert (profile.offers_received, profile.offers_accepted) == (4, 3)
    waits = [dt.timedelta(hours=h, microseconds=3).total_seconds() / 3600 for h in (1.5, 30, 4, 2)]
    assert profile.median_response_hours == statistics.median(waits)
