"""The sessions API: read, plan, agenda, shared notes with versioning, own private notes, debrief,
endorsement and attendance — the same rules as the web, structured errors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.community.recognition.models import Endorsement
from openhelp.help.mentoring import services
from openhelp.help.mentoring.models import AgendaStep, Debrief, PrivateNote, SessionState
from tests.factories_mentoring import AttendanceFactory, SessionFactory, past_session
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db


def api(name, *args):
    return reverse(f"api:{name}", args=args)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def mentee_api(mentee):
    return api_for(mentee)


@pytest.fixture
def mentor_api(mentor):
    return api_for(mentor)


@pytest.fixture
def stranger_api(stranger):
    return api_for(stranger)


@pytest.fixture
def session(mentee, mentor, skill):
    session = past_session(mentee=mentee, mentor=mentor, skills=[skill], title="Read my A/B test")
    services.apply_agenda_template(session=session, actor=mentor, template="skill_transfer")
    return session


def test_it_lists_my_sessions(session, mentee_api, stranger_api):
    body = mentee_api.get(api("sessions-list")).json()
    assert [row["title"] for row in body["results"]] == ["Read my A/B test"]
    row = body["results"][0]
    assert row["mentor"]["display_name"] == "Mira Mentor"
    assert row["skills"][0]["name"] == "A/B testing"
    assert stranger_api.get(api("sessions-list")).json()["results"] == []


def test_it_reads_a_session_with_agenda_notes_and_reliability(session, mentee_api):
    body = mentee_api.get(api("sessions-detail", session.pk)).json()
    assert body["format"] == "call" and body["state"] == "planned"
    assert [step["title"] for step in body["steps"]][:2] == ["Objective and preparation", "Watch one"]
    assert body["shared_notes"] == {
        "body": "",
        "version": 0,
        "updated_at": body["shared_notes"]["updated_at"],
        "updated_by": None,
    }
    assert body["other_reliability"] == "attended 1 of 1"
    assert "private" not in str(body).lower()


def test_it_edits_the_plan_with_field_errors(session, mentee_api):
    response = mentee_api.patch(
        api("sessions-detail", session.pk), {"preparation_questions": ["a", "b", "c", "d", "e", "f"]}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "preparation_questions" in response.json()["error"]["fields"]
    response = mentee_api.patch(api("sessions-detail", session.pk), {"objective": "ship by Friday"})
    assert response.status_code == 200
    assert response.json()["objective"] == "ship by Friday"


def test_it_manages_the_agenda(session, mentor_api):
    response = mentor_api.post(
        api("sessions-agenda", session.pk), {"title": "Try it on my data", "minutes": 5}
    )
    assert response.status_code == 201
    step_id = response.json()["id"]
    response = mentor_api.patch(api("sessions-agenda-step", session.pk, step_id), {"done": True})
    assert response.status_code == 200 and response.json()["done"] is True

    response = mentor_api.put(api("sessions-agenda", session.pk), {"template": "advice"})
    assert response.status_code == 409  # a step is ticked
    assert response.json()["error"]["code"] == "conflict"
    response = mentor_api.put(api("sessions-agenda", session.pk), {"template": "nonsense"})
    assert response.status_code == 400 and "template" in response.json()["error"]["fields"]


def test_it_refuses_a_stale_shared_notes_save_with_both_texts(session, mentee_api, mentor_api):
    url = api("sessions-shared-notes", session.pk)
    response = mentee_api.put(url, {"body": "Mentee's words", "version": 0})
    assert response.status_code == 200 and response.json()["version"] == 1

    response = mentor_api.put(url, {"body": "Mentor's words", "version": 0})
    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "notes_conflict"
    assert body["current"]["body"] == "Mentee's words" and body["current"]["version"] == 1
    assert body["yours"] == "Mentor's words"
    assert mentor_api.get(url).json()["body"] == "Mentee's words"

    response = mentor_api.put(url, {"body": "Mentee's words\nMentor's words", "version": 1})
    assert response.status_code == 200 and response.json()["version"] == 2


def test_it_needs_a_version_to_save_shared_notes(session, mentee_api):
    response = mentee_api.put(api("sessions-shared-notes", session.pk), {"body": "x"})
    assert response.status_code == 400
    assert "version" in response.json()["error"]["fields"]


def test_it_serves_only_my_own_private_notes(session, mentee, mentor, mentee_api, mentor_api):
    url = api("sessions-private-notes", session.pk)
    assert mentor_api.put(url, {"body": "Mentor's secret"}).status_code == 200
    assert mentor_api.get(url).json()["body"] == "Mentor's secret"
    assert mentee_api.get(url).json() == {"body": "", "updated_at": None}
    mentee_api.put(url, {"body": "Mentee's secret"})
    assert PrivateNote.objects.get(author=mentor).body == "Mentor's secret"
    assert PrivateNote.objects.get(author=mentee).body == "Mentee's secret"


def test_it_records_the_debrief(session, mentee_api, mentor_api):
    url = api("sessions-debrief", session.pk)
    assert mentee_api.get(url).json()["takeaways"] == []
    response = mentee_api.patch(
        url,
        {
            "takeaways": ["Decide the sample size first"],
            "resources": [{"title": "Calc", "url": "https://example.org/calc"}],
            "outcome": "partly",
            "rating": 4,
        },
    )
    assert response.status_code == 200
    assert response.json()["rating"] == 4
    response = mentor_api.patch(url, {"rating": 5})
    assert response.status_code == 400 and "rating" in response.json()["error"]["fields"]
    response = mentee_api.patch(url, {"resources": [{"title": "Calc", "url": "http://example.org"}]})
    assert response.status_code == 400 and "resources" in response.json()["error"]["fields"]
    assert Debrief.objects.get(session=session).resources == [
        {"title": "Calc", "url": "https://example.org/calc"}
    ]


def test_a_resource_with_misnamed_keys_is_a_400_not_dropped(session, mentee_api):
    """A resource is {title, url}: one sent as {titel, link} was a blank row, dropped quietly (a 200 with no
    resource), so the client believed the link saved."""
    url = api("sessions-debrief", session.pk)
    response = mentee_api.patch(url, {"resources": [{"titel": "Calc", "link": "https://example.org/calc"}]})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "resources": [
            "Item 1: titel: This operation has no such field.",
            "Item 1: link: This operation has no such field.",
        ]
    }
    assert mentee_api.get(url).json()["resources"] == []


def test_it_endorses_through_the_api(session, mentor_api, mentee_api, skill):
    url = api("sessions-endorse", session.pk)
    response = mentee_api.post(url, {"skill": skill.pk})
    assert response.status_code == 400
    response = mentor_api.post(url, {"skill": skill.pk})
    assert response.status_code == 201 and response.json()["skill"]["name"] == "A/B testing"
    assert Endorsement.objects.count() == 1
    assert mentor_api.post(url, {"skill": 999999}).status_code == 400


def test_endorsing_again_answers_the_endorsement_with_200_as_the_endorsements_list_does(
    session, mentor_api, skill
):
    url = api("sessions-endorse", session.pk)
    first = mentor_api.post(url, {"skill": skill.pk})

    again = mentor_api.post(url, {"skill": skill.pk})

    assert first.status_code == 201 and again.status_code == 200, again.content
    assert not again.has_header("Location")
    assert again.json() == first.json()
    listed = mentor_api.get(first["Location"]).json()
    assert first.json() == listed  # the one representation of an endorsement, as GET /endorsements/<id>/


def test_it_reports_attendance(session, mentee, mentor_api):
    url = api("sessions-attendance", session.pk)
    response = mentor_api.post(url, {"kind": "no_show"})
    assert response.status_code == 200
    assert response.json()[0]["absent"]["display_name"] == "Nico Mentee"
    upcoming = SessionFactory(mentee=mentee, mentor=session.mentor)
    response = mentor_api.post(api("sessions-attendance", upcoming.pk), {"kind": "happened"})
    assert response.status_code == 409


def test_it_tells_me_whether_booking_is_paused(mentee, mentor, mentee_api):
    assert mentee_api.get(api("sessions-booking-pause")).json()["paused"] is False
    for _ in range(2):
        AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    body = mentee_api.get(api("sessions-booking-pause")).json()
    assert body["paused"] is True and body["reason"].startswith("Booking is paused")
    assert body["reliability"] == "attended 0 of 2"


def test_it_works_with_a_personal_access_token(session, mentee):
    from openhelp.platform.accounts.models import AccessToken

    raw = AccessToken.generate_key()
    AccessToken.objects.create(user=mentee, name="cli", key_hash=AccessToken.hash_key(raw))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(api("sessions-detail", session.pk)).status_code == 200


def test_it_documents_every_endpoint_in_the_schema(client):
    schema = openapi_schema()
    for path in (
        "/api/v1/sessions/",
        "/api/v1/sessions/{id}/",
        "/api/v1/sessions/{id}/agenda/",
        "/api/v1/sessions/{id}/agenda/{step_id}/",
        "/api/v1/sessions/{id}/shared-notes/",
        "/api/v1/sessions/{id}/private-notes/",
        "/api/v1/sessions/{id}/debrief/",
        "/api/v1/sessions/{id}/endorse/",
        "/api/v1/sessions/{id}/attendance/",
        "/api/v1/sessions/booking-pause/",
        "/api/v1/sessions/export/",
        "/api/v1/sessions/organiser/pauses/",
        "/api/v1/sessions/organiser/pauses/{user_id}/lift/",
    ):
        assert path in schema["paths"], path
    assert "409" in schema["paths"]["/api/v1/sessions/{id}/shared-notes/"]["put"]["responses"]


def test_a_plan_edit_of_a_finished_session_is_a_documented_409(mentee, mentor, mentee_api):
    """The objective and questions are the record once a session is over: a 409, which the schema lists
    (it listed 200, 400 and 404 only, so a generated client met a status it was not told about)."""
    finished = SessionFactory(mentee=mentee, mentor=mentor, state=SessionState.CANCELLED)
    response = mentee_api.patch(api("sessions-detail", finished.pk), {"objective": "Later"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    assert "409" in openapi_schema()["paths"]["/api/v1/sessions/{id}/"]["patch"]["responses"]


def test_it_never_touches_steps_of_another_session(session, mentor_api, mentee, mentor):
    other = SessionFactory(mentee=mentee, mentor=mentor)
    step = AgendaStep.objects.create(session=other, title="Elsewhere")
    response = mentor_api.patch(api("sessions-agenda-step", session.pk, step.pk), {"done": True})
    assert response.status_code == 404


def test_it_reads_a_session_made_without_shared_notes(mentee, mentor, mentee_api):
    from openhelp.help.mentoring.models import Session

    bare = Session.objects.create(mentee=mentee, mentor=mentor, title="Made elsewhere")
    response = mentee_api.get(api("sessions-detail", bare.pk))
    assert response.status_code == 200
    assert response.json()["shared_notes"]["version"] == 0
