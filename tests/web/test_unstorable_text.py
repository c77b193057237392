"""Text no database can hold (U+0000, a lone surrogate) refused where it comes in, never a 500.

Found by probing a live app on PostgreSQL as a signed-in member: ``?q=%00`` on the header search, the
sessions list, the skill autocomplete and the library suggestions, ``?skill=%00`` on the kudos feed and a
NUL in a token of the path (``POST /api/v1/slack/links/%00/confirm/``) each answered 500 (``DataError``:
PostgreSQL text cannot contain NUL), and so did a page cursor made up with a NUL in it on the directory; a
lone surrogate (``"\\ud800"``) in a JSON body's skill answered 500 on every database (``UnicodeEncodeError``).
On SQLite the NUL went through unnoticed, so these tests ask for the refusal itself: 400 at the door
(``RefuseUnstorableTextMiddleware``), a field error in the API's parsers, an invalid page link in the
cursor codec.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.platform.lib.cursors import INVALID_CURSOR, decode_cursor, encode_cursor
from openhelp.platform.lib.storable_text import NUL_MESSAGE, SURROGATE_MESSAGE, unstorable_reason
from tests.factories import SkillFactory, make_access_token

pytestmark = pytest.mark.django_db

# Every page and download where a NUL reached a query (PostgreSQL), with the parameter that carried it.
FOUND = [
    "/search/?q=a%00b",
    "/sessions/?q=%00",
    "/skills/autocomplete/?q=%00",
    "/library/suggestions/?q=%00",
    "/recognition/?skill=%00",
]


@pytest.fixture
def api(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def _cursor_with(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.mark.parametrize("address", FOUND)
def test_a_nul_in_a_query_string_answers_400_with_the_reason(owner_client, address):
    response = owner_client.get(address)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert "Content-Security-Policy" in response  # a page like every other, under the same policy


@pytest.mark.parametrize(
    "address",
    [
        "/people/?%00=1",
        "/no-such-page/?x=%00",
        "/asks/?page=1&page=%00",
        "/programmes/join/a%00b/",  # a token in the path, looked up as it comes
        "/api/v1/slack/links/%00/confirm/",  # found: 500 on PostgreSQL
    ],
)
def test_it_refuses_a_nul_in_any_name_or_value_before_any_view(owner_client, address):
    assert owner_client.get(address).status_code == 400


def test_the_api_names_the_parameter_in_its_error_shape(api):
    response = api.get("/api/v1/sessions/?q=x%00")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid", "message": "Some fields are not valid.", "fields": {"q": [NUL_MESSAGE]}}
    }


def test_a_parameter_name_with_a_nul_is_not_echoed_back(api):
    response = api.get("/api/v1/people/?a%00b=1")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"non_field_errors": [NUL_MESSAGE]}


def test_scim_gets_its_own_error_body(anonymous_client):
    response = anonymous_client.get('/scim/v2/Users?filter=userName eq "a%00"')
    assert response.status_code == 400
    body = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["scimType"] == "invalidValue" and body["detail"] == NUL_MESSAGE


def test_a_web_form_with_a_nul_answers_400(owner_client):
    response = owner_client.post(reverse("skills:propose"), {"name": "Post\x00greSQL"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_an_api_body_is_left_to_the_parsers_field_errors(api):
    body = json.dumps({"title": "Learn", "skills": ["Pyth\x00on"], "target_date": "2027-06-01"})
    response = api.post("/api/v1/goals/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["skills"] == [NUL_MESSAGE]


def test_a_lone_surrogate_in_a_json_body_is_a_field_error(api):
    SkillFactory(name="Python")
    body = '{"title": "Learn", "skills": ["Py\\ud800"], "target_date": "2027-06-01"}'
    response = api.post("/api/v1/goals/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"skills": [SURROGATE_MESSAGE]}


def test_a_lone_surrogate_in_a_json_key_is_refused_without_echoing_it(api):
    body = '{"title": "Learn", "\\udfff": 1}'
    response = api.post("/api/v1/goals/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"non_field_errors": [SURROGATE_MESSAGE]}


def test_the_cursor_codec_refuses_what_no_row_can_be_compared_with():
    for values in (["a\x00b", 1], ["a\ud800", 1], ["a", 2**63], ["a", -(2**63) - 1]):
        with pytest.raises(ValueError, match=INVALID_CURSOR):
            decode_cursor(_cursor_with(*values), 2)
    assert decode_cursor(encode_cursor(["Ada", 2**63 - 1]), 2) == ["Ada", 2**63 - 1]


def test_a_made_up_directory_cursor_with_a_nul_starts_again_from_the_first_page(owner_client, api):
    cursor = _cursor_with(1, "Olivia\x00", 5)
    page = owner_client.get(reverse("people:directory"), {"after": cursor})
    assert page.status_code == 200
    assert INVALID_CURSOR in page.content.decode()
    response = api.get(reverse("api:people-list"), {"after": cursor})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("text", "reason"),
    [("plain", None), ("ünïcödé 😀", None), ("a\x00", NUL_MESSAGE), ("\udc80", SURROGATE_MESSAGE)],
)
def test_unstorable_reason(text, reason):
    assert unstorable_reason(text) == reason
