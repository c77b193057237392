"""Every operation in the OpenAPI schema documents the errors any view can answer, each with the one error
body: a client generated from the schema meets no status it was not told about."""

from __future__ import annotations

import pytest

from tests.harness.openapi import openapi_schema


def _operations():
    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


OPERATIONS = list(_operations())


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS]
)
def test_it_documents_the_errors_every_operation_can_answer(path, method, operation):
    responses = operation["responses"]
    parameters = operation.get("parameters", [])
    expected = {"401", "429"}
    if "requestBody" in operation:
        expected |= {"400", "415"}
    if any(parameter["in"] == "query" for parameter in parameters):
        expected.add("400")
    if any(parameter["in"] == "path" for parameter in parameters):
        expected.add("404")
    if method != "get":
        expected.add("403")
    assert expected <= set(responses), sorted(expected - set(responses))
    assert "WWW-Authenticate" in responses["401"]["headers"]
    assert "Retry-After" in responses["429"]["headers"]


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS]
)
def test_every_documented_error_has_the_error_body(path, method, operation):
    """The one shape, or one that adds to it (the people import's rejected rows, the shared notes' latest
    version): either way there is an ``error`` to read."""
    components = openapi_schema()["components"]["schemas"]
    for code, response in operation["responses"].items():
        if code >= "400":
            schemas = [content["schema"] for content in response["content"].values()]
            assert schemas, code
            for schema in schemas:
                assert "error" in components[schema["$ref"].rsplit("/", 1)[1]]["properties"], code


def test_keyset_pages_are_described_as_they_are_sent():
    """The kudos list pages by number and the feed by cursor: each list has its own page schema."""
    schema = openapi_schema()

    def page(path):
        ref = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
            "$ref"
        ]
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]

    assert "count_capped" in page("/api/v1/kudos/feed/")["properties"]
    assert "count_capped" not in page("/api/v1/kudos/")["properties"]
    assert page("/api/v1/kudos/")["required"] == ["count", "next", "previous", "results"]
