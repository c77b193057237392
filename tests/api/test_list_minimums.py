"""A list the domain needs at least one item in says so in the schema (``minItems``), and ``[]`` is the 400
the schema then promises: an ask's skills and preparation questions, a goal's skills, an office-hours
block's weekdays, a change of notification preferences. schemathesis sent ``[]``, valid by the schema, and
met a 400 each time ("Schema-valid request rejected")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import SkillFactory, make_access_token
from tests.factories_asks import AskFactory
from tests.factories_officehours import OfficeHoursFactory, make_mentor
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db

BODIES = {
    "AskInputRequest": ("skills", "preparation_questions"),
    "PatchedAskInputRequest": ("skills", "preparation_questions"),
    "GoalInputRequest": ("skills",),
    "OfficeHoursInputRequest": ("weekdays",),
    "PatchedOfficeHoursInputRequest": ("weekdays",),
    "PreferencesUpdateRequest": ("preferences",),
}


@pytest.mark.parametrize(("component", "fields"), BODIES.items())
def test_the_schema_says_which_lists_need_an_item(component, fields):
    properties = openapi_schema()["components"]["schemas"][component]["properties"]
    for field in fields:
        assert properties[field]["minItems"] == 1, (component, field)


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def _refused(response, field: str) -> bool:
    return response.status_code == 400 and field in response.json()["error"]["fields"]


def test_an_empty_list_is_the_400_the_schema_promises():
    skill = SkillFactory()
    ask = AskFactory()
    api = _api(ask.mentee)
    write = {"title": "Help", "objective": "ship", "preparation_questions": ["Why?"], "skills": [skill.pk]}
    for field in ("skills", "preparation_questions"):
        assert _refused(
            api.post("/api/v1/asks/", {**write, field: []}, content_type="application/json"), field
        )
        edit = api.patch(f"/api/v1/asks/{ask.pk}/", {field: []}, content_type="application/json")
        assert _refused(edit, field)
    goal = {"title": "Learn", "skills": [], "target_date": str(dt.date.today() + dt.timedelta(days=30))}
    assert _refused(api.post("/api/v1/goals/", goal, content_type="application/json"), "skills")
    preferences = api.put(
        "/api/v1/notifications/preferences/", {"preferences": []}, content_type="application/json"
    )
    assert _refused(preferences, "preferences")

    mentor = make_mentor()
    block = OfficeHoursFactory(mentor=mentor)
    mentor_api = _api(mentor)
    new = {
        "weekdays": [],
        "start_time": "10:00",
        "end_time": "11:00",
        "slot_minutes": 30,
        "location_kind": "chat",
    }
    assert _refused(
        mentor_api.post("/api/v1/office-hours/", new, content_type="application/json"), "weekdays"
    )
    changed = mentor_api.patch(
        f"/api/v1/office-hours/{block.pk}/", {"weekdays": []}, content_type="application/json"
    )
    assert _refused(changed, "weekdays")
