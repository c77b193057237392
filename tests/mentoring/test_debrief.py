"""The debrief: takeaways, https resources, outcome, rating and private feedback, consent, endorsement."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openhelp.community.recognition.models import Endorsement
from openhelp.community.recognition.services import endorse_from_session, give_kudos
from openhelp.directory.library.models import LibraryEntry
from openhelp.help.mentoring import debriefs
from openhelp.help.mentoring.models import Debrief, SessionState
from openhelp.help.mentoring.services import SessionConflict
from tests.factories import SkillFactory
from tests.factories_mentoring import SessionFactory, past_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(mentee, mentor, skill):
    return past_session(mentee=mentee, mentor=mentor, skills=[skill], title="Read my A/B test")


def url(session):
    return reverse("mentoring:debrief", args=[session.pk])


def form_data(**overrides):
    data = {
        "takeaways": "Use a z-test for two proportions\n\nDecide the sample size first",
        "resource_1_title": "Sample size calculator",
        "resource_1_url": "https://www.evanmiller.org/ab-testing/",
        "outcome": "solved",
    }
    data.update(overrides)
    return data


def test_it_records_a_debrief_from_the_page(session, mentee_client):
    response = mentee_client.post(url(session), form_data(rating="5", feedback_to_mentor="Clear and kind."))
    assert response.status_code == 302
    debrief = Debrief.objects.get(session=session)
    assert debrief.takeaways == ["Use a z-test for two proportions", "Decide the sample size first"]
    assert debrief.resources == [
        {"title": "Sample size calculator", "url": "https://www.evanmiller.org/ab-testing/"}
    ]
    assert (debrief.outcome, debrief.rating, debrief.feedback_to_mentor) == ("solved", 5, "Clear and kind.")
    session.refresh_from_db()
    assert session.state == SessionState.COMPLETED


@pytest.mark.parametrize(
    "link", ["http://example.org/page", "javascript:alert(1)", "ftp://example.org/x", "www.example.org"]
)
def test_it_accepts_only_https_resources(session, mentee_client, link):
    response = mentee_client.post(url(session), form_data(resource_1_url=link))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Use a full https:// link." in page
    assert "Use a z-test for two proportions" in page  # what was typed stays
    assert not Debrief.objects.filter(session=session).exists()


def test_it_refuses_non_https_resources_in_the_service_too(session, mentee):
    with pytest.raises(ValidationError) as caught:
        debriefs.record_debrief(
            session=session, actor=mentee, resources=[{"title": "X", "url": "http://example.org"}]
        )
    assert "https://" in caught.value.message_dict["resources"][0]


def test_it_lets_only_the_mentee_rate_and_give_feedback(session, mentor):
    with pytest.raises(ValidationError) as caught:
        debriefs.record_debrief(session=session, actor=mentor, rating=5, feedback_to_mentor="I was great")
    assert set(caught.value.message_dict) == {"rating", "feedback_to_mentor"}


@pytest.mark.parametrize("rating", [0, 6, "lots"])
def test_it_rates_from_one_to_five(session, mentee, rating):
    with pytest.raises(ValidationError) as caught:
        debriefs.record_debrief(session=session, actor=mentee, rating=rating)
    assert "rating" in caught.value.message_dict


def test_it_changes_only_the_parts_sent(session, mentee, mentor):
    debriefs.record_debrief(session=session, actor=mentee, rating=4, takeaways=["One"])
    debriefs.record_debrief(session=session, actor=mentor, outcome="partly")
    debrief = Debrief.objects.get(session=session)
    assert (debrief.rating, debrief.takeaways, debrief.outcome) == (4, ["One"], "partly")


def test_it_shows_the_feedback_to_the_mentor_only(
    session, mentee, mentor_client, stranger_client, organiser_client
):
    debriefs.record_debrief(session=session, actor=mentee, rating=3, feedback_to_mentor="Slow down a bit")
    assert "Slow down a bit" in mentor_client.get(url(session)).content.decode()
    assert stranger_client.get(url(session)).status_code == 404
    assert organiser_client.get(url(session)).status_code == 404


def test_it_refuses_a_debrief_of_a_cancelled_session(mentee, mentor):
    session = SessionFactory(mentee=mentee, mentor=mentor, state=SessionState.CANCELLED)
    with pytest.raises(SessionConflict):
        debriefs.record_debrief(session=session, actor=mentee, takeaways=["x"])


def test_it_publishes_only_when_both_consent(session, mentee, mentor):
    debriefs.record_debrief(
        session=session,
        actor=mentee,
        takeaways=["Decide the sample size first"],
        resources=[{"title": "Calc", "url": "https://example.org/calc"}],
        rating=2,
        feedback_to_mentor="Private words",
        consents_to_publish=True,
    )
    assert not LibraryEntry.objects.exists()
    debriefs.record_debrief(session=session, actor=mentor, consents_to_publish=True)

    entry = LibraryEntry.objects.get()
    assert entry.takeaways == ["Decide the sample size first"]
    assert entry.resources == [{"title": "Calc", "url": "https://example.org/calc"}]
    assert "Private words" not in entry.search_text
    assert Debrief.objects.get(session=session).published_at is not None


def test_it_takes_the_entry_out_when_consent_is_withdrawn(session, mentee, mentor):
    debriefs.record_debrief(session=session, actor=mentee, takeaways=["A"], consents_to_publish=True)
    debriefs.record_debrief(session=session, actor=mentor, consents_to_publish=True)
    assert LibraryEntry.objects.count() == 1
    debriefs.record_debrief(session=session, actor=mentee, consents_to_publish=False)
    assert LibraryEntry.objects.count() == 0
    assert Debrief.objects.get(session=session).published_at is None


def test_it_refreshes_the_entry_when_takeaways_change(session, mentee, mentor):
    debriefs.record_debrief(session=session, actor=mentee, takeaways=["A"], consents_to_publish=True)
    debriefs.record_debrief(session=session, actor=mentor, consents_to_publish=True)
    debriefs.record_debrief(session=session, actor=mentor, takeaways=["A", "B"])
    assert LibraryEntry.objects.get().takeaways == ["A", "B"]


def test_it_lets_the_mentor_endorse_a_demonstrated_skill(session, mentor, mentee, mentor_client, skill):
    response = mentor_client.post(reverse("recognition:endorse", args=[session.pk]), {"skill": skill.pk})
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    assert (endorsement.mentor, endorsement.mentee, endorsement.skill, endorsement.session) == (
        mentor,
        mentee,
        skill,
        session,
    )
    mentor_client.post(reverse("recognition:endorse", args=[session.pk]), {"skill": skill.pk})
    assert Endorsement.objects.count() == 1


def test_it_does_not_let_the_mentee_endorse_themselves(session, mentee_client, skill):
    response = mentee_client.post(reverse("recognition:endorse", args=[session.pk]), {"skill": skill.pk})
    assert response.status_code == 400
    assert not Endorsement.objects.exists()


def test_it_endorses_only_a_skill_of_the_session(session, mentor):
    with pytest.raises(ValidationError):
        endorse_from_session(session=session, actor=mentor, skill=SkillFactory(name="Kubernetes"))


def test_it_endorses_only_once_the_session_has_started(mentee, mentor, skill):
    upcoming = SessionFactory(mentee=mentee, mentor=mentor, skills=[skill])
    with pytest.raises(SessionConflict):
        endorse_from_session(session=upcoming, actor=mentor, skill=skill)


def test_it_shows_the_debrief_page_to_each_side(session, mentee_client, mentor_client):
    mentee_page = mentee_client.get(url(session)).content.decode()
    mentor_page = mentor_client.get(url(session)).content.decode()
    assert "How helpful was it?" in mentee_page and "How helpful was it?" not in mentor_page
    assert "Endorse a skill" in mentor_page and "Endorse a skill" not in mentee_page
    assert "Ask Mira Mentor again" in mentee_page


def _visible_part(body: str) -> str:
    return body.split('<details class="more-resources">')[0]


def test_it_shows_one_empty_resource_row_and_folds_the_rest_away(session, mentee_client):
    body = mentee_client.get(url(session)).content.decode()

    assert 'name="resource_1_url"' in _visible_part(body)
    assert 'name="resource_2_url"' not in _visible_part(body)
    assert 'name="resource_5_url"' in body and "Add more resources" in body


def test_a_refused_debrief_shows_every_resource_typed_and_the_one_in_error(session, mentee_client):
    response = mentee_client.post(
        url(session),
        form_data(
            resource_2_title="Calc", resource_2_url="https://example.org/c", resource_3_url="http://x.org"
        ),
    )

    assert response.status_code == 400
    visible = _visible_part(response.content.decode())
    assert (
        "https://example.org/c" in visible and "http://x.org" in visible and "Use a full https://" in visible
    )
    assert 'name="resource_4_url"' in visible and 'name="resource_5_url"' not in visible


def test_the_debrief_choices_say_different_things(session, mentee_client):
    page = mentee_client.get(url(session)).content.decode()

    assert "<legend>How helpful was it?</legend>" in page
    assert "Mira Mentor sees your rating; organisers only ever see averages." in page
    outcome = page.split("<legend>Did it solve the problem?</legend>")[1].split("</fieldset>")[0]
    labels = re.findall(r'class="inline-label">([^<]+)</label>', outcome)
    assert labels == ["Skip", "Solved", "Partly solved", "Not solved yet"]


def test_after_saving_the_debrief_the_mentee_is_offered_to_thank_the_mentor(
    session, mentee, mentor, mentee_client, mentor_client
):
    kudos_link = f"{reverse('recognition:give', args=[mentor.pk])}?session={session.pk}"
    response = mentee_client.post(url(session), form_data(), follow=True)
    page = response.content.decode()
    assert "Next: thank Mira Mentor" in page
    assert kudos_link in page  # prefilled with the session, as on the session page
    assert "Next: thank" not in mentor_client.get(url(session)).content.decode()

    give_kudos(giver=mentee, receiver=mentor, session=session, message="Thanks!")
    assert "Next: thank" not in mentee_client.get(url(session)).content.decode()


def test_before_any_debrief_the_page_does_not_push_kudos(session, mentee_client):
    assert "Next: thank" not in mentee_client.get(url(session)).content.decode()
