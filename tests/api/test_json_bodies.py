"""Request bodies are JSON. A form body cannot say a nested object, and in one a required boolean that is
missing read as false (``PUT /insights/network/consent/`` with an empty multipart body answered 200
``named: false``). Any other Content-Type is a 415 in the one error shape, an empty form body included;
only the people import, which takes a file, reads multipart too. The schema says so."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.test.client import encode_multipart
from django.urls import reverse

from openhelp.organisers.network.models import KnowledgeNodeConsent
from tests.factories import make_access_token
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db
CONSENT = "/api/v1/insights/network/consent/"
MULTIPART = "multipart/form-data; boundary=BoUnDaRy"
FORM = "application/x-www-form-urlencoded"
# The operations that take a file upload, and so read multipart as well as JSON.
FILE_UPLOADS = {"/api/v1/people/import/preview/", "/api/v1/people/import/apply/"}


@pytest.fixture
def api(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def _assert_415(response) -> None:
    assert response.status_code == 415, response.content
    error = response.json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert error["message"]


@pytest.mark.parametrize(
    "content_type, body",
    [
        (MULTIPART, ""),  # no body at all: DRF skipped choosing a parser and saw an empty form
        (MULTIPART, encode_multipart("BoUnDaRy", {})),
        (MULTIPART, encode_multipart("BoUnDaRy", {"named": "true"})),
        (FORM, ""),
        (FORM, "named=true"),
    ],
)
def test_a_form_body_is_a_415_and_changes_nothing(owner, api, content_type, body):
    # The test client leaves out the Content-Type of an empty body; a client may well send it.
    headers = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body))}
    _assert_415(api.put(CONSENT, body, content_type=content_type, **headers))
    assert not KnowledgeNodeConsent.objects.filter(user=owner).exists()


def test_a_json_body_without_the_required_boolean_is_a_400_naming_it(api):
    response = api.put(CONSENT, "{}", content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["named"]
    response = api.put(CONSENT, json.dumps({"named": True}), content_type="application/json")
    assert (response.status_code, response.json()["named"]) == (200, True)


def test_a_write_without_a_body_still_works_where_none_is_needed(owner, api):
    """The 415 is for a body the view cannot read: an action that reads nothing takes a bare POST."""
    response = api.post(reverse("v1:notification-read-all"))
    assert response.status_code < 400, response.content


def test_the_people_import_still_takes_a_file(organiser):
    _, raw_key = make_access_token(organiser)
    api = Client(headers={"Authorization": f"Bearer {raw_key}"})
    response = api.post("/api/v1/people/import/preview/", {"csv": "email,display_name\n"})  # multipart
    assert response.status_code in {200, 400}
    assert response.json().get("error", {}).get("code") != "unsupported_media_type"
    _assert_415(api.post("/api/v1/people/import/preview/", "csv=x", content_type=FORM))


def test_options_says_a_view_parses_json_only(api):
    assert api.options(CONSENT).json()["parses"] == ["application/json"]


def test_the_schema_lists_json_bodies_only_and_multipart_only_for_file_uploads():
    wrong = {}
    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            expected = {"application/json"} | ({"multipart/form-data"} if path in FILE_UPLOADS else set())
            media_types = set(operation["requestBody"]["content"])
            if media_types != expected:
                wrong[f"{method.upper()} {path}"] = sorted(media_types)
    assert not wrong, wrong
