"""A PATCH changes what it is sent and nothing else, and its schema says which fields it needs.

drf-spectacular describes every PATCH body with all its fields optional (a ``Patched…`` component), as a
partial update would take it. Two ways that was not what the API did, each met by a client built from the
schema:
- the calendar choice (``PATCH /calendars/connection/``) took a field left out as "none": choosing only the
  calendar to write bookings into stopped reading busy times, and threw the busy times away;
- four PATCHes that set one thing (tick a step, reminder times, a member's role, a ranker switch) answered
  ``{}`` with a 400 "This field is required." that their schema said could not happen.
"""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.directory.calendars.models import BusyInterval, CalendarConnection
from openhelp.platform.lib.clock import now
from tests.factories import UserFactory, make_access_token
from tests.factories_calendars import connect_directly
from tests.harness.openapi import openapi_schema

WORK, HOME = "https://cal.example.org/mira/work/", "https://cal.example.org/mira/home/"


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


@pytest.mark.django_db
def test_choosing_where_bookings_go_keeps_where_busy_times_come_from():
    mira = UserFactory()
    connection = connect_directly(
        mira, server_url="https://cal.example.org/", username="mira", password="secret-pw", calendar_url=WORK
    )
    CalendarConnection.objects.filter(pk=connection.pk).update(
        calendars=[{"url": WORK, "name": "Work"}, {"url": HOME, "name": "Home"}]
    )
    BusyInterval.objects.create(
        connection=connection, user=mira, href=WORK + "a.ics", uid="a", starts_at=now(), ends_at=now()
    )

    response = _api(mira).patch(
        "/api/v1/calendars/connection/", {"write_calendar_url": HOME}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["busy_calendar_url"] == WORK and response.json()["write_calendar_url"] == HOME
    assert BusyInterval.objects.filter(connection=connection).count() == 1  # nothing to read again

    cleared = _api(mira).patch(
        "/api/v1/calendars/connection/", {"write_calendar_url": ""}, content_type="application/json"
    )
    assert cleared.json()["busy_calendar_url"] == WORK and cleared.json()["write_calendar_url"] == ""


def _patch_body(path: str) -> dict:
    schema = openapi_schema()
    ref = schema["paths"][path]["patch"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/sessions/{id}/agenda/{step_id}/", "done"),
        ("/api/v1/calendar/", "reminder_minutes"),
        ("/api/v1/programmes/{id}/members/{user_id}/", "role"),
        ("/api/v1/matching/rankers/{id}/", "use_defaults"),
    ],
)
def test_a_patch_that_sets_one_thing_says_it_needs_it(path, field):
    body = _patch_body(path)
    assert body.get("required") == [field]
    assert openapi_schema()["paths"][path]["patch"]["requestBody"].get("required") is True


def test_the_other_patches_need_nothing():
    """Sent only what changes: every other PATCH body in the schema requires no field."""
    schema = openapi_schema()
    needing = {}
    for path, operations in schema["paths"].items():
        if "patch" not in operations or "requestBody" not in operations["patch"]:
            continue
        required = _patch_body(path).get("required", [])
        if required:
            needing[path] = required
    assert set(needing) == {
        "/api/v1/sessions/{id}/agenda/{step_id}/",
        "/api/v1/calendar/",
        "/api/v1/programmes/{id}/members/{user_id}/",
        "/api/v1/matching/rankers/{id}/",
    }, needing
