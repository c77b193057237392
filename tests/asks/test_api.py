"""The asks API: writing, reading, editing, the lifecycle steps, 409 bodies, the thread, lists without N+1."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.help.asks.models import Ask, AskEvent, AskState
from openhelp.platform.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories_asks import AskFactory, MessageFactory, ask_in_state, make_asks
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def v1(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(mentee):
    return api_for(mentee)


NEW_ASK = {
    "title": "First A/B test analysis",
    "objective": "decide whether to ship",
    "context": "Tried a <script>x</script> **t-test**",
    "preparation_questions": ["Which test?"],
    "skills": ["k8s", "Python"],
    "format": "async",
    "urgency": "today",
    "languages": ["en"],
}


def test_it_creates_a_draft_resolving_skill_aliases(api, mentee, skills):
    response = api.post(v1("asks-list"), NEW_ASK, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft"
    assert [s["name"] for s in body["skills"]] == sorted(["Kubernetes", "Python"]) or {
        s["name"] for s in body["skills"]
    } == {"Kubernetes", "Python"}
    assert body["languages"] == ["en"]
    assert "<script" not in body["context_html"] and "<strong>t-test</strong>" in body["context_html"]
    assert body["mentee"]["display_name"] == "Olivia Owner"
    assert body["estimated_wait"]["basis"] is None  # no history at all: no number, but what happens next
    assert body["estimated_wait"]["text"].startswith("No asks have been accepted here yet")
    assert "the 3 best-matched experts first" in body["estimated_wait"]["text"]
    assert Ask.objects.get().mentee == mentee


def test_it_answers_structured_400s_naming_each_field(api, skills):
    response = api.post(
        v1("asks-list"),
        {
            **NEW_ASK,
            "title": "",
            "preparation_questions": [],
            "skills": ["Nonexistent skill"],
            "format": "call90",
        },
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert {"skills", "format"} <= set(error["fields"])


def test_it_answers_a_rule_broken_in_the_service_as_a_400(api, skills):
    response = api.post(v1("asks-list"), {**NEW_ASK, "preparation_questions": [" "]}, format="json")

    assert response.status_code == 400
    assert "preparation_questions" in response.json()["error"]["fields"]


def test_it_edits_while_editable_and_answers_409_after(api, mentee, skills):
    ask = AskFactory(mentee=mentee)
    response = api.patch(v1("asks-detail", ask.pk), {"title": "Sharper", "skills": ["Django"]}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Sharper"
    assert [s["name"] for s in response.json()["skills"]] == ["Django"]

    accepted = ask_in_state(AskState.ACCEPTED, mentee=mentee, title="Kept")
    response = api.patch(v1("asks-detail", accepted.pk), {"title": "Too late"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "This ask is “Accepted”: it can no longer be edited once an expert has accepted it.",
        }
    }
    accepted.refresh_from_db()
    assert accepted.title == "Kept"


def test_it_answers_409_with_the_reason_for_an_illegal_transition(api, mentee):
    ask = ask_in_state(AskState.COMPLETED, mentee=mentee)

    response = api.post(v1("asks-cancel", ask.pk), {"reason": "changed my mind"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "conflict",
        "message": "This ask is “Completed”, so it cannot become “Cancelled”.",
    }


def test_it_answers_403_with_a_message_for_the_wrong_role(mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)

    response = api_for(helper).post(v1("asks-complete", ask.pk))

    assert response.status_code == 403
    assert "Only the person who wrote the ask" in response.json()["error"]["message"]


def test_it_answers_404_for_someone_elses_ask_and_thread(api):
    other = ask_in_state(AskState.ACCEPTED)

    for url in (v1("asks-detail", other.pk), v1("asks-messages", other.pk), v1("asks-timeline", other.pk)):
        assert api.get(url).status_code == 404


def test_it_runs_the_async_loop_through_the_api(mentee, helper, co_asker):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper, co_askers=[co_asker])
    mentee_api, helper_api = api_for(mentee), api_for(helper)

    posted = helper_api.post(v1("asks-messages", ask.pk), {"body": "Use **chi-squared**"}, format="json")
    assert posted.status_code == 201
    assert "<strong>chi-squared</strong>" in posted.json()["body_html"]
    assert Notification.objects.filter(event="ask.message.received").count() == 2

    assert helper_api.post(v1("asks-answered", ask.pk), {}, format="json").json()["state"] == "answered"
    followed = mentee_api.post(v1("asks-follow-up", ask.pk), {"body": "Small samples?"}, format="json")
    assert followed.json()["state"] == "accepted"
    assert helper_api.post(v1("asks-answered", ask.pk), {"body": "Fisher."}, format="json").status_code == 200
    assert mentee_api.post(v1("asks-complete", ask.pk)).json()["state"] == "completed"

    thread = mentee_api.get(v1("asks-messages", ask.pk)).json()
    assert [m["body"] for m in thread["results"]] == ["Use **chi-squared**", "Small samples?", "Fisher."]
    timeline = mentee_api.get(v1("asks-timeline", ask.pk)).json()["results"]
    assert [row["kind"] for row in timeline] == ["answered", "follow_up", "answered", "completed"]
    assert timeline[-1]["who"] == "You"


def test_it_schedules_a_call_through_the_api(mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)

    bad = api_for(helper).post(
        v1("asks-schedule", ask.pk), {"scheduled_for": "2001-01-01T10:00:00Z", "place": "x"}, format="json"
    )
    assert bad.status_code == 400
    assert "scheduled_for" in bad.json()["error"]["fields"]

    good = api_for(helper).post(
        v1("asks-schedule", ask.pk),
        {"scheduled_for": "2099-01-01T10:00:00+01:00", "place": "Room 2"},
        format="json",
    )
    assert good.status_code == 200
    assert good.json()["state"] == "scheduled"
    assert good.json()["scheduled_place"] == "Room 2"


def test_it_sets_co_askers_by_user_id(api, mentee, co_asker):
    ask = AskFactory(mentee=mentee)

    response = api.post(v1("asks-co-askers", ask.pk), {"co_askers": [co_asker.pk]}, format="json")

    assert response.status_code == 200
    # Asked, not added: they join when they accept (tests/asks/test_co_asker_consent.py).
    assert response.json()["co_askers"] == []
    assert response.json()["invited_co_askers"] == [
        {"id": co_asker.pk, "display_name": "Cody Coasker", "profile_id": co_asker.profile.pk}
    ]
    too_many = api.post(
        v1("asks-co-askers", ask.pk), {"co_askers": [UserFactory().pk for _ in range(5)]}, format="json"
    )
    assert too_many.status_code == 400


def test_it_lists_my_asks_and_those_i_co_ask_but_not_those_i_help(api, mentee, co_asker, helper):
    mine = AskFactory(mentee=mentee)
    co_asked = AskFactory(mentee=co_asker, co_askers=[mentee])
    ask_in_state(AskState.ACCEPTED, mentee=co_asker, helper=mentee)
    AskFactory()

    ids = [row["id"] for row in api.get(v1("asks-list")).json()["results"]]

    assert sorted(ids) == sorted([mine.pk, co_asked.pk])


def test_it_shows_how_many_experts_an_ask_is_offered_to_never_who(api, mentee):
    from openhelp.help.routing.models import Offer

    ask = ask_in_state(AskState.OFFERED, mentee=mentee)
    mentors = [UserFactory() for _ in range(3)]
    for mentor in mentors:
        Offer.objects.create(ask=ask, mentor=mentor, expires_at=ask.published_at.replace(year=2099))

    body = api.get(v1("asks-detail", ask.pk)).json()

    assert body["offered_count"] == 3
    assert body["status"] == "Offered to 3 experts; the first to accept takes it."
    text = str(body) + api.get(v1("asks-timeline", ask.pk)).content.decode()
    assert not any(m.email in text or m.display_name in text for m in mentors)


def test_it_suggests_skills_through_the_api(api, skills):
    response = api.post(
        v1("asks-suggest-skills"), {"text": "Django on k8s", "skills": ["Django"]}, format="json"
    )

    assert response.status_code == 200
    assert [s["name"] for s in response.json()["results"]] == ["Kubernetes"]
    assert "experts_text" in response.json()


def test_it_lists_asks_in_constant_queries(api, mentee, co_asker, skills):
    def grow(n):
        make_asks(n, mentee=mentee, skills=[skills["python"], skills["django"]], co_asker=co_asker)

    assert_constant_queries(grow=grow, action=lambda: api.get(v1("asks-list"), {"page_size": 100}))


def test_it_lists_the_thread_in_constant_queries(api, mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)

    def grow(n):
        for i in range(n):
            MessageFactory(ask=ask, author=helper if i % 2 else mentee)

    assert_constant_queries(
        grow=grow, action=lambda: api.get(v1("asks-messages", ask.pk), {"page_size": 100}), large=60
    )


def test_it_documents_every_ask_endpoint_in_the_schema(api):
    schema = openapi_schema()

    paths = [p for p in schema["paths"] if p.startswith("/api/v1/asks/")]
    for suffix in (
        "",
        "suggest-skills/",
        "{id}/",
        "{id}/publish/",
        "{id}/cancel/",
        "{id}/messages/",
        "{id}/answered/",
        "{id}/complete/",
        "{id}/follow-up/",
        "{id}/schedule/",
        "{id}/timeline/",
    ):
        assert f"/api/v1/asks/{suffix}" in paths, suffix
    assert "409" in schema["paths"]["/api/v1/asks/{id}/cancel/"]["post"]["responses"]


def test_it_records_the_timeline_with_who_when_and_why(api, mentee, skills):
    created = api.post(v1("asks-list"), NEW_ASK, format="json").json()
    api.post(v1("asks-cancel", created["id"]), {"reason": "Solved it"}, format="json")

    events = list(AskEvent.objects.filter(ask_id=created["id"]).values_list("kind", "actor", "note"))

    assert events == [("created", mentee.pk, "Saved as a draft."), ("cancelled", mentee.pk, "Solved it")]


def test_it_takes_a_left_out_title_from_the_objective_and_the_schema_says_so(api, skills):
    without_title = {name: value for name, value in NEW_ASK.items() if name != "title"}

    response = api.post(v1("asks-list"), without_title, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["title"] == "Decide whether to ship"  # NEW_ASK's objective, capitalised
    schema = openapi_schema()["components"]["schemas"]
    body = schema["AskInputRequest"]
    assert "title" in body["properties"]
    assert "title" not in body.get("required", [])
    assert "objective" in body["required"]


def test_my_asks_filter_open_or_closed_as_the_pages_tabs_do(api, mentee):
    """The asks page has two tabs (open and closed); the API listed everything, and ignored ?state=."""
    draft = AskFactory(mentee=mentee)
    done = ask_in_state(AskState.COMPLETED, mentee=mentee)
    every = {row["id"] for row in api.get(v1("asks-list")).json()["results"]}
    closed = {row["id"] for row in api.get(v1("asks-list"), {"closed": "true"}).json()["results"]}
    still_open = {row["id"] for row in api.get(v1("asks-list"), {"closed": "false"}).json()["results"]}
    assert every == {draft.pk, done.pk} and closed == {done.pk} and still_open == {draft.pk}
    refused = api.get(v1("asks-list"), {"closed": "maybe"})
    assert refused.status_code == 400 and "closed" in refused.json()["error"]["fields"]
