"""Kudos: thanks from a profile or a session, optionally for a skill; public or private; no self-kudos;
rate-limited with a clear message; notified to the receiver."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from openhelp.community.recognition import services
from openhelp.community.recognition.models import Kudos
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.platform.notifications.models import Notification, NotificationPreference
from tests.factories_mentoring import SessionFactory, past_session
from tests.factories_recognition import make_kudos
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db


def test_it_gives_kudos_for_a_skill_and_tells_the_receiver(
    django_capture_on_commit_callbacks, mentee, mentor, skill
):
    with django_capture_on_commit_callbacks(execute=True):
        kudos = services.give_kudos(giver=mentee, receiver=mentor, skill=skill, message="  Great   help! ")
    assert kudos.message == "Great help!" and kudos.public
    note = Notification.objects.get(recipient=mentor, event="kudos.received")
    assert note.title == "Nico Mentee thanked you for PostgreSQL"
    run_pending_tasks()
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert "Great help!" in mail.outbox[0].body


def test_it_refuses_self_kudos(mentee):
    with pytest.raises(ValidationError) as error:
        services.give_kudos(giver=mentee, receiver=mentee)
    assert "yourself" in error.value.message_dict["receiver"][0]
    assert not Kudos.objects.exists()


def test_it_refuses_a_message_that_is_too_long(mentee, mentor):
    with pytest.raises(ValidationError) as error:
        services.give_kudos(giver=mentee, receiver=mentor, message="x" * 281)
    assert "280" in error.value.message_dict["message"][0]


def test_it_rate_limits_kudos_per_giver_with_a_clear_message(mentee, mentor, stranger):
    for _ in range(services.kudos_per_day()):
        services.give_kudos(giver=mentee, receiver=mentor)
    with pytest.raises(services.KudosRateLimited) as error:
        services.give_kudos(giver=mentee, receiver=stranger)
    assert "tomorrow" in error.value.messages[0]
    # Another person's allowance is their own.
    services.give_kudos(giver=stranger, receiver=mentor)
    assert Kudos.objects.count() == services.kudos_per_day() + 1


@override_settings(KUDOS_PER_DAY=2)
def test_it_reads_the_daily_allowance_when_giving_not_at_start_up(mentee, mentor):
    for _ in range(2):
        services.give_kudos(giver=mentee, receiver=mentor)
    with pytest.raises(services.KudosRateLimited) as error:
        services.give_kudos(giver=mentee, receiver=mentor)
    assert "You have given 2 kudos today" in error.value.messages[0]
    assert services.kudos_left_today(giver=mentee) == 0


def test_it_only_ties_kudos_to_a_session_of_both_people(mentee, mentor, stranger, session):
    services.give_kudos(giver=mentee, receiver=mentor, session=session)
    with pytest.raises(ValidationError) as error:
        services.give_kudos(giver=stranger, receiver=mentor, session=session)
    assert "session" in error.value.message_dict


def test_the_web_form_thanks_someone_from_their_profile(mentee_client, mentor, skill):
    url = reverse("recognition:give", args=[mentor.pk])
    assert mentee_client.get(url).status_code == 200
    response = mentee_client.post(url, {"skill": "postgres", "message": "Thanks!", "public": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[mentor.profile.pk])
    kudos = Kudos.objects.get()
    assert kudos.skill == skill and kudos.public and kudos.message == "Thanks!"


def test_the_web_form_keeps_what_was_typed_on_an_unknown_skill(mentee_client, mentor):
    response = mentee_client.post(
        reverse("recognition:give", args=[mentor.pk]), {"skill": "Klingon", "message": "You rock"}
    )
    assert response.status_code == 200
    assert "We don&#x27;t know the skill “Klingon”" in response.content.decode()
    assert "You rock" in response.content.decode()
    assert not Kudos.objects.exists()


def test_the_web_form_says_no_to_self_kudos(mentee_client, mentee):
    url = reverse("recognition:give", args=[mentee.pk])
    page = mentee_client.get(url).content.decode()
    assert "cannot give them to yourself" in page
    mentee_client.post(url, {"message": "me!"})
    assert not Kudos.objects.exists()


def test_the_web_form_shows_the_rate_limit_and_keeps_the_message(mentee_client, mentee, mentor):
    make_kudos(1, giver=mentee, receiver=mentor)
    for _ in range(services.kudos_per_day()):
        services._count_kudos(mentee)
    response = mentee_client.post(reverse("recognition:give", args=[mentor.pk]), {"message": "One more"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "You have given 20 kudos today" in page and "One more" in page
    assert Kudos.objects.count() == 1


def test_it_thanks_from_a_session_and_suggests_its_skill(mentee_client, mentor, session, skill):
    url = reverse("recognition:give", args=[mentor.pk]) + f"?session={session.pk}"
    page = mentee_client.get(url).content.decode()
    assert 'value="PostgreSQL"' in page and 'name="session"' in page
    mentee_client.post(url, {"skill": "PostgreSQL", "session": session.pk, "public": "on"})
    assert Kudos.objects.get().session == session


def test_a_session_of_other_people_is_not_found(stranger_client, mentor, session):
    url = reverse("recognition:give", args=[mentor.pk]) + f"?session={session.pk}"
    assert stranger_client.get(url).status_code == 404


def test_a_private_kudos_is_seen_by_its_two_people_only(
    mentee, mentor, stranger, mentee_client, mentor_client, stranger_client, organiser_client
):
    services.give_kudos(giver=mentee, receiver=mentor, message="Secret thanks", public=False)
    services.give_kudos(giver=mentee, receiver=mentor, message="Loud thanks", public=True)
    profile_url = reverse("people:detail", args=[mentor.profile.pk])
    for client in (stranger_client, organiser_client):
        feed = client.get(reverse("recognition:feed")).content.decode()
        assert "Loud thanks" in feed and "Secret thanks" not in feed
        profile = client.get(profile_url).content.decode()
        assert "Loud thanks" in profile and "Secret thanks" not in profile and "private" not in profile
    assert "Secret thanks" in mentor_client.get(reverse("recognition:mine")).content.decode()
    assert "Secret thanks" in mentee_client.get(reverse("recognition:given")).content.decode()
    # The receiver's own profile counts it, for their eyes only.
    assert "1 private (only you see those)" in mentor_client.get(profile_url).content.decode()


def test_the_feed_filters_by_skill_alias(stranger_client, mentee, mentor, skill):
    services.give_kudos(giver=mentee, receiver=mentor, skill=skill, message="SQL wizardry")
    services.give_kudos(giver=mentor, receiver=mentee, message="Nice question")
    page = stranger_client.get(reverse("recognition:feed"), {"skill": "postgres"}).content.decode()
    assert "SQL wizardry" in page and "Nice question" not in page


def test_the_feed_has_an_empty_state(stranger_client):
    assert "No public kudos yet" in stranger_client.get(reverse("recognition:feed")).content.decode()


def test_the_session_page_include_offers_kudos_to_the_other_side(mentee, mentor, stranger):
    session = past_session(mentee=mentee, mentor=mentor)
    as_mentee = render_to_string("recognition/_session_kudos.html", {"session": session, "user": mentee})
    assert "Give kudos to Mira Mentor" in as_mentee
    assert f"?session={session.pk}" in as_mentee
    as_mentor = render_to_string("recognition/_session_kudos.html", {"session": session, "user": mentor})
    assert "Give kudos to Nico Mentee" in as_mentor
    assert (
        render_to_string("recognition/_session_kudos.html", {"session": session, "user": stranger}).strip()
        == ""
    )


def test_the_session_page_offers_kudos(mentee_client, session):
    page = mentee_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    assert "Give kudos to Mira Mentor" in page


def test_the_session_page_says_when_you_already_thanked_them(
    mentee_client, mentor_client, mentee, mentor, session
):
    services.give_kudos(giver=mentee, receiver=mentor, session=session, message="Thanks!")

    page = mentee_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    assert "You thanked Mira Mentor for this session." in page and "Give kudos to Mira Mentor" not in page
    assert f"?session={session.pk}" in page  # thanking again stays possible
    other_side = mentor_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    assert "Give kudos to Nico Mentee" in other_side


def test_kudos_respect_the_receivers_notification_preferences(
    django_capture_on_commit_callbacks, mentee, mentor
):
    NotificationPreference.objects.create(user=mentor, event="kudos.received", channel="email", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.give_kudos(giver=mentee, receiver=mentor, message="Thanks")
    run_pending_tasks()
    assert mail.outbox == []
    assert Notification.objects.get(recipient=mentor).show_in_app


# --- Kudos for a session that cannot be thanked for yet --------------------------------------------------

# Tuesday 3 June 2025, 06:00–06:30 UTC: 02:00 in New York, where the mentee lives.
CALL_START = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def call(mentee, mentor, skill):
    return SessionFactory(
        mentee=mentee,
        mentor=mentor,
        skills=[skill],
        title="Indexes",
        starts_at=CALL_START,
        ends_at=CALL_START + dt.timedelta(minutes=30),
    )


def _give_page(client, receiver, session, moment: dt.datetime) -> str:
    url = reverse("recognition:give", args=[receiver.pk]) + f"?session={session.pk}"
    with time_machine.travel(moment, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_before_the_start_the_page_says_when_thanks_for_the_session_open_and_offers_them_without_it(
    mentee_client, mentor, call
):
    page = _give_page(mentee_client, mentor, call, CALL_START - dt.timedelta(minutes=1))
    assert (
        "You can thank Mira Mentor for your session “Indexes” once it has started, at "
        '<time datetime="2025-06-03T06:00:00+00:00">Tue 3 Jun, 02:00 EDT</time>.'
    ) in page
    assert 'name="session"' not in page
    plain = reverse("recognition:give", args=[mentor.pk])
    assert f'action="{plain}"' in page and 'value="PostgreSQL"' in page
    with time_machine.travel(CALL_START - dt.timedelta(minutes=1), tick=False):
        response = mentee_client.post(plain, {"skill": "PostgreSQL", "message": "Thanks for booking"})
    assert response.status_code == 302
    kudos = Kudos.objects.get()
    assert kudos.session is None and kudos.message == "Thanks for booking"


def test_from_the_start_the_page_thanks_for_the_session(mentee_client, mentor, call):
    page = _give_page(mentee_client, mentor, call, CALL_START)
    assert "kudos-session-closed" not in page
    assert "For your session “Indexes”." in page
    assert f'<input type="hidden" name="session" value="{call.pk}">' in page
    assert '<form method="post" novalidate>' in page  # posts back to the URL with ?session=
    url = reverse("recognition:give", args=[mentor.pk]) + f"?session={call.pk}"
    with time_machine.travel(CALL_START + dt.timedelta(minutes=40), tick=False):
        mentee_client.post(url, {"session": call.pk, "message": "Thanks!", "public": "on"})
    assert Kudos.objects.get().session == call


def test_a_cancelled_session_is_named_as_such_and_kudos_stay_possible_without_it(mentor_client, mentee, call):
    Session.objects.filter(pk=call.pk).update(state=SessionState.CANCELLED)
    page = _give_page(mentor_client, mentee, call, CALL_START + dt.timedelta(hours=1))
    assert "Your session “Indexes” was cancelled, so there is nothing to thank for from it." in page
    assert "once it has started" not in page
    assert 'name="session"' not in page
    assert f'action="{reverse("recognition:give", args=[mentee.pk])}"' in page


def test_a_stale_form_for_a_session_not_yet_started_is_refused_and_keeps_the_message(
    mentee_client, mentor, call
):
    url = reverse("recognition:give", args=[mentor.pk]) + f"?session={call.pk}"
    with time_machine.travel(CALL_START - dt.timedelta(hours=2), tick=False):
        response = mentee_client.post(url, {"session": call.pk, "message": "See you soon"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "once it has taken place" in page and "See you soon" in page
    assert "kudos-session-closed" in page
    assert not Kudos.objects.exists()


@pytest.mark.parametrize("state", [SessionState.PLANNED, SessionState.CANCELLED])
def test_someone_else_s_session_is_not_found_whatever_its_state(
    stranger_client, mentee_client, mentor, stranger, call, state
):
    Session.objects.filter(pk=call.pk).update(state=state)
    before = CALL_START - dt.timedelta(hours=2)
    with time_machine.travel(before, tick=False):
        for client, receiver in ((stranger_client, mentor), (mentee_client, stranger)):
            url = reverse("recognition:give", args=[receiver.pk]) + f"?session={call.pk}"
            response = client.get(url)
            assert response.status_code == 404
            assert "Indexes" not in response.content.decode()
