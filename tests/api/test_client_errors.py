"""What a client gets when it gets something wrong: a specific 4xx in the one error shape, never a quiet
default, an HTML page or a redirect that turns a write into a read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import NotificationFactory, make_access_token
from tests.factories_asks import AskFactory
from tests.harness.openapi import openapi_schema


@pytest.fixture
def api(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def _fields(response) -> dict:
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response.json()["error"]["fields"]


@pytest.mark.parametrize("page_size", ["abc", "0", "-1", "101", "1.5"])
@pytest.mark.parametrize("path", ["/api/v1/notifications/", "/api/v1/people/"])
def test_it_refuses_a_page_size_that_is_not_one_to_a_hundred(api, path, page_size):
    response = api.get(path, {"page_size": page_size})
    assert response.status_code == 400
    assert _fields(response) == {"page_size": ["Give a number of items per page from 1 to 100."]}


def test_page_parameters_say_their_bounds():
    parameters = {
        p["name"]: p["schema"] for p in openapi_schema()["paths"]["/api/v1/asks/"]["get"]["parameters"]
    }
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert parameters["page"]["minimum"] == 1


@pytest.mark.parametrize("page", ["abc", "0", "-2"])
def test_it_refuses_a_page_that_is_not_a_number(api, page):
    response = api.get("/api/v1/notifications/", {"page": page})
    assert response.status_code == 400
    assert _fields(response) == {"page": ["Give a page number from 1, or “last”."]}


def test_a_page_past_the_last_says_which(api, owner):
    NotificationFactory(recipient=owner)
    assert api.get("/api/v1/notifications/", {"page": "last", "page_size": "1"}).json()["count"] == 1
    response = api.get("/api/v1/notifications/", {"page": "7"})
    assert response.status_code == 404
    assert (
        response.json()["error"]["message"]
        == "There is no page 7: follow the next links from the first page."
    )


@pytest.mark.parametrize(
    ("path", "flag"),
    [("/api/v1/bookings/", "past"), ("/api/v1/notifications/", "unread"), ("/api/v1/people/", "open_now")],
)
def test_a_true_or_false_filter_refuses_anything_else(api, path, flag):
    for value in ("true", "false", "1", "0"):
        assert api.get(path, {flag: value}).status_code == 200
    for value in ("yes please", ""):  # sent empty, it is not absent (api/params.py)
        response = api.get(path, {flag: value})
        assert response.status_code == 400
        assert _fields(response) == {flag: ["Use true or false."]}


def test_the_unread_filter_still_filters(api, owner):
    NotificationFactory(recipient=owner, title="Unread")
    NotificationFactory(recipient=owner, title="Read", read_at=timezone.now())

    def titles(unread: str) -> list[str]:
        return [n["title"] for n in api.get("/api/v1/notifications/", {"unread": unread}).json()["results"]]

    assert titles("true") == ["Unread"] and titles("false") == ["Read"]


@pytest.mark.parametrize("method", ["get", "post", "patch"])
def test_an_unknown_api_path_answers_json_404(api, method):
    response = getattr(api, method)("/api/v1/no-such-thing/", {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "There is no API operation at /api/v1/no-such-thing/ (see /api/schema/).",
    }


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/asks/not-a-number/publish/"])
def test_an_unknown_api_path_answers_json_404_on_a_development_server_too(api, settings, path):
    """``make run`` has DEBUG on, where Django answered its HTML "Page not found" page instead of the
    API's error: a client (or schemathesis) developed against it met a Content-Type no schema names."""
    settings.DEBUG = True
    response = api.post(path, {}, content_type="application/json")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/goals").status_code == 301  # a read without its final slash is still redirected
    assert b"<html" in Client().get("/no-such-page/").content  # pages keep Django's debug page


def test_a_write_without_the_final_slash_is_not_redirected_to_a_read(api):
    response = api.post("/api/v1/goals", {"title": "x"}, content_type="application/json")
    assert response.status_code == 404
    assert "API paths end with a slash" in response.json()["error"]["message"]
    assert api.get("/api/v1/goals").status_code == 301  # a read may still be redirected


