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


class NeededInPatch:
    """A serializer mixin for a PATCH that sets one thing (tick a step, a member's role): its required
    fields stay required, and the schema says so. drf-spectacular describes a PATCH body as a partial
    update — a ``Patched…`` component with no required field — by setting ``partial`` on the serializer, as
    DRF's own update views do; here ``partial`` stays False, so a client built from the schema knows that
    ``{}`` is a 400, not a PATCH that changes nothing."""

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass  # a PATCH of this body always needs its fields
