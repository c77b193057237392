"""What someone has given, on their profile: people helped, skills, kudos, endorsements, reliability."""

from __future__ import annotations

import pytest
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
