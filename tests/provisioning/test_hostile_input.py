"""What an identity provider (or whoever holds its token) can send that once answered 500, found by probing a
live app on PostgreSQL: a 5,000-deep JSON body (RecursionError), a NUL in a group's displayName
(``DataError``), a 20-digit startIndex (the OFFSET out of bigint range). Each is a 400 in SCIM's error body
now, or an empty page."""

from __future__ import annotations

import json

import pytest

from openhelp.platform.lib.storable_text import NUL_MESSAGE, SURROGATE_MESSAGE
from tests.factories_provisioning import SCIM, user_body

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"

pytestmark = pytest.mark.django_db


def _raw_post(scim, path: str, text: str):
    return scim.client.post("/scim/v2/" + path, text, content_type=SCIM, headers=scim.headers)


@pytest.mark.parametrize("path", ["Users", "Groups"])
def test_a_deeply_nested_body_is_invalid_syntax(scim, path):
    response = _raw_post(scim, path, "[" * 5000 + "]" * 5000)
    assert response.status_code == 400
    assert response.json()["schemas"] == [ERROR] and response.json()["scimType"] == "invalidSyntax"


@pytest.mark.parametrize(
    ("text", "reason"), [('"T\\u0000eam"', NUL_MESSAGE), ('"T\\ud800eam"', SURROGATE_MESSAGE)]
)
def test_text_no_database_can_hold_is_an_invalid_value(scim, text, reason):
    response = _raw_post(scim, "Groups", f'{{"schemas": ["{GROUP}"], "displayName": {text}}}')
    assert response.status_code == 400
    assert response.json()["detail"] == reason and response.json()["scimType"] == "invalidValue"
    body = user_body("ada@example.org")
    body["name"]["givenName"] = "A\x00da"
    response = _raw_post(scim, "Users", json.dumps(body))
    assert response.status_code == 400 and response.json()["detail"] == NUL_MESSAGE


def test_a_start_index_past_any_row_is_an_empty_page(scim):
    scim.post("Users", user_body("ada@example.org"))
    response = scim.get("Users", startIndex="99999999999999999999", count="99999999999999999999")
    assert response.status_code == 200
    assert response.json()["Resources"] == [] and response.json()["totalResults"] >= 1
