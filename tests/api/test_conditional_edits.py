"""Two people editing one object no longer overwrite each other unknowingly: a read answers an ``ETag``,
and a change sent with it as ``If-Match`` is refused with a 412 when the object changed since.

The debrief is the plain case: the mentor and the mentee both write its takeaways, and each save replaces
the list. Without the check the second save quietly dropped what the first had added. ``If-Match`` is
optional, so a client that does not send it changes things as before."""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.help.mentoring.models import Debrief
from tests.factories import make_access_token
from tests.factories_asks import AskFactory
from tests.factories_mentoring import past_session, person
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def _patch(client: Client, path: str, body: dict, **headers):
    return client.patch(path, body, content_type="application/json", headers=headers)


def test_a_debrief_saved_by_the_other_person_since_my_read_is_not_overwritten():
    session = past_session(mentee=person("Sam"), mentor=person("Priya"))
    path = f"/api/v1/sessions/{session.pk}/debrief/"
    mentee, mentor = _api(session.mentee), _api(session.mentor)
    read = mentee.get(path)
    assert read.status_code == 200 and read["ETag"]

    saved = _patch(mentor, path, {"takeaways": ["Read the plan first"]}, **{"If-Match": read["ETag"]})
    assert saved.status_code == 200
    stale = _patch(mentee, path, {"takeaways": ["Partial index"]}, **{"If-Match": read["ETag"]})

    assert stale.status_code == 412 and stale.json()["error"]["code"] == "changed_since_read"
    assert Debrief.objects.get(session=session).takeaways == ["Read the plan first"]
    fresh = mentee.get(path)
    assert fresh["ETag"] == saved["ETag"] != read["ETag"]  # a change's answer carries the new version
    merged = ["Read the plan first", "Partial index"]
    assert _patch(mentee, path, {"takeaways": merged}, **{"If-Match": fresh["ETag"]}).status_code == 200
    assert _patch(mentor, path, {"outcome": "solved"}).status_code == 200  # without If-Match: as before
    assert _patch(mentor, path, {"outcome": "solved"}, **{"If-Match": "*"}).status_code == 200


def test_an_ask_edited_since_it_was_read_is_not_overwritten():
    ask = AskFactory()
    api, path = _api(ask.mentee), f"/api/v1/asks/{ask.pk}/"
    first = api.get(path)["ETag"]
    assert _patch(api, path, {"title": "Faster"}, **{"If-Match": first}).status_code == 200

    stale = _patch(api, path, {"title": "Slower"}, **{"If-Match": first})

    assert stale.status_code == 412
    ask.refresh_from_db()
    assert ask.title == "Faster"


def test_the_schema_says_so():
    paths = openapi_schema()["paths"]
    for path, method in [
        ("/api/v1/sessions/{id}/debrief/", "patch"),
        ("/api/v1/sessions/{id}/", "patch"),
        ("/api/v1/asks/{id}/", "patch"),
        ("/api/v1/programmes/{id}/", "patch"),
        ("/api/v1/me/", "patch"),
    ]:
        operation = paths[path][method]
        assert "If-Match" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}, path
        assert "412" in operation["responses"], path
        assert "ETag" in operation["responses"]["200"]["headers"], path
        assert "ETag" in paths[path]["get"]["responses"]["200"]["headers"], path
