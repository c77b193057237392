"""How the OpenAPI schema documents two kinds of field, the same way in every operation."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

# A wall-clock time in the person's (or the office hours') own zone: "09:00" or "09:00:00". It has no
# offset because it has no date — the offset of Europe/Berlin differs in January and July — so it is not an
# RFC 3339 ``time`` (which requires one); the zone is the one the object names.
LOCAL_TIME = {
    "type": "string",
    "format": "partial-time",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "example": "09:00:00",
    "description": "A local wall-clock time (no offset), in the time zone of the object it belongs to.",
}


class LocalTimeField(OpenApiSerializerFieldExtension):
    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return dict(LOCAL_TIME)


class BoundedListSerializer(OpenApiSerializerFieldExtension):
    """``many=True`` with ``max_length``: drf-spectacular leaves the maximum out; say it (``maxItems``)."""

    target_class = "rest_framework.serializers.ListSerializer"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if getattr(self.target, "max_length", None) is not None:
            schema = {**schema, "maxItems": self.target.max_length}
        return schema


class WordedCharField(OpenApiSerializerFieldExtension):
    target_class = "openhelp.platform.api.fields.WordedCharField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "maxLength": self.target.max_chars}


class SlugRelatedField(OpenApiSerializerFieldExtension):
    """A reference by slug or code can be no longer than the column it is looked up in."""

    target_class = "rest_framework.relations.SlugRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        queryset = getattr(self.target, "queryset", None)
        if queryset is not None and schema.get("type") == "string":
            column = queryset.model._meta.get_field(self.target.slug_field)
            if column.max_length:
                schema = {**schema, "maxLength": column.max_length}
        return schema


class BoundedDictField(OpenApiSerializerFieldExtension):
    target_class = "openhelp.platform.api.fields.DictField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "maxProperties": self.target.max_keys}
