"""Serializer fields with a ceiling, for every list the API takes.

DRF checks a ListField's ``max_length`` only after it has validated every item — for a list of skills,
a database lookup per item — so 100,000 items cost minutes before the 400. These fields refuse an
over-long list before touching a single item (a nested ``many=True`` serializer takes ``max_length`` and already checks it
first). ``tests/api/test_bounds.py`` walks every request body in
the OpenAPI schema and fails on any list, string or map without a maximum.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.http import QueryDict
from rest_framework import serializers


class ListField(serializers.ListField):
    """A list with a required maximum, checked before any item is validated. ``min_items``: the fewest the
    domain takes, for the schema (``minItems``) — the domain checks it, in its own words ("Choose at
    least one skill …"), which DRF's ``min_length`` would say first and in its own."""

    def __init__(self, *, max_length: int, min_items: int = 0, **kwargs):
        self.min_items = min_items
        super().__init__(max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list | tuple) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)

    def to_representation(self, data):
        if hasattr(data, "all"):  # a to-many relation, read as DRF's ManyRelatedField reads it
            data = data.all()
        return super().to_representation(data)


class WordedCharField(serializers.CharField):
    """A string whose maximum the domain checks, in the product's own words ("Your bio is 4001 characters
    long; keep it to 4000 …", the web form's message). ``max_chars`` puts that maximum in the schema; a
    callable is read when the schema is built, so a maximum that is a setting stays one."""

    def __init__(self, *, max_chars: int | Callable[[], int], **kwargs):
        self._max_chars = max_chars
        super().__init__(**kwargs)

    @property
    def max_chars(self) -> int:
        return self._max_chars() if callable(self._max_chars) else self._max_chars


class DictField(serializers.DictField):
    """An object of free keys with a required maximum number of keys, checked before any value."""

    default_error_messages = {"max_keys": "Ensure this object has no more than {max_keys} keys."}

    def __init__(self, *, max_keys: int, **kwargs):
        self.max_keys = max_keys
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict) and len(data) > self.max_keys:
            self.fail("max_keys", max_keys=self.max_keys)
        return super().to_internal_value(data)


class BooleanField(serializers.BooleanField):
    """``true`` or ``false``, and nothing else. DRF's own also reads ``0``/``1``, ``"yes"``/``"no"``,
    ``"on"``/``"off"`` and their like, so a client's number or text became a boolean without a word (a
    client that sent ``0`` meaning "the first" got ``false``). A multipart form (the people import, the only
    body that is not JSON) has no booleans, only text: there ``"true"``/``"false"`` are read. Every boolean
    the API takes is one of these (``tests/api/test_strict_booleans.py``)."""

    default_error_messages = {"invalid": "Use true or false (a JSON boolean)."}
    FORM_TEXT = {"true": True, "false": False}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(getattr(self.root, "initial_data", None), QueryDict) and isinstance(data, str):
            if data.strip().lower() in self.FORM_TEXT:
                return self.FORM_TEXT[data.strip().lower()]
        self.fail("invalid", input=data)


class StrictBooleans:
    """A ModelSerializer mixin: the booleans it builds from the model are ``BooleanField`` too."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.BooleanField: BooleanField,
    }


class DeprecatedAlias(serializers.CharField):
    """A field's old name, still in answers for one release so that clients reading it keep working:
    read-only, the same value as ``of``, marked ``deprecated`` in the schema (docs/api.md, "Renamed")."""

    def __init__(self, *, of: str, **kwargs):
        self.of = of
        help_text = (
            f"Deprecated: the same as `{of}`, under its old name; read `{of}`. Removed in the next release."
        )
        super().__init__(read_only=True, help_text=help_text, **kwargs)
