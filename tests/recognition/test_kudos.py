"""Kudos: thanks from a profile or a session, optionally for a skill; public or private; no self-kudos;
rate-limited with a clear message; notified to the receiver."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from openhelp.community.recognition import services
from openhelp.community.recognition.models import Kudos
from openhelp.platform.notifications.models import Notification, NotificationPreference
from tests.factories_mentoring import past_session
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
