"""A create answers 201 with ``Location``: the address where a client reads the new object again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import SkillFactory, make_access_token
from tests.harness.openapi import openapi_schema


def _api(user) -> Client:
    _, raw_key = make_access_token(user)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def _follow(client: Client, response) -> dict:
    assert response.status_code == 201, response.content
    assert response["Location"].startswith("http://testserver/api/v1/")
    again = client.get(response["Location"])
    assert again.status_code == 200
    return again.json()


@pytest.mark.django_db
def test_it_says_where_a_new_ask_goal_and_moment_are(owner):
    client, skill = _api(owner), SkillFactory(name="Python")
    made = [
        client.post(
            "/api/v1/asks/",
            {"title": "Help", "objective": "ship", "preparation_questions": ["Why?"], "skills": [skill.pk]},
            content_type="application/json",
        ),
        client.post(
            "/api/v1/goals/",
            {
                "title": "Learn",
                "skills": [skill.pk],
                "target_date": str(dt.date.today() + dt.timedelta(days=30)),
            },
            content_type="application/json",
        ),
        client.post(
            "/api/v1/moments/", {"kind": "insight", "note": "Shared a trick"}, content_type="application/json"
        ),
    ]
    for response in made:
        assert _follow(client, response)["id"] == response.json()["id"]


@pytest.mark.django_db
def test_it_says_where_a_new_programme_is(organiser):
    client = _api(organiser)
    response = client.post(
        "/api/v1/programmes/",
        {"name": "Guild", "code_of_conduct": "Be kind."},
        content_type="application/json",
    )
    assert _follow(client, response)["name"] == "Guild"


def test_the_schema_names_the_header():
    created = openapi_schema()["paths"]["/api/v1/asks/"]["post"]["responses"]["201"]
    assert created["headers"]["Location"]["schema"] == {"type": "string", "format": "uri"}
