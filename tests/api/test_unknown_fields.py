"""Every body the API reads refuses a field it does not take, naming it (README: "an unknown or read-only
field in a write … is a 400 naming it"). DRF drops unknown fields quietly, so a typo (``skil``, ``reasn``)
made a 2xx that ignored what the client meant; only the edits refused them, the creates and actions did
not (a kudos' ``mesage``, an office-hours booking's ``topc``, a skill offered with a ``levle``)."""

from __future__ import annotations

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from openhelp.platform.api.known_fields import UNKNOWN
from tests.factories import SkillFactory, make_access_token
from tests.harness.openapi import openapi_schema


def _referenced(schema: dict, node) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            names.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            names |= _referenced(schema, value)
    elif isinstance(node, list):
        for value in node:
            names |= _referenced(schema, value)
    return names


def _request_serializers() -> dict[str, type[serializers.Serializer]]:
    """Each serializer that reads a request body, nested ones included: the components the operations'
    request bodies refer to, and those they refer to in turn."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    pending = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                pending |= _referenced(schema, operation["requestBody"])
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        seen.add(name)
        pending |= _referenced(schema, components[name]) - seen
    by_name = {
        component.name: component.object
        for component in generator.registry._components.values()
        if component.type == "schemas"
    }
    found = {}
    for name in seen:
        target = by_name.get(name)
        cls = target if isinstance(target, type) else type(target)
        if issubclass(cls, serializers.Serializer):
            found[name] = cls
    return found


def test_every_request_body_names_a_field_it_does_not_take():
    found = _request_serializers()
    assert len(found) > 50  # the whole API's bodies, not an empty walk
    quiet = []
    for name, cls in sorted(found.items()):
        body = cls(data={"zz_unknown": "x"}, partial=True)
        try:
            refused = not body.is_valid() and body.errors.get("zz_unknown") == [UNKNOWN]
        except KeyError:  # got as far as a validate() that expects the fields it requires
            refused = False
        if not refused:
            quiet.append(f"{name} ({cls.__module__}.{cls.__qualname__})")
    assert not quiet, quiet


def test_every_request_body_is_documented_as_closed():
    """The schema says what the API does: a property it does not list is refused."""
    schema = openapi_schema()
    components = schema["components"]["schemas"]
    bodies = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                bodies |= _referenced(schema, operation["requestBody"])
    assert len(bodies) > 50
    open_bodies = sorted(name for name in bodies if components[name].get("additionalProperties") is not False)
    assert not open_bodies, open_bodies


def test_no_component_is_described_by_the_mixins_note_to_programmers():
    """drf-spectacular describes a serializer without a docstring by the first docstring up its classes:
    74 components read "A serializer mixin for the bodies of edits …"."""
    schemas = openapi_schema()["components"]["schemas"]
    described = sorted(
        name for name, schema in schemas.items() if "serializer mixin" in schema.get("description", "")
    )
    assert not described, described


@pytest.fixture
def api(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


@pytest.mark.django_db
def test_a_typo_in_a_skill_offered_is_a_400_that_changes_nothing(api, owner):
    skill = SkillFactory()
    body = {"skills": [{"skill": skill.pk, "levle": 3}]}
    response = api.put("/api/v1/me/skills-offered/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"skills": [f"Item 1: levle: {UNKNOWN}"]}
    assert not owner.profile.skills_offered.exists()
