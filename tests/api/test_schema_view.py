"""/api/schema/ is generated once per process: the second request costs no walk over every view."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.generators import SchemaGenerator

from openhelp.platform.api.schema_view import forget_schema
from tests.harness.openapi import openapi_schema

JSON = {"Accept": "application/vnd.oai.openapi+json"}


@pytest.fixture
def generations(monkeypatch):
    forget_schema()
    calls = []
    original = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    yield calls
    forget_schema()


@pytest.mark.django_db
def test_the_schema_is_generated_once_and_served_again(client, generations):
    first = client.get("/api/schema/", headers=JSON)
    second = client.get("/api/schema/", headers=JSON)
    yaml = client.get("/api/schema/")

    assert first.status_code == second.status_code == yaml.status_code == 200
    assert len(generations) == 1
    assert first.content == second.content
    assert json.loads(first.content) == openapi_schema()  # the document the schema tests read
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert b"openapi: 3" in yaml.content


@pytest.mark.django_db
def test_each_language_is_kept_apart(client, generations):
    client.get("/api/schema/?lang=en", headers=JSON)
    client.get("/api/schema/?lang=de", headers=JSON)
    client.get("/api/schema/?lang=en", headers=JSON)

    assert len(generations) == 2
