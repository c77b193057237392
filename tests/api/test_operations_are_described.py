"""Every operation in the OpenAPI schema says what it does and where it belongs, as a client generator and
the docs page (``/api/docs/``) show it: an operationId, a one-line summary, and a tag naming its area.

``v1`` is not an area: it is what drf-spectacular falls back to when a view names no tag (the first part of
the path after ``/api/``), and it put the tokens, skills, notifications, calendars and single sign-on
together in one heap of 34 operations."""

from __future__ import annotations

from tests.harness.openapi import openapi_schema

METHODS = {"get", "post", "put", "patch", "delete"}


def _operations():
    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_has_an_id_and_a_summary():
    ids = [operation.get("operationId") for _, operation in _operations()]
    assert all(ids) and len(ids) == len(set(ids))
    unsummarised = [name for name, operation in _operations() if not operation.get("summary")]
    assert not unsummarised, unsummarised


def test_every_operation_is_tagged_with_its_area():
    untagged = [name for name, operation in _operations() if operation.get("tags", ["v1"]) == ["v1"]]
    assert not untagged, untagged


def test_the_areas_are_the_paths_first_words_unless_a_view_names_its_own():
    tags = {name: operation["tags"] for name, operation in _operations()}
    assert tags["POST /api/v1/tokens/"] == ["tokens"]
    assert tags["GET /api/v1/skills/{slug}/"] == ["skills"]
    assert tags["PUT /api/v1/notifications/preferences/"] == ["notifications"]
    assert tags["POST /api/v1/account/delete/"] == ["account"]
    assert tags["GET /api/v1/bookings/"] == ["office hours"]  # named by its view
