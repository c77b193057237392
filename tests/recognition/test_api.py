"""The recognition API: kudos (give, mine, feed, one), endorsements, and what a person has given."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from openhelp.community.recognition import services
from openhelp.community.recognition.models import Endorsement, Kudos
from tests.factories import make_access_token
from tests.factories_recognition import make_kudos
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    _token, key = make_access_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_it_gives_kudos_by_name_or_alias_of_the_skill(mentee, mentor, skill):
    response = api_for(mentee).post(
        "/api/v1/kudos/", {"receiver": mentor.pk, "skill": "postgres", "message": "Thanks!"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["receiver"]["display_name"] == "Mira Mentor"
    assert body["skill"]["name"] == "PostgreSQL" and body["public"] is True


def test_it_answers_self_kudos_with_a_field_error(mentee):
    response = api_for(mentee).post("/api/v1/kudos/", {"receiver": mentee.pk}, format="json")
    assert response.status_code == 400
    assert "yourself" in response.json()["error"]["fields"]["receiver"][0]


def test_it_answers_bad_input_with_field_errors(mentee):
    response = api_for(mentee).post(
        "/api/v1/kudos/", {"receiver": 999999, "skill": "Klingon", "message": "x" * 300}, format="json"
    )
    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    assert set(fields) == {"receiver", "skill", "message"}


def test_it_answers_the_rate_limit_with_a_429_and_a_clear_message(mentee, mentor):
    for _ in range(services.kudos_per_day()):
        services._count_kudos(mentee)
    response = api_for(mentee).post("/api/v1/kudos/", {"receiver": mentor.pk}, format="json")
    assert response.status_code == 429
    assert "You have given 20 kudos today" in response.json()["error"]["message"]
    assert not Kudos.objects.exists()


def test_a_private_kudos_is_only_returned_to_its_two_people(mentee, mentor, stranger, organiser):
    private = services.give_kudos(giver=mentee, receiver=mentor, message="quiet", public=False)
    assert api_for(mentor).get(f"/api/v1/kudos/{private.pk}/").status_code == 200
    assert api_for(mentee).get(f"/api/v1/kudos/{private.pk}/").status_code == 200
    for outsider in (stranger, organiser):
        client = api_for(outsider)
        assert client.get(f"/api/v1/kudos/{private.pk}/").status_code == 404
        assert client.get("/api/v1/kudos/feed/").json()["results"] == []
        summary = client.get(f"/api/v1/people/{mentor.profile.pk}/recognition/").json()
        assert summary["kudos_received"] == 0 and summary["private_kudos_received"] == 0
    received = api_for(mentor).get("/api/v1/kudos/").json()["results"]
    assert [k["message"] for k in received] == ["quiet"]
    given = api_for(mentee).get("/api/v1/kudos/", {"direction": "given"}).json()["results"]
    assert [k["message"] for k in given] == ["quiet"]


def test_it_refuses_an_unknown_direction(mentee):
    response = api_for(mentee).get("/api/v1/kudos/", {"direction": "sideways"})
    assert response.status_code == 400 and "direction" in response.json()["error"]["fields"]


def test_the_mentor_endorses_through_the_api_idempotently(session, mentor, mentee, stranger):
    client = api_for(mentor)
    first = client.post(
        "/api/v1/endorsements/", {"session": session.pk, "skill": "PostgreSQL"}, format="json"
    )
    assert first.status_code == 201, first.content
    assert first.json()["text"].startswith("Demonstrated: PostgreSQL — endorsed by Mira Mentor, ")
    again = client.post("/api/v1/endorsements/", {"session": session.pk, "skill": "postgres"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert (
        api_for(mentee)
        .post("/api/v1/endorsements/", {"session": session.pk, "skill": "PostgreSQL"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_for(stranger)
        .post("/api/v1/endorsements/", {"session": session.pk, "skill": "PostgreSQL"}, format="json")
        .status_code
        == 404
    )
    listed = api_for(stranger).get("/api/v1/endorsements/", {"user": mentee.pk}).json()["results"]
    assert [e["skill"]["name"] for e in listed] == ["PostgreSQL"]
    endorsement_id = first.json()["id"]
    assert api_for(mentee).delete(f"/api/v1/endorsements/{endorsement_id}/").status_code == 403
    assert client.delete(f"/api/v1/endorsements/{endorsement_id}/").status_code == 204
    assert not Endorsement.objects.exists()


def test_the_feed_and_my_kudos_cost_the_same_queries_at_any_size(mentee, mentor, skill):
    client = api_for(mentor)
    client.get("/api/v1/kudos/")  # the token's first use is recorded once; keep it out of the count

    def grow(n):
        make_kudos(n, giver=mentee, receiver=mentor, skill=skill)

    assert_constant_queries(grow=grow, action=lambda: client.get("/api/v1/kudos/feed/"))
    assert_constant_queries(grow=grow, action=lambda: client.get("/api/v1/kudos/"))


def test_the_schema_documents_the_recognition_endpoints():
    schema = openapi_schema()  # validated against the OpenAPI specification
    for path in (
        "/api/v1/kudos/",
        "/api/v1/kudos/feed/",
        "/api/v1/kudos/{id}/",
        "/api/v1/endorsements/",
        "/api/v1/endorsements/{id}/",
        "/api/v1/people/{id}/recognition/",
    ):
        assert path in schema["paths"], path
    assert "429" in schema["paths"]["/api/v1/kudos/"]["post"]["responses"]
