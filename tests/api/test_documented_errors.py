"""Every operation in the OpenAPI schema documents the errors any view can answer, each with the one error
body: a client generated from the schema meets no status it was not told about."""

from __future__ import annotations

from tests.harness.openapi import openapi_schema


def _operations():
    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


# One test over every operation, each failure named, rather than one test per operation: the schema is then
# generated when the test runs, in the one process that runs it, not while collecting in every process (it
# cost each pytest-xdist process about 3 s of CPU, and the 345 tests their set-up and tear-down).


def test_it_documents_the_errors_every_operation_can_answer():
    missing = {}
    for path, method, operation in _operations():
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
        problems = sorted(expected - set(responses))
        if "401" in responses and "WWW-Authenticate" not in responses["401"].get("headers", {}):
            problems.append("401 without WWW-Authenticate")
        if "429" in responses and "Retry-After" not in responses["429"].get("headers", {}):
            problems.append("429 without Retry-After")
        if problems:
            missing[f"{method.upper()} {path}"] = problems
    assert len(list(_operations())) > 100  # the whole API, not an empty schema
    assert not missing, missing


def test_every_documented_error_has_the_error_body():
    """The one shape, or one that adds to it (the people import's rejected rows, the shared notes' latest
    version): either way there is an ``error`` to read."""
    components = openapi_schema()["components"]["schemas"]
    wrong = {}
    for path, method, operation in _operations():
        for code, response in operation["responses"].items():
            if code < "400":
                continue
            schemas = [content["schema"] for content in response.get("content", {}).values()]
            names = [schema["$ref"].rsplit("/", 1)[1] for schema in schemas]
            if not names or any("error" not in components[name]["properties"] for name in names):
                wrong.setdefault(f"{method.upper()} {path}", []).append(code)
    assert not wrong, wrong


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
