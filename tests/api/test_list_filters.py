"""A filter that is sent is a filter: an enumerated query parameter (``state``, ``direction``, ``format``,
every true/false flag) with a value it does not know, or with none (``?state=``), is a 400 naming the
parameter and the values it takes. ``?state=`` on the offers list answered every offer, as if absent."""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.help.routing.models import OfferState
from tests.factories import make_access_token
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db


def _enumerated_filters() -> list[tuple[str, str, list[str]]]:
    """(path, parameter, its values) for every query parameter of a GET without path parameters whose
    schema is an enumeration or a boolean."""
    found = []
    for path, operations in openapi_schema()["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        for parameter in get.get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter["in"] != "query":
                continue
            if schema.get("type") == "boolean":
                found.append((path, parameter["name"], ["true", "false"]))
            elif "enum" in schema:
                found.append((path, parameter["name"], [str(value) for value in schema["enum"]]))
    return found


FILTERS = _enumerated_filters()


def test_the_walk_finds_the_filters_we_know():
    names = {(path, name) for path, name, _ in FILTERS}
    assert {
        ("/api/v1/offers/", "state"),
        ("/api/v1/kudos/", "direction"),
        ("/api/v1/people/", "format"),
        ("/api/v1/asks/", "closed"),
    } <= names


@pytest.mark.parametrize("value", ["", "not-a-value"])
@pytest.mark.parametrize(("path", "name", "values"), FILTERS, ids=[f"{p}?{n}" for p, n, _ in FILTERS])
def test_an_empty_or_unknown_value_of_an_enumerated_filter_is_a_400_naming_it(
    site_admin, path, name, values, value
):
    api = Client(headers={"Authorization": f"Bearer {make_access_token(site_admin)[1]}"})

    response = api.get(path, {name: value})

    assert response.status_code == 400, response.content
    (message,) = response.json()["error"]["fields"][name]
    if len(values) <= 12:  # a short list is said in full (a time zone's is not)
        assert all(allowed in message for allowed in values), message


def test_a_known_state_still_filters_the_offers(owner):
    api = Client(headers={"Authorization": f"Bearer {make_access_token(owner)[1]}"})

    response = api.get("/api/v1/offers/", {"state": OfferState.PENDING})

    assert response.status_code == 200 and response.json()["results"] == []


# Filters naming one of a set the database holds: sent empty, a 400 naming them too (``params.refuse_empty``).
REFERENCE_FILTERS = [
    ("/api/v1/people/", "team"),
    ("/api/v1/people/", "language"),
    ("/api/v1/people/", "tz_overlap"),
    ("/api/v1/skills/", "category"),
    ("/api/v1/insights/", "team"),
    ("/api/v1/insights/", "programme"),
    ("/api/v1/office-hours/slots/", "mentor"),
    ("/api/v1/endorsements/", "user"),
]


@pytest.mark.parametrize(("path", "name"), REFERENCE_FILTERS, ids=[f"{p}?{n}" for p, n in REFERENCE_FILTERS])
def test_a_reference_filter_sent_empty_is_a_400_naming_it(site_admin, path, name):
    api = Client(headers={"Authorization": f"Bearer {make_access_token(site_admin)[1]}"})

    response = api.get(path, {name: ""})

    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == [name]
