"""An accepted async ask can be debriefed, through the API and on the web: publish → accept → debrief with
takeaways → the session completes, the ask closes and the takeaways reach the library.

The debrief used to end in a RecursionError: a receiver that ran on every Session *load* read
``starts_at or created_at``, an async session has no start, and reading the deferred ``created_at`` of the
partial Session that ``refresh_from_db(fields=[…])`` builds loaded another partial Session, and so on.
Nothing runs on model load any more; the last tests hold that down for sessions and profiles.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.people.models import Profile
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring.models import Session, SessionFormat, SessionState
from openhelp.help.routing.models import Offer
from tests.factories import OpenToHelpProfileFactory, UserFactory
from tests.factories_mentoring import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(db):
    user = UserFactory(email="async-helper@example.org", with_profile=False)
    OpenToHelpProfileFactory(user=user, display_name="Hana Helper")
    return user


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def web_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_debriefed(ask_id: int, takeaways: list[str]) -> None:
    session = Session.objects.select_related("ask", "debrief").get(ask_id=ask_id)
    assert session.format == SessionFormat.ASYNC and session.starts_at is None
    assert session.state == SessionState.COMPLETED and session.completed_at is not None
    assert session.ask.state == AskState.COMPLETED
    assert session.debrief.takeaways == takeaways
    assert LibraryEntry.objects.get(debrief=session.debrief).takeaways == takeaways


def test_it_debriefs_an_accepted_async_ask_through_the_api(
    mentee, helper, skill, django_capture_on_commit_callbacks
):
    a, b = api_for(mentee), api_for(helper)
    new = {
        "title": "Read my EXPLAIN output",
        "objective": "know why the query is slow",
        "preparation_questions": ["Which index?"],
        "skills": [skill.name],
        "format": "async",
        "urgency": "today",
        "directed_to": helper.pk,
    }
    response = a.post(reverse("api:asks-list"), new, format="json")
    assert response.status_code == 201, response.json()
    ask_id = response.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert a.post(reverse("api:asks-publish", args=[ask_id]), format="json").status_code == 200
    offer = Offer.objects.get(ask_id=ask_id, mentor=helper)
    with django_capture_on_commit_callbacks(execute=True):
        assert b.post(reverse("api:offers-accept", args=[offer.pk]), format="json").status_code == 200
    session = Session.objects.get(ask_id=ask_id)
    url = reverse("api:sessions-debrief", args=[session.pk])

    response = a.patch(url, {"takeaways": ["x"]}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["takeaways"] == ["x"]
    assert a.patch(url, {"consents_to_publish": True}, format="json").status_code == 200
    assert b.patch(url, {"consents_to_publish": True}, format="json").status_code == 200
    assert_debriefed(ask_id, ["x"])


def test_it_debriefs_an_accepted_async_ask_on_the_web(
    mentee, helper, skill, django_capture_on_commit_callbacks
):
    a, b = web_for(mentee), web_for(helper)
    form = {
        "title": "Read my EXPLAIN output",
        "objective": "know why the query is slow",
        "question_1": "Which index?",
        "skill_1": skill.name,
        "format": "async",
        "urgency": "today",
        "publish": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = a.post(reverse("asks:new") + f"?directed_to={helper.pk}", form)
    assert response.status_code == 302
    ask = Ask.objects.get(mentee=mentee)
    offer = Offer.objects.get(ask=ask, mentor=helper)
    with django_capture_on_commit_callbacks(execute=True):
        assert b.post(reverse("routing:accept", args=[offer.pk])).status_code == 302
    session = Session.objects.get(ask=ask)
    url = reverse("mentoring:debrief", args=[session.pk])
    assert "Save the debrief" in a.get(url).content.decode()  # open from the acceptance on

    typed = {"takeaways": "Add an index on (team_id, created_at)", "consents_to_publish": "on"}
    response = a.post(url, typed)
    assert response.status_code == 302, response.content.decode()
    assert b.post(url, typed).status_code == 302  # the page sends back the whole (prefilled) form

    assert_debriefed(ask.pk, ["Add an index on (team_id, created_at)"])


def test_loading_a_session_does_no_work(mentee, mentor, django_assert_num_queries):
    pk = SessionFactory(mentee=mentee, mentor=mentor, format=SessionFormat.ASYNC, starts_at=None).pk

    with django_assert_num_queries(1):
        session = Session.objects.only("pk", "format").get(pk=pk)  # starts_at, created_at deferred
    with django_assert_num_queries(1):
        session.refresh_from_db(fields=["state", "completed_at"])
    assert session.state == SessionState.PLANNED


def test_loading_a_profile_does_no_work(mentee, django_assert_num_queries):
    with django_assert_num_queries(1):
        profile = Profile.objects.only("pk").get(user=mentee)  # team deferred
    with django_assert_num_queries(1):
        profile.refresh_from_db(fields=["display_name"])
