"""The project's OpenAPI schema, generated once per test process.

Generating it makes drf-spectacular walk every view and serializer (one to two seconds of CPU), and
validating it against the OpenAPI specification costs about as much again. About twenty tests read the
schema to check that their endpoints are documented; each used to generate (and several to validate) their
own copy of the same document. The schema depends only on the code, so one copy per process proves the same,
and one validation per run: tests/api/test_schema_is_valid.py (the others read it unvalidated).

The view that serves it (``/api/schema/``) is still requested over HTTP by tests/skills/test_api.py and
tests/imports/test_api_and_commands.py.
"""

from __future__ import annotations

import functools
import json

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


@functools.cache
def _generated() -> str:
    return json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str)


@functools.cache
def _validated() -> str:
    validate_schema(json.loads(_generated()))
    return _generated()


def openapi_schema(*, validate: bool = False) -> dict:
    """The schema as the API serves it (``/api/schema/``, public): a fresh copy each call, with JSON types
    only (lazy translations are strings), checked against the OpenAPI specification with ``validate=True``."""
    return json.loads(_validated() if validate else _generated())
