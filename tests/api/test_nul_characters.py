"""No text in any request may hold U+0000: PostgreSQL can neither store nor compare it, so a NUL that reached
a query answered 500 there (found by the schemathesis probe on PATCH /office-hours/{id}/ and PUT /goals/{id}/).
Every API body (JSON; multipart where a file is uploaded) refuses it as a field error before any view looks
at it; the web's skill field refuses it before looking the skill up."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from openhelp.directory.skills.forms import SkillField
from tests.factories import make_access_token


@pytest.fixture
def api(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def test_a_json_body_with_a_nul_is_a_field_error(api):
    body = json.dumps({"title": "Learn", "skills": ["Pyth\x00on"], "target_date": "2031-01-01"})
    response = api.post("/api/v1/goals/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "skills": ["Text may not contain the NUL character (U+0000)."]
    }


def test_a_multipart_body_with_a_nul_is_a_field_error(organiser):
    """Multipart is read only where a file is uploaded: the people import."""
    _, raw_key = make_access_token(organiser)
    api = Client(headers={"Authorization": f"Bearer {raw_key}"})
    response = api.post("/api/v1/people/import/preview/", {"csv": "a\x00b"})  # the test client's multipart
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"csv": ["Text may not contain the NUL character (U+0000)."]}


def test_the_skill_field_refuses_a_nul_before_looking_it_up(db, django_assert_num_queries):
    field = SkillField()
    with django_assert_num_queries(0), pytest.raises(Exception, match="Null characters are not allowed"):
        field.clean("Pyth\x00on")
