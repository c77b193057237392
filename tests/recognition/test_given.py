"""What someone has given, on their profile: people helped, skills, kudos, endorsements, reliability."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openhelp.community.recognition import services
from openhelp.help.mentoring.models import SessionState
from tests.factories import SkillFactory
from tests.factories_mentoring import SessionFactory, make_sessions, past_session, person
from tests.factories_recognition import EndorsementFactory, make_kudos
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_it_sums_up_what_a_mentor_gave(mentor, mentee, stranger, skill):
    other_mentee = person("Olga Other")
    past_session(mentee=mentee, mentor=mentor, skills=[skill])
    past_session(mentee=mentee, mentor=mentor, skills=[skill], hours_ago=30)
    past_session(mentee=other_mentee, mentor=mentor, skills=[SkillFactory(name="Indexing")])
    SessionFactory(mentee=stranger, mentor=mentor)  # still to come: not help given yet
    past_session(mentee=stranger, mentor=mentor, state=SessionState.CANCELLED)
    make_kudos(2, giver=mentee, receiver=mentor, skill=skill)
    make_kudos(1, giver=mentee, receiver=mentor, public=False)
    make_kudos(1, giver=mentor, receiver=mentee)
    EndorsementFactory(session=past_session(mentee=stranger, mentor=mentor, hours_ago=50), skill=skill)

    summary = services.given_summary(user=mentor, viewer=stranger)
    assert summary.people_helped == 3
    assert summary.sessions_given == 4
    assert summary.skills[0] == {"skill__name": "PostgreSQL", "skill__slug": "postgresql", "n": 2}
    assert summary.kudos_received == 2 and summary.private_kudos_received == 0
    assert summary.kudos_given == 1
    assert summary.endorsements_given == 1 and summary.endorsements_received == 0
    assert summary.kudos_skills == [{"skill__name": "PostgreSQL", "skill__slug": "postgresql", "n": 2}]
    assert services.given_summary(user=mentor, viewer=mentor).private_kudos_received == 1


def test_the_profile_shows_what_someone_gave_with_their_reliability(mentor, mentee, skill, stranger_client):
    past_session(mentee=mentee, mentor=mentor, skills=[skill])
    make_kudos(1, giver=mentee, receiver=mentor, skill=skill)
    page = stranger_client.get(reverse("people:detail", args=[mentor.profile.pk])).content.decode()
    text = " ".join(page.split())
    assert "What Mira Mentor has given" in text
    assert "1 person in 1 session" in text
    assert "Reliability" in text and "attended 1 of 1" in text
    assert "Say thanks to Mira Mentor" in text


def test_my_own_profile_does_not_offer_to_thank_myself(mentor, mentor_client):
    page = mentor_client.get(reverse("people:detail", args=[mentor.profile.pk])).content.decode()
    assert "What you have given" in page and "Say thanks" not in page


def test_the_profile_costs_the_same_queries_however_much_was_given(mentor, mentee, skill, stranger_client):
    url = reverse("people:detail", args=[mentor.profile.pk])

    def grow(n):
        make_sessions(n, mentee=mentee, mentor=mentor, skills=[skill], past=True)
        make_kudos(n, giver=mentee, receiver=mentor, skill=skill)
        make_kudos(n, giver=mentee, receiver=mentor, public=False)

    assert_constant_queries(grow=grow, action=lambda: stranger_client.get(url))


def test_each_count_reads_only_its_own_rows(mentor, mentee, stranger, skill):
    """The counts are read together in one query: each must still count only what it names."""
    gone = person("Gina Gone")
    make_kudos(3, giver=gone, receiver=mentor, skill=skill)
    type(gone).objects.filter(pk=gone.pk).update(is_active=False)  # thanks from a deactivated person
    make_kudos(2, giver=mentee, receiver=mentor, public=False)
    make_kudos(1, giver=mentor, receiver=stranger, public=False)  # private, given: not counted as given
    make_kudos(4, giver=mentor, receiver=stranger)
    EndorsementFactory(session=past_session(mentee=mentor, mentor=stranger), skill=skill)
    past_session(mentee=mentee, mentor=mentor)
    past_session(mentee=mentee, mentor=mentor, hours_ago=30)

    mine = services.given_summary(user=mentor, viewer=mentor)
    assert (mine.sessions_given, mine.people_helped) == (2, 1)
    assert (mine.kudos_received, mine.private_kudos_received, mine.kudos_given) == (0, 2, 4)
    assert (mine.endorsements_given, mine.endorsements_received) == (0, 1)
    assert mine.kudos_skills == [] and mine.recent_kudos == []
    seen = services.given_summary(user=mentor, viewer=stranger)
    assert seen.private_kudos_received == 0 and seen.kudos_given == 4


def test_nothing_to_list_costs_no_list_queries(mentor, mentee, stranger, skill):
    """The skill lists and the recent thanks are read only when a count says there is something."""
    with CaptureQueriesContext(connection) as nothing:
        empty = services.given_summary(user=stranger, viewer=mentee)
    assert empty.is_empty and empty.skills == [] and empty.kudos_skills == [] and empty.recent_kudos == []
    past_session(mentee=mentee, mentor=mentor, skills=[skill])
    make_kudos(1, giver=mentee, receiver=mentor, skill=skill)
    with CaptureQueriesContext(connection) as something:
        full = services.given_summary(user=mentor, viewer=mentee)
    assert full.skills and full.kudos_skills and full.recent_kudos
    assert len(something.captured_queries) == len(nothing.captured_queries) + 3
