"""Changes name only the fields they can change, and give text where a field takes text."""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

UNKNOWN = "This operation has no such field."
READ_ONLY = "This field is read-only here."
NOT_TEXT = "Give text (a JSON string) here, not a number."


class KnownFieldsOnly:
    """A serializer mixin for the bodies of edits (PATCH, and the creates that share their serializer):
    a field the serializer does not take is a 400 that names it. DRF drops unknown fields quietly, so a
    typo (``titel``) or a field that is only ever read (an ask's ``state``) made a 200 that changed
    nothing — the client believed it had.

    A text field refuses a number: DRF stores ``{"body": 0}`` as the text "0", which is never what a
    client that sent a number meant (it mixed up two fields, or lost the quotes)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            fields = self.fields
            errors = {
                str(name): [READ_ONLY if name in fields else UNKNOWN]
                for name in data
                if name not in fields or fields[name].read_only
            }
            errors.update(
                {
                    str(name): [NOT_TEXT]
                    for name, value in data.items()
                    if isinstance(value, int | float)
                    and not isinstance(value, bool)  # DRF's own check answers a boolean
                    and isinstance(fields.get(name), serializers.CharField)
                }
            )
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)
