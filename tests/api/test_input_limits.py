"""Bad input to the API is a fast 4xx in the one error shape: bounded JSON, bounded lists, flat field errors."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework import serializers

from openhelp.platform.api.errors import flatten_fields
from openhelp.platform.api.fields import ListField
from openhelp.platform.api.parsers import MAX_BODY_BYTES
from openhelp.platform.lib import bounded_json
from tests.factories import make_access_token
from tests.harness.openapi import openapi_schema


@pytest.fixture
def api(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def _post(api, path, body: str):
    return api.post(path, body, content_type="application/json")


@pytest.mark.parametrize("path", ["/api/v1/moments/", "/api/v1/goals/", "/api/v1/asks/"])
def test_it_refuses_deeply_nested_json_with_a_400(api, path):
    response = _post(api, path, '{"note": ' + "[" * 1000 + "]" * 1000 + "}")
    assert response.status_code == 400
    assert "nests more than" in response.json()["error"]["message"]


def test_it_refuses_deep_json_on_the_import_preview(organiser):
    _, raw_key = make_access_token(organiser)
    client = Client(headers={"Authorization": f"Bearer {raw_key}"})
    response = _post(client, "/api/v1/people/import/preview/", '{"csv": ' + "[" * 1000 + "]" * 1000 + "}")
    assert response.status_code == 400


def test_it_refuses_an_over_long_body_with_a_400(api):
    response = _post(api, "/api/v1/moments/", json.dumps({"note": "x" * MAX_BODY_BYTES}))
    assert response.status_code == 400
    assert "larger than" in response.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/api/v1/goals/", "/api/v1/asks/"])
def test_it_refuses_a_long_list_before_looking_at_its_items(api, path, django_assert_max_num_queries):
    body = json.dumps({"title": "t", "skills": list(range(1, 20_001))})
    with django_assert_max_num_queries(5):  # the token and the throttle; no query per skill
        response = _post(api, path, body)
    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["skills"]
    assert "at most 5" in message or "no more than 5" in message


def test_it_reports_an_error_on_a_list_item_as_a_flat_message(api):
    body = json.dumps({"title": "Learn", "skills": [999_999], "target_date": "2031-01-01"})
    response = _post(api, "/api/v1/goals/", body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["skills"] == ["Item 1: There is no skill with id 999999."]


def test_it_flattens_every_shape_of_nested_error():
    detail = {
        "skills": {0: ["Unknown."], 2: ["Too long."]},
        "resources": [{}, {"url": ["Not https."]}],
        "weights": {"load": ["Not a number."]},
        "title": ["Required."],
    }
    assert flatten_fields(detail) == {
        "skills": ["Item 1: Unknown.", "Item 3: Too long."],
        "resources": ["Item 2: url: Not https."],
        "weights": ["load: Not a number."],
        "title": ["Required."],
    }
    assert flatten_fields(["Not allowed."]) == {"non_field_errors": ["Not allowed."]}


@pytest.fixture(scope="module")
def schema():
    return openapi_schema()


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


# Strings in these formats have a bounded length by construction.
BOUNDED_FORMATS = {"date", "date-time", "partial-time", "uuid", "decimal", "binary"}


def _unbounded(schema, node, where) -> list[str]:
    """Every list, string and free-keyed object under ``node`` that has no maximum."""
    node = _resolve(schema, node)
    found = []
    for sub in node.get("allOf", []) + node.get("oneOf", []) + node.get("anyOf", []):
        found += _unbounded(schema, sub, where)
    if node.get("readOnly"):
        return found
    kind = node.get("type")
    if kind == "array":
        found += [] if "maxItems" in node else [f"{where} (list)"]
        found += _unbounded(schema, node.get("items", {}), f"{where}[]")
    if kind == "string" and not ({"maxLength", "enum"} & set(node) or node.get("format") in BOUNDED_FORMATS):
        found.append(f"{where} (string)")
    if isinstance(node.get("additionalProperties"), dict):
        found += [] if "maxProperties" in node else [f"{where} (object)"]
        found += _unbounded(schema, node["additionalProperties"], f"{where}{{}}")
    for name, prop in node.get("properties", {}).items():
        found += _unbounded(schema, prop, f"{where}.{name}")
    return found


def test_every_list_string_and_object_the_api_takes_has_a_maximum(schema):
    unbounded = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                unbounded += _unbounded(schema, content["schema"], f"{method.upper()} {path}")
    assert unbounded == []


def test_every_error_response_has_the_one_error_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                # A 409 on the shared notes also carries both texts; a rejected import, its rows.
                if code.startswith("4") and content and code != "409" and "import/apply" not in path:
                    assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_the_agenda_and_attendance_are_documented_as_bare_arrays(schema):
    for path in ["/api/v1/sessions/{id}/agenda/", "/api/v1/sessions/{id}/attendance/"]:
        body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array"


def test_time_fields_are_documented_as_local_times_without_an_offset(schema):
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert me["working_hours_start"]["format"] == "partial-time"
    assert all(
        prop.get("format") != "time"
        for component in schema["components"]["schemas"].values()
        for prop in component.get("properties", {}).values()
    )


def test_it_measures_nesting_outside_strings_only():
    assert bounded_json.loads('{"a": "[[[[[[", "b": [[1]]}', max_depth=3) == {"a": "[[[[[[", "b": [[1]]}
    with pytest.raises(bounded_json.JSONRejected):
        bounded_json.loads("[[[[]]]]", max_depth=3)
    with pytest.raises(bounded_json.JSONRejected):
        bounded_json.loads('{"x": NaN}')


def _project_serializers(cls=serializers.Serializer):
    for sub in cls.__subclasses__():
        if not sub.__module__.startswith(("rest_framework", "drf_spectacular")):
            yield sub
        yield from _project_serializers(sub)


def _plain_lists(field, where):
    if field.read_only:
        return []
    found = []
    if isinstance(field, serializers.ListField) and not isinstance(field, ListField):
        found.append(where)
    if isinstance(field, serializers.ManyRelatedField):
        found.append(where)
    child = getattr(field, "child", None)
    return found + (_plain_lists(child, f"{where}[]") if child is not None else [])


# Response-only serializers with writable-looking lists: network/'s are not yet marked read_only; the
# rejected import's "fields" is optional, which a read_only field cannot be in the schema.
RESPONSE_ONLY = {
    "openhelp.organisers.network.api.NetworkFlowRowSerializer",
    "openhelp.organisers.network.api.NetworkFlowSerializer",
    "openhelp.organisers.imports.api.PeopleImportRejectedBodySerializer",
}


def test_every_input_list_checks_its_length_before_its_items(schema):
    """DRF's own ListField and many=True relations validate every item first: use api.fields.ListField."""
    plain = []
    for serializer in set(_project_serializers()):
        if f"{serializer.__module__}.{serializer.__name__}" in RESPONSE_ONLY:
            continue
        for name, field in serializer._declared_fields.items():
            plain += _plain_lists(field, f"{serializer.__module__}.{serializer.__name__}.{name}")
    assert plain == []