@pytest.mark.parametrize(
    "path", ["/api/v1/people/export/", "/api/v1/webhooks/endpoints/", "/api/v1/sso/providers/"]
)
def test_organiser_operations_ask_an_anonymous_caller_to_sign_in(anonymous_client, api, path):
    response = anonymous_client.get(path)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert api.get(path).status_code == 404  # a member still learns nothing


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"csv": "x" * 2_700_000}, "The body is larger than 2560 KB."),
        ({f"f{n}": "1" for n in range(1001)}, "The body has more than 1000 fields."),
    ],
)
def test_a_multipart_body_past_djangos_limits_is_a_json_400(organiser, fields, message):
    """Multipart is read only where a file is uploaded (the people import); Django's limits on it."""
    _, raw_key = make_access_token(organiser)
    api = Client(headers={"Authorization": f"Bearer {raw_key}"})
    response = api.post("/api/v1/people/import/preview/", fields)  # the test client's multipart
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "parse_error", "message": message}


def test_a_form_body_is_refused_before_it_is_read(api):
    body = "&".join(f"f{n}=1" for n in range(1001))
    response = api.post("/api/v1/moments/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_an_edit_names_the_fields_it_cannot_change(api, owner):
    typo = api.patch("/api/v1/me/", {"display_nam": "Olive"}, content_type="application/json")
    assert typo.status_code == 400
    assert _fields(typo) == {"display_nam": ["This operation has no such field."]}
    read_only = api.patch("/api/v1/me/", {"id": 7, "headline": "Hi"}, content_type="application/json")
    assert read_only.status_code == 400
    assert _fields(read_only) == {"id": ["This field is read-only here."]}
    owner.profile.refresh_from_db()
    assert owner.profile.headline != "Hi"  # nothing of a refused edit is applied
    assert api.patch("/api/v1/me/", {"headline": "Hi"}, content_type="application/json").status_code == 200


@pytest.mark.parametrize("number", [0, 12, 1.5])
def test_a_text_field_refuses_a_number_instead_of_storing_its_digits(api, owner, number):
    response = api.patch("/api/v1/me/", {"headline": number}, content_type="application/json")
    assert response.status_code == 400
    assert _fields(response) == {"headline": ["Give text (a JSON string) here, not a number."]}
    owner.profile.refresh_from_db()
    assert owner.profile.headline != str(number)
    ask = AskFactory(mentee=owner)
    message = api.post(f"/api/v1/asks/{ask.pk}/messages/", {"body": number}, content_type="application/json")
    assert message.status_code == 400
    assert _fields(message) == {"body": ["Give text (a JSON string) here, not a number."]}


def test_an_ask_cannot_be_moved_to_a_state_by_editing_it(api, owner):
    ask = AskFactory(mentee=owner)
    response = api.patch(f"/api/v1/asks/{ask.pk}/", {"state": "completed"}, content_type="application/json")
    assert response.status_code == 400
    assert _fields(response) == {"state": ["This operation has no such field."]}


@pytest.mark.parametrize(
    ("path", "parameter", "expected"),
    [
        ("/api/v1/endorsements/", "user", {"type": "integer", "minimum": 1}),
        ("/api/v1/insights/", "programme", {"type": "integer", "minimum": 1}),
        ("/api/v1/insights/", "team", {"type": "integer", "minimum": 1}),
        ("/api/v1/insights/", "start", {"type": "string", "format": "date"}),
        ("/api/v1/insights/network/flow/", "start", {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$"}),
    ],
)
def test_the_schema_says_which_values_a_filter_takes(path, parameter, expected):
    """A value the schema allowed was a 400 (user=-3, programme=0, a start that is no date): the schema now
    says what the operation reads, so a client or a schema-driven tester is not misled."""
    [declared] = [p for p in openapi_schema()["paths"][path]["get"]["parameters"] if p["name"] == parameter]
    assert expected.items() <= declared["schema"].items()


def test_a_format_the_operation_does_not_write_is_a_400_naming_it_not_a_404(api):
    response = api.get("/api/v1/asks/", {"format": "xml"})

    assert response.status_code == 400
    (message,) = response.json()["error"]["fields"]["format"]
    assert message.startswith("Use one of: ") and "json" in message
    assert api.get("/api/v1/asks/", {"format": "json"}).status_code == 200
