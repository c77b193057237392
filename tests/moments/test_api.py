"""The moments and introductions API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from openhelp.community.moments import introductions as intros
from openhelp.community.moments.models import Moment
from tests.factories_moments import MomentFactory, make_moments
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_it_logs_lists_changes_and_deletes_my_moments(author, friend):
    client = api_for(author)
    created = client.post(
        "/api/v1/moments/", {"kind": "insight", "note": "Shared a trick", "person": friend.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["is_public"] is False and body["person"]["display_name"] == "Finn Friend"
    moment_id = body["id"]
    assert [m["id"] for m in client.get("/api/v1/moments/").json()["results"]] == [moment_id]
    changed = client.put(
        f"/api/v1/moments/{moment_id}/",
        {"kind": "feedback", "note": "Gave feedback", "is_public": True},
        format="json",
    )
    assert (
        changed.status_code == 200
        and changed.json()["is_public"] is True
        and changed.json()["person"] is None
    )
    assert client.delete(f"/api/v1/moments/{moment_id}/").status_code == 204
    assert not Moment.objects.exists()


def test_it_answers_bad_moments_with_field_errors(author):
    response = api_for(author).post(
        "/api/v1/moments/", {"kind": "gossip", "note": "", "person": 999999}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"kind", "person"}
    response = api_for(author).post("/api/v1/moments/", {"kind": "insight", "note": " "}, format="json")
    assert response.status_code == 400 and "note" in response.json()["error"]["fields"]


def test_someone_elses_moment_is_not_found(author, friend, organiser):
    moment = MomentFactory(author=author, is_public=True)
    for user in (friend, organiser):
        client = api_for(user)
        assert client.get(f"/api/v1/moments/{moment.pk}/").status_code == 404
        assert client.delete(f"/api/v1/moments/{moment.pk}/").status_code == 404
        assert client.get("/api/v1/moments/").json()["results"] == []


def test_it_reports_the_challenge(author):
    make_moments(2, author=author)
    body = api_for(author).get("/api/v1/moments/challenge/").json()
    assert body["goal"] == 3 and body["this_week"] == 2 and body["remaining"] == 1 and body["streak"] == 0


def test_introductions_through_the_api_hide_answers_from_the_introducer(author, friend, third):
    created = api_for(author).post(
        "/api/v1/introductions/", {"first": friend.pk, "second": third.pk, "note": "Meet!"}, format="json"
    )
    assert created.status_code == 201, created.content
    intro_id = created.json()["id"]
    assert created.json()["my_answer"] is None
    accepted = api_for(friend).post(
        f"/api/v1/introductions/{intro_id}/answer/", {"answer": "accept"}, format="json"
    )
    assert accepted.json()["my_answer"] == "accepted"
    seen = api_for(author).get(f"/api/v1/introductions/{intro_id}/").json()
    assert "first_answer" not in seen and "second_answer" not in seen
    assert seen["status"] == "Waiting for both to accept" and seen["my_answer"] is None
    assert (
        api_for(author)
        .post(f"/api/v1/introductions/{intro_id}/answer/", {"answer": "accept"}, format="json")
        .status_code
        == 403
    )
    again = api_for(friend).post(
        f"/api/v1/introductions/{intro_id}/answer/", {"answer": "decline"}, format="json"
    )
    assert again.status_code == 409
    assert (
        api_for(friend)
        .post(f"/api/v1/introductions/{intro_id}/messages/", {"body": "Hi"}, format="json")
        .status_code
        == 409
    )
    api_for(third).post(f"/api/v1/introductions/{intro_id}/answer/", {"answer": "accept"}, format="json")
    sent = api_for(third).post(
        f"/api/v1/introductions/{intro_id}/messages/", {"body": "Hi Finn"}, format="json"
    )
    assert sent.status_code == 201
    assert [
        m["body"]
        for m in api_for(friend).get(f"/api/v1/introductions/{intro_id}/messages/").json()["results"]
    ] == ["Hi Finn"]
    assert api_for(author).get(f"/api/v1/introductions/{intro_id}/messages/").status_code == 403


def test_a_declined_introduction_reads_not_this_time_to_everyone(author, friend, third):
    intro = intros.introduce(introducer=author, first=friend, second=third, note="Meet!")
    intros.answer(introduction=intro, person=third, accept=False)
    for user in (author, friend):
        assert api_for(user).get(f"/api/v1/introductions/{intro.pk}/").json()["status"] == "Not this time"


def test_bad_introductions_get_field_errors(author, friend):
    response = api_for(author).post(
        "/api/v1/introductions/", {"first": friend.pk, "second": friend.pk, "note": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"second", "note"}


def test_lists_cost_the_same_queries_at_any_size(author, friend):
    client = api_for(author)
    assert_constant_queries(
        grow=lambda n: make_moments(n, author=author, person=friend),
        action=lambda: client.get("/api/v1/moments/"),
    )


def test_the_schema_documents_the_moments_endpoints():
    paths = openapi_schema()["paths"]
    for path in (
        "/api/v1/moments/",
        "/api/v1/moments/{id}/",
        "/api/v1/moments/challenge/",
        "/api/v1/introductions/",
        "/api/v1/introductions/{id}/",
        "/api/v1/introductions/{id}/answer/",
        "/api/v1/introductions/{id}/messages/",
    ):
        assert path in paths, path
