"""How the OpenAPI schema documents some kinds of field, and the errors, the same way in every operation."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import get_doc
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from openhelp.platform.api.conditional import WRITES, ConditionalEdits
from openhelp.platform.api.errors import error_response
from openhelp.platform.api.idempotency import HEADER as IDEMPOTENCY_KEY
from openhelp.platform.api.idempotency import MAX_KEY, REPLAYED, IdempotentCreates
from openhelp.platform.api.known_fields import KnownFieldsOnly, NeededInPatch
from openhelp.platform.api.pagination import KeysetPagination
from openhelp.platform.api.permissions import IsOrganiserElse404, IsSiteAdminElse404

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
        if not getattr(self.target, "allow_empty", True):
            schema = {**schema, "minItems": max(1, self.target.min_length or 0)}
        return schema


class BoundedListField(OpenApiSerializerFieldExtension):
    """A list whose domain needs a few items at least says so (``minItems``): a client built from the
    schema, or schemathesis, then knows ``[]`` is a 400."""

    target_class = "openhelp.platform.api.fields.ListField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if self.target.min_items:
            schema = {**schema, "minItems": self.target.min_items}
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


class DeprecatedAlias(OpenApiSerializerFieldExtension):
    target_class = "openhelp.platform.api.fields.DeprecatedAlias"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "deprecated": True}


class BoundedDictField(OpenApiSerializerFieldExtension):
    target_class = "openhelp.platform.api.fields.DictField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "maxProperties": self.target.max_keys}


# --- Operations ----------------------------------------------------------------------------------------

RETRY = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}
}
LOCATION = {
    "Location": {
        "schema": {"type": "string", "format": "uri"},
        "description": "The new object's own address (read, changed or removed there), when it has one "
        "(responses.created).",
    }
}
AUTH = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "How to authenticate: Bearer."}}
ETAG = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "The object's version: send it back as If-Match with a change (api/conditional.py).",
    }
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 1000},
    "description": "An ETag from a read: the change is made only if the object has not changed since "
    "(else 412); `*` or no header: made anyway.",
}
IDEMPOTENCY_HEADER = {
    "name": IDEMPOTENCY_KEY,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY},
    "description": "Any unique text (a UUID): sent again with the same key within 24 hours, the request "
    "answers its first answer again and writes nothing (api/idempotency.py).",
}
REPLAYED_HEADER = {
    REPLAYED: {
        "schema": {"type": "string", "enum": ["true"]},
        "description": "This is the first answer to a request sent with the same Idempotency-Key.",
    }
}


class AutoSchema(openapi.AutoSchema):
    """Every operation lists the errors any view can answer, in the one error shape (``errors.ERROR_BODY``),
    unless its view already describes them in its own words: a client reading one operation learns every
    status it may meet there; a 201 names its ``Location``. Keyset pages get a component of their own
    (``count_capped``, cursors)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, description, headers in self._common_errors(operation):
            response = responses.setdefault(str(code), {"description": description})
            if headers:
                response.setdefault("headers", headers)
        if "201" in responses:
            responses["201"].setdefault("headers", LOCATION)
        if "503" in responses:  # an operation that may ask to be retried says when
            responses["503"].setdefault("headers", RETRY)
        if isinstance(self.view, ConditionalEdits):
            if "200" in responses and self.method in {"GET", "PATCH", "PUT"}:
                responses["200"].setdefault("headers", {}).update(ETAG)
            if self.method in WRITES:
                operation.setdefault("parameters", []).append(IF_MATCH)
                responses.setdefault(
                    "412", {"description": "Changed since the ETag sent in If-Match was read: read it again."}
                )
        if isinstance(self.view, IdempotentCreates) and self.method == "POST":
            self._document_idempotency(operation)
        for code, response in responses.items():
            if code >= "400" and "content" not in response:  # an error described in words only
                error = self._get_response_for_code(error_response(response["description"]), code)
                response["content"] = error["content"]
        return operation

    @staticmethod
    def _document_idempotency(operation: dict) -> None:
        parameters = operation.setdefault("parameters", [])
        if not any(parameter["name"] == IDEMPOTENCY_KEY for parameter in parameters):
            parameters.append(IDEMPOTENCY_HEADER)
        responses = operation["responses"]
        for code, response in responses.items():
            if code.startswith("2"):
                response["headers"] = {**response.get("headers", {}), **REPLAYED_HEADER}
        responses.setdefault(
            "409",
            {
                "description": "`idempotency_key_in_use`: the first request with this key is still being answered."
            },
        )
        responses.setdefault(
            "422", {"description": "`idempotency_key_reused`: this key was sent before with another request."}
        )

    def _map_basic_serializer(self, serializer, direction):
        """A body that refuses a field it does not take (``KnownFieldsOnly``) says so: a client or a
        schema-driven tester then knows an extra property is a 400, not something ignored."""
        schema = super()._map_basic_serializer(serializer, direction)
        if isinstance(serializer, KnownFieldsOnly):
            if direction == "request":
                schema["additionalProperties"] = False
            # A serializer without a docstring of its own is described by the first one up its classes,
            # which was the mixin's note to this code's readers, not a word for clients.
            if schema.get("description") in {get_doc(KnownFieldsOnly), get_doc(NeededInPatch)}:
                del schema["description"]
        return schema

    def _common_errors(self, operation: dict) -> list[tuple[int, str, dict]]:
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        paginated = any(parameter["name"] == "page_size" for parameter in parameters)
        permissions = self.view.get_permissions()
        organisers_only = any(isinstance(permission, IsOrganiserElse404) for permission in permissions)
        site_admins_only = any(isinstance(permission, IsSiteAdminElse404) for permission in permissions)
        # Beyond signing in and being an organiser, a permission may refuse (a token where a browser
        # session is required); and session authentication refuses any write without its CSRF token.
        may_refuse = self.method not in SAFE_METHODS or any(
            not isinstance(permission, (IsAuthenticated, IsOrganiserElse404, IsSiteAdminElse404))
            for permission in permissions
        )
        errors: list[tuple[int, str, dict]] = []
        if has_body or any(parameter["in"] == "query" for parameter in parameters):
            errors.append(
                (400, "Invalid input: error.fields maps each field or parameter to its messages.", {})
            )
        errors.append(
            (401, "Not signed in: send a personal access token (Authorization: Bearer oth_…).", AUTH)
        )
        if may_refuse:
            errors.append(
                (403, "Refused: not allowed to you, or a browser session without its CSRF token.", {})
            )
        if site_admins_only:
            errors.append((404, "For site administrators only: everyone else gets 404.", {}))
        elif organisers_only:
            errors.append((404, "For organisers only: everyone else gets 404.", {}))
        elif any(parameter["in"] == "path" for parameter in parameters):
            errors.append((404, "No such object, or it is not yours to see.", {}))
        elif paginated:
            errors.append((404, "No such page: past the last one.", {}))
        if has_body:
            errors.append((415, "A Content-Type this operation does not read (see its request body).", {}))
        errors.append((429, "Too many requests: try again after Retry-After seconds.", RETRY))
        return errors

    def get_tags(self) -> list[str]:
        """A view that names no tag is filed under its path's first word after the version (``tokens``,
        ``skills``, ``notifications`` …); drf-spectacular's own default is the first word after
        ``/api/``, which put every such operation under ``v1``."""
        words = self._tokenize_path()
        return words[1:2] if words[:1] == ["v1"] and len(words) > 1 else words[:1]

    def get_paginated_name(self, serializer_name: str) -> str:
        if isinstance(self._get_paginator(), KeysetPagination):
            return f"{serializer_name}KeysetPage"
        return super().get_paginated_name(serializer_name)
