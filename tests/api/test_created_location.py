"""A create answers 201 with ``Location``: the address where a client reads the new object again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from openhelp.platform.lib.clock import now
from tests.factories import PASSWORD, SkillFactory, make_access_token
from tests.factories_mentoring import SessionFactory
from tests.factories_officehours import OfficeHoursFactory, book, first_slot, make_mentee, make_mentor
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


@pytest.mark.django_db
def test_a_create_whose_object_is_only_changed_or_removed_still_says_its_address(owner, owner_client):
    """A token, a waiting-list place, time off and an agenda step have an address where they are revoked,
    left, removed or ticked: the 201 says it, and it works there."""
    token = owner_client.post(
        "/api/v1/tokens/", {"name": "ci", "password": PASSWORD}, content_type="application/json"
    )
    assert owner_client.delete(token["Location"]).status_code == 204

    mentor, mentee = make_mentor(), make_mentee()
    block = OfficeHoursFactory(mentor=mentor)
    slot = first_slot(block)
    book(block, make_mentee())  # the slot is full: the next one waits
    waiting = _api(mentee).post(
        "/api/v1/waitlist/",
        {"office_hours": block.pk, "start": slot.start.isoformat(), "topic": "Indexes"},
        content_type="application/json",
    )
    assert waiting.status_code == 201, waiting.content
    assert _api(mentee).delete(waiting["Location"]).status_code == 204

    time_off = _api(mentor).post(
        "/api/v1/office-hours/time-off/",
        {"start_date": str(dt.date.today() + dt.timedelta(days=3))},
        content_type="application/json",
    )
    assert time_off.status_code == 201, time_off.content
    assert _api(mentor).delete(time_off["Location"]).status_code == 204

    session = SessionFactory(mentee=mentee, mentor=mentor, starts_at=now() + dt.timedelta(days=2))
    step = _api(mentor).post(
        f"/api/v1/sessions/{session.pk}/agenda/", {"title": "Read the plan"}, content_type="application/json"
    )
    assert step.status_code == 201, step.content
    ticked = _api(mentor).patch(step["Location"], {"done": True}, content_type="application/json")
    assert ticked.status_code == 200 and ticked.json()["id"] == step.json()["id"]
