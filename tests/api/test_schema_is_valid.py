"""The OpenAPI schema the API serves is a valid OpenAPI 3 document: a client generator can read it. Checked
once per run here; the tests that read the schema for their own endpoints take it unvalidated."""

from __future__ import annotations

import pytest
from drf_spectacular.validation import validate_schema
from jsonschema import ValidationError

from tests.harness.openapi import openapi_schema


def test_the_schema_is_a_valid_openapi_document():
    openapi_schema(validate=True)


def test_the_check_refuses_a_broken_document():
    broken = openapi_schema()
    broken["paths"]["/api/v1/asks/"]["get"]["responses"] = "not a mapping"
    with pytest.raises(ValidationError, match="not a mapping"):
        validate_schema(broken)
