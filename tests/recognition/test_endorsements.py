"""Endorsements: the mentor states the mentee demonstrated a skill; idempotent per session and skill;
shown on the mentee's profile as "Demonstrated: <skill> — endorsed by <mentor>, <date>"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openhelp.community.recognition import services
from openhelp.community.recognition.models import Endorsement
from openhelp.help.mentoring.models import SessionState
from openhelp.platform.notifications.models import Notification
from tests.factories import SkillFactory
from tests.factories_skills import ProposedSkillFactory

pytestmark = pytest.mark.django_db


def test_it_endorses_once_per_session_and_skill_and_notifies_once(session, mentor, mentee, skill):
    first = services.endorse(session=session, mentor=mentor, mentee=mentee, skill=skill)
    again = services.endorse(session=session, mentor=mentor, mentee=mentee, skill=skill)
    assert first.pk == again.pk
    assert Endorsement.objects.count() == 1
    notes = Notification.objects.filter(recipient=mentee, event="endorsement.received")
    assert [n.title for n in notes] == ["Mira Mentor endorsed you for PostgreSQL"]


def test_only_the_sessions_mentor_endorses_its_mentee(session, mentor, mentee, stranger, skill):
    with pytest.raises(PermissionDenied):
        services.endorse(session=session, mentor=mentee, mentee=mentor, skill=skill)
    with pytest.raises(PermissionDenied):
        services.endorse(session=session, mentor=stranger, mentee=mentee, skill=skill)
    assert not Endorsement.objects.exists()


def test_a_cancelled_session_cannot_endorse(session, mentor, mentee, skill):
    session.state = SessionState.CANCELLED
    session.save()
    with pytest.raises(ValidationError) as error:
        services.endorse(session=session, mentor=mentor, mentee=mentee, skill=skill)
    assert "cancelled" in error.value.message_dict["session"][0]


def test_someone_elses_proposed_skill_cannot_be_endorsed(session, mentor, mentee, stranger):
    hidden = ProposedSkillFactory(name="Secret sauce", proposed_by=stranger)
    with pytest.raises(ValidationError):
        services.endorse(session=session, mentor=mentor, mentee=mentee, skill=hidden)


# 23:30 UTC is already the next day in the viewer's zone (Europe/Berlin): the date on the page is the viewer's.
@time_machine.travel(dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC), tick=False)
def test_the_profile_shows_demonstrated_skills(session, mentor, mentee, skill, stranger, stranger_client):
    endorsement = services.endorse(session=session, mentor=mentor, mentee=mentee, skill=skill)
    page = stranger_client.get(reverse("people:detail", args=[mentee.profile.pk])).content.decode()
    shown = endorsement.created_at.astimezone(ZoneInfo(stranger.profile.timezone))
    date = f"{shown.day} {shown:%b %Y}"
    assert shown.day == 7
    text = " ".join(page.split())
    assert "Demonstrated: <strong>PostgreSQL</strong> — endorsed by" in text
    assert "Mira Mentor</a>, <time" in text and date in text


def test_a_profile_without_endorsements_has_no_demonstrated_section(mentee, stranger_client):
    page = stranger_client.get(reverse("people:detail", args=[mentee.profile.pk])).content.decode()
    assert "Demonstrated skills" not in page


def test_the_mentor_can_withdraw_an_endorsement_and_nobody_else(session, mentor, mentee, skill):
    endorsement = services.endorse(session=session, mentor=mentor, mentee=mentee, skill=skill)
    with pytest.raises(PermissionDenied):
        services.withdraw_endorsement(endorsement=endorsement, mentor=mentee)
    services.withdraw_endorsement(endorsement=endorsement, mentor=mentor)
    assert not Endorsement.objects.exists()


def test_several_skills_can_be_endorsed_from_one_session(session, mentor, mentee, skill):
    other = SkillFactory(name="Indexing")
    services.endorse(session=session, mentor=mentor, mentee=mentee, skill=skill)
    services.endorse(session=session, mentor=mentor, mentee=mentee, skill=other)
    assert set(services.demonstrated_skills(user=mentee).values_list("skill__name", flat=True)) == {
        "PostgreSQL",
        "Indexing",
    }
