"""What the session pages do that the API now does too: the export of one's own sessions (the same document
as the web's export.json), applying an agenda template, and, for organisers, the people whose booking is
paused for no-shows and lifting a pause. The access matrix for them is in test_access.py."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.help.mentoring import agenda, attendance, debriefs, services
from openhelp.help.mentoring.models import BookingPauseLift
from tests.factories_mentoring import AttendanceFactory, past_session, person
from tests.harness.queries import assert_constant_queries

from .conftest import client_for

pytestmark = pytest.mark.django_db

PAUSES = "/api/v1/sessions/organiser/pauses/"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def lift_url(user) -> str:
    return reverse("api:sessions-pause-lift", args=[user.pk])


@pytest.fixture
def session(mentee, mentor, skill):
    """A past session with an agenda, shared notes, both private notes and a debrief."""
    session = past_session(mentee=mentee, mentor=mentor, skills=[skill], title="Read my A/B test")
    services.apply_agenda_template(session=session, actor=mentor, template=agenda.ADVICE)
    services.save_shared_notes(session=session, author=mentee, body="Sample size first.", version=0)
    services.save_private_note(session=session, author=mentee, body="Mentee's own thoughts")
    services.save_private_note(session=session, author=mentor, body="Mentor's own thoughts")
    debriefs.record_debrief(
        session=session, actor=mentee, takeaways=["Decide the sample size first"], rating=4, outcome="solved"
    )
    return session


@pytest.fixture
def paused(mentee, mentor):
    """The mentee missed two calls: with the default policy (2 in 60 days) their booking is paused."""
    for _ in range(2):
        AttendanceFactory(session=past_session(mentee=mentee, mentor=mentor))
    assert attendance.booking_paused_reason(mentee) is not None
    return mentee


# --- The export ---------------------------------------------------------------------------------------


def test_the_api_export_is_the_web_export_for_each_participant(session, mentee, mentor):
    for user in (mentee, mentor):
        response = api_for(user).get(reverse("api:sessions-export"))
        assert response.status_code == 200
        web = json.loads(client_for(user).get(reverse("mentoring:export")).content)
        assert response.json() == web
    mine = api_for(mentee).get(reverse("api:sessions-export")).json()["sessions"]
    assert [(row["title"], row["role"], row["with"]) for row in mine] == [
        ("Read my A/B test", "mentee", "Mira Mentor")
    ]
    assert mine[0]["my_private_notes"] == "Mentee's own thoughts"
    assert mine[0]["debrief"]["takeaways"] == ["Decide the sample size first"]
    assert "Mentor's own thoughts" not in json.dumps(mine)


def test_the_export_holds_no_session_of_someone_else(session, stranger, organiser):
    for user in (stranger, organiser):
        assert api_for(user).get(reverse("api:sessions-export")).json() == {"sessions": []}


def test_the_export_asks_an_anonymous_caller_to_sign_in(session):
    response = APIClient().get(reverse("api:sessions-export"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_exports_in_the_api_without_n_plus_one(mentee, mentor, skill):
    from tests.factories_mentoring import make_sessions

    client = api_for(mentee)
    assert_constant_queries(
        grow=lambda n: make_sessions(n, mentee=mentee, mentor=mentor, skills=[skill], past=True),
        action=lambda: client.get(reverse("api:sessions-export")),
    )


# --- Agenda templates ---------------------------------------------------------------------------------


def test_the_api_applies_an_agenda_template_as_the_web_does(mentee, mentor, skill):
    by_api, by_web = (past_session(mentee=mentee, mentor=mentor, skills=[skill]) for _ in range(2))
    response = api_for(mentee).put(reverse("api:sessions-agenda", args=[by_api.pk]), {"template": "review"})
    assert response.status_code == 200
    web = client_for(mentee).post(
        reverse("mentoring:agenda-template", args=[by_web.pk]), {"template": "review"}
    )
    assert web.status_code == 302
    expected = [step.title for step in agenda.TEMPLATES[agenda.REVIEW].steps]
    assert [step["title"] for step in response.json()] == expected
    assert [step.title for step in by_web.steps.all()] == expected
    by_api.refresh_from_db()
    assert by_api.agenda_template == "review"


def test_an_agenda_template_names_an_unknown_field(mentee, mentor):
    session = past_session(mentee=mentee, mentor=mentor)
    url = reverse("api:sessions-agenda", args=[session.pk])
    response = api_for(mentee).put(url, {"template": "review", "templat": "advice"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"templat": ["This operation has no such field."]}
    assert not session.steps.exists()


# --- No-show pauses (organisers) ----------------------------------------------------------------------


def test_an_organiser_lists_the_paused_people_as_the_page_does(paused, mentor, organiser):
    response = api_for(organiser).get(PAUSES)
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "person": {"id": paused.pk, "display_name": "Nico Mentee", "profile_id": paused.profile.pk},
            "missed": 2,
        }
    ]
    assert [(p.pk, n) for p, n in attendance.paused_people()] == [(paused.pk, 2)]


def test_an_organiser_lifts_a_pause(paused, organiser):
    response = api_for(organiser).post(lift_url(paused), {"note": "  Was ill,   sorry "}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["person"] == {"id": paused.pk, "display_name": "Nico Mentee", "profile_id": paused.profile.pk}
    assert body["lifted_by"]["id"] == organiser.pk and body["note"] == "Was ill, sorry"
    assert attendance.booking_paused_reason(paused) is None
    assert api_for(organiser).get(PAUSES).json()["results"] == []
    lift = BookingPauseLift.objects.get(user=paused)
    assert lift.lifted_by == organiser and lift.note == "Was ill, sorry"


def test_lifting_without_a_note_is_fine(paused, organiser):
    assert api_for(organiser).post(lift_url(paused)).status_code == 200
    assert BookingPauseLift.objects.get(user=paused).note == ""


def test_lifting_refuses_bad_input_and_changes_nothing(paused, organiser):
    client = api_for(organiser)
    long = client.post(lift_url(paused), {"note": "x" * 301}, format="json")
    assert long.status_code == 400 and list(long.json()["error"]["fields"]) == ["note"]
    typo = client.post(lift_url(paused), {"notes": "Was ill"}, format="json")
    assert typo.status_code == 400
    assert typo.json()["error"]["fields"] == {"notes": ["This operation has no such field."]}
    assert not BookingPauseLift.objects.exists()
    assert attendance.booking_paused_reason(paused) is not None


def test_lifting_for_nobody_is_a_404(organiser):
    response = api_for(organiser).post(reverse("api:sessions-pause-lift", args=[987654]))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_only_organisers_see_or_lift_pauses(paused, mentor, stranger):
    for user in (paused, mentor, stranger):
        client = api_for(user)
        assert client.get(PAUSES).status_code == 404
        assert client.post(lift_url(paused), {"note": "let me"}, format="json").status_code == 404
    anonymous = APIClient()
    assert anonymous.get(PAUSES).status_code == 401
    assert anonymous.post(lift_url(paused)).status_code == 401
    assert not BookingPauseLift.objects.exists()


def test_a_bad_page_of_pauses_is_a_400(paused, organiser):
    response = api_for(organiser).get(PAUSES, {"page": "first"})
    assert response.status_code == 400 and "page" in response.json()["error"]["fields"]


@override_settings(NO_SHOW_POLICY={"MAX_NO_SHOWS": 2, "WINDOW_DAYS": 60})
def test_it_lists_paused_people_without_n_plus_one(organiser, mentor):
    def grow(n):
        for _ in range(max(1, n // 50)):
            absent = person("Often absent")
            for _ in range(2):
                AttendanceFactory(session=past_session(mentee=absent, mentor=mentor))

    client = api_for(organiser)
    assert_constant_queries(grow=grow, action=lambda: client.get(PAUSES, {"page_size": 100}))


# --- The figures of the organisers' sessions page ---------------------------------------------------------

FIGURES = "/api/v1/sessions/organiser/figures/"


def test_an_organiser_reads_the_session_figures_the_page_shows(session, organiser, stranger):
    """The page's counts (sessions, outcomes, ratings, published) had no API counterpart."""
    response = api_for(organiser).get(FIGURES)
    assert response.status_code == 200
    body = response.json()
    assert body["period_days"] == 30 and body["total"] == 1
    assert body["outcomes"] == {"solved": 1, "partly": 0, "not_yet": 0}
    assert body["ratings"] == 1 and body["average_rating"] is None  # one rating would point at one person
    assert body["no_show_policy"] == {"max_no_shows": 2, "window_days": 60}
    page = client_for(organiser).get(reverse("mentoring:organiser"))
    assert page.context["figures"]["total"] == body["total"]
    assert api_for(stranger).get(FIGURES).status_code == 404
