"""Lists of sessions cost the same number of queries at 10 and at 500 rows (pages of 50 and 100)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import SkillFactory
from tests.factories_mentoring import make_sessions
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_it_lists_sessions_without_n_plus_one(mentee, mentor, mentee_client):
    skills = [SkillFactory(), SkillFactory()]
    assert_constant_queries(
        grow=lambda n: make_sessions(n, mentee=mentee, mentor=mentor, skills=skills),
        action=lambda: mentee_client.get(reverse("mentoring:list")),
    )


def test_it_searches_sessions_without_n_plus_one(mentee, mentor, mentee_client):
    skills = [SkillFactory(name="Statistics")]
    assert_constant_queries(
        grow=lambda n: make_sessions(n, mentee=mentee, mentor=mentor, skills=skills),
        action=lambda: mentee_client.get(reverse("mentoring:list"), {"q": "statistics"}),
    )


def test_it_lists_sessions_in_the_api_without_n_plus_one(mentee, mentor):
    client = APIClient()
    client.force_authenticate(mentee)
    skills = [SkillFactory(), SkillFactory()]
    assert_constant_queries(
        grow=lambda n: make_sessions(n, mentee=mentee, mentor=mentor, skills=skills),
        action=lambda: client.get(reverse("api:sessions-list"), {"page_size": 100}),
    )


def test_it_exports_without_n_plus_one(mentee, mentor, mentee_client):
    skills = [SkillFactory()]
    assert_constant_queries(
        grow=lambda n: make_sessions(n, mentee=mentee, mentor=mentor, skills=skills, past=True),
        action=lambda: mentee_client.get(reverse("mentoring:export")),
    )


def test_it_shows_organisers_paused_people_without_n_plus_one(organiser_client, mentor):
    from tests.factories_mentoring import AttendanceFactory, past_session, person

    def grow(n):
        for _ in range(max(1, n // 50)):
            absent = person("Often absent")
            for _ in range(2):
                AttendanceFactory(session=past_session(mentee=absent, mentor=mentor))

    assert_constant_queries(grow=grow, action=lambda: organiser_client.get(reverse("mentoring:organiser")))
