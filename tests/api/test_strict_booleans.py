"""A boolean in a JSON body is ``true`` or ``false``; anything else (``0``, ``1``, ``"yes"``, ``"false"``) is a
400 naming the field. DRF's BooleanField took them all: a client sending ``0`` for "no" got ``false``
without a word (``api.fields.BooleanField``). The people import's multipart form, which has only text,
still reads ``"true"`` and ``"false"``."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from openhelp.community.recognition.models import Kudos
from openhelp.platform.api.fields import BooleanField
from tests.factories import UserFactory, make_access_token

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def _request_booleans() -> dict[str, type]:
    """Every boolean field a request body of the schema is made from: ``where`` → its class."""
    found: dict[str, type] = {}
    original = SpectacularAutoSchema._map_serializer_field

    def record(self, field, direction, bypass_extensions=False):
        if direction == "request" and isinstance(field, serializers.BooleanField) and not field.read_only:
            found[f"{self.method} {self.path} {field.parent.__class__.__name__}.{field.field_name}"] = type(
                field
            )
        return original(self, field, direction, bypass_extensions=bypass_extensions)

    with mock.patch.object(SpectacularAutoSchema, "_map_serializer_field", record):
        SchemaGenerator().get_schema(request=None, public=True)
    return found


def test_every_boolean_a_request_body_takes_is_strict():
    booleans = _request_booleans()

    assert any("KudosInputSerializer.public" in where for where in booleans)  # the walk sees them
    lenient = sorted(where for where, kind in booleans.items() if not issubclass(kind, BooleanField))
    assert lenient == []


@pytest.mark.parametrize("value", [0, 1, "yes", "true", "false", "on", 0.0, [], {}])
def test_a_boolean_that_is_not_true_or_false_is_a_400_naming_it(value):
    giver, receiver = UserFactory(), UserFactory()

    response = _api(giver).post(
        "/api/v1/kudos/", {"receiver": receiver.pk, "public": value}, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {"public": ["Use true or false (a JSON boolean)."]}
    assert not Kudos.objects.exists()


@pytest.mark.parametrize("value", [True, False])
def test_true_and_false_are_taken(value):
    giver, receiver = UserFactory(), UserFactory()

    response = _api(giver).post(
        "/api/v1/kudos/", {"receiver": receiver.pk, "public": value}, content_type="application/json"
    )

    assert response.status_code == 201 and response.json()["public"] is value
