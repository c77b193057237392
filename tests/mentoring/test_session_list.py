"""My sessions: what is coming up and what is past in separate sections, in the viewer's time zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openhelp.platform.lib.clock import now
from tests.factories import SkillFactory
from tests.factories_mentoring import SessionFactory

pytestmark = pytest.mark.django_db


def test_it_splits_upcoming_from_past_soonest_first(mentee, mentor, mentee_client):
    SessionFactory(mentee=mentee, mentor=mentor, title="Next week", starts_at=now() + dt.timedelta(days=7))
    SessionFactory(mentee=mentee, mentor=mentor, title="Tomorrow", starts_at=now() + dt.timedelta(days=1))
    SessionFactory(mentee=mentee, mentor=mentor, title="Async open", format="async", starts_at=None)
    SessionFactory(mentee=mentee, mentor=mentor, title="Last week", starts_at=now() - dt.timedelta(days=7))
    SessionFactory(
        mentee=mentee,
        mentor=mentor,
        title="Called off",
        starts_at=now() + dt.timedelta(days=2),
        state="cancelled",
    )
    response = mentee_client.get(reverse("mentoring:list"))
    assert [s.title for s in response.context["upcoming"]] == ["Tomorrow", "Next week", "Async open"]
    assert [s.title for s in response.context["page"].object_list] == ["Called off", "Last week"]
    html = response.content.decode()
    assert html.index("Coming up") < html.index("Tomorrow") < html.index("Past") < html.index("Last week")
    assert 'class="session-list list-plain"' in html


def test_times_are_in_the_viewers_zone(mentee, mentor, mentee_client, mentor_client):
    SessionFactory(
        mentee=mentee,
        mentor=mentor,
        title="Late call",
        starts_at=dt.datetime(2025, 6, 3, 23, 30, tzinfo=dt.UTC),
    )
    in_new_york = mentee_client.get(reverse("mentoring:list")).content.decode()
    in_berlin = mentor_client.get(reverse("mentoring:list")).content.decode()
    assert "Tue 3 Jun 2025, 19:30" in in_new_york and "Times in America/New_York" in in_new_york
    assert "Wed 4 Jun 2025, 01:30" in in_berlin


def test_the_search_applies_to_both_sections(mentee, mentor, mentee_client):
    SessionFactory(mentee=mentee, mentor=mentor, title="Equity offer", starts_at=now() + dt.timedelta(days=1))
    SessionFactory(mentee=mentee, mentor=mentor, title="Query plans", starts_at=now() - dt.timedelta(days=1))
    response = mentee_client.get(reverse("mentoring:list"), {"q": "equity"})
    assert [s.title for s in response.context["upcoming"]] == ["Equity offer"]
    assert list(response.context["page"].object_list) == []


def test_nobody_sees_anothers_sessions(mentee, mentor, stranger_client):
    SessionFactory(mentee=mentee, mentor=mentor, title="Private matter")
    html = stranger_client.get(reverse("mentoring:list")).content.decode()
    assert "Private matter" not in html and "No sessions yet" in html


def test_each_card_shows_the_other_side_the_skills_and_the_state(
    mentee, mentor, mentee_client, mentor_client
):
    """The list loads only the columns a card shows: what the card says stays whole on both sides."""
    statistics = SkillFactory(name="Statistics")
    SessionFactory(
        mentee=mentee,
        mentor=mentor,
        title="Tomorrow",
        starts_at=now() + dt.timedelta(days=1),
        skills=[statistics],
    )
    SessionFactory(mentee=mentee, mentor=mentor, title="By messages", format="async", starts_at=None)
    SessionFactory(
        mentee=mentee, mentor=mentor, title="Done", starts_at=now() - dt.timedelta(days=3), state="completed"
    )
    as_mentee = " ".join(mentee_client.get(reverse("mentoring:list")).content.decode().split())
    as_mentor = " ".join(mentor_client.get(reverse("mentoring:list")).content.decode().split())
    assert "with Mira Mentor (mentor)" in as_mentee and "with Nico Mentee (mentee)" in as_mentor
    for page in (as_mentee, as_mentor):
        assert '<li class="tag chip">Statistics</li>' in page
        assert "Async" in page and "Completed" in page and "Planned" in page
