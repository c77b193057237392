"""Private text stays private in the admin too.

Nothing private is readable by anyone but its audience, administrators included: a private kudos'
message, an introduction's note, a thread message, the rendered text of a notification, a TOTP secret.
Every ModelAdmin and inline in the project derives from ``PrivateTextAdmin`` / ``PrivateTextInline`` (a
test walks the admin site and holds every registered admin to it) and names its model's private fields in
``private_fields``. Those fields are then left out everywhere the admin could show, search, sort, filter
or edit them — the change form (replaced by one read-only "private" line), the change list, the search
box and the form a POST is validated against. ``shows_private_text(obj)`` lets a row opt back in when its
text is public (a public kudos).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib import admin
from django.db import models
from django.db.models import Model
from django.http import HttpRequest

REDACTED = "Private: only the people it is for can read it, administrators included."
REDACTION_FIELD = "private_text"


class PrivateTextMixin:
    """Hide ``private_fields`` of the admin's model from every admin page. Use the classes below."""

    private_fields: tuple[str, ...] = ()
    # An address typed without a scheme is read as https (Django 6's default; 5.2 warns on every form).
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.URLField: {"assume_scheme": "https"}
    }

    def shows_private_text(self, obj: Model) -> bool:
        """Whether this row's private fields are in fact public (e.g. a kudos marked public)."""
        return False

    def _hidden_fields(self, obj: Model | None) -> tuple[str, ...]:
        if not self.private_fields:
            return ()
        # Lists, search, inlines (whose obj is the parent) and the add form have no row of this model to
        # ask, so they always hide.
        if obj is not None and isinstance(obj, self.model) and self.shows_private_text(obj):  # type: ignore[attr-defined]
            return ()
        return self.private_fields

    def _is_private(self, name: Any) -> bool:
        return isinstance(name, str) and name in self.private_fields

    @admin.display(description="Private text")
    def private_text(self, obj: Model | None = None) -> str:
        return REDACTED

    def _without(self, fields: Any, hidden: tuple[str, ...]) -> list[Any]:
        kept = []
        for field in fields:
            if isinstance(field, (list, tuple)):  # several fields on one line
                field = tuple(name for name in field if name not in hidden)
                if field:
                    kept.append(field)
            elif field not in hidden:
                kept.append(field)
        return kept

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[Any]:
        hidden = self._hidden_fields(obj)
        fields = self._without(super().get_fields(request, obj), hidden)  # type: ignore[misc]
        if hidden and REDACTION_FIELD not in fields:
            fields.append(REDACTION_FIELD)
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list[Any]:
        hidden = self._hidden_fields(obj)
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):  # type: ignore[misc]
            fieldsets.append((name, {**options, "fields": self._without(options.get("fields", ()), hidden)}))
        shown = {field for _, options in fieldsets for field in options["fields"]}
        if hidden and fieldsets and REDACTION_FIELD not in shown:
            fieldsets[0][1]["fields"].append(REDACTION_FIELD)
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[Any]:
        hidden = self._hidden_fields(obj)
        readonly = [name for name in super().get_readonly_fields(request, obj) if name not in hidden]  # type: ignore[misc]
        return [*readonly, REDACTION_FIELD] if hidden else readonly

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> list[str] | None:
        hidden = self._hidden_fields(obj)
        exclude = list(super().get_exclude(request, obj) or ())  # type: ignore[misc]
        return [*exclude, *(name for name in hidden if name not in exclude)] or None


class PrivateTextAdmin(PrivateTextMixin, admin.ModelAdmin):  # type: ignore[type-arg]  # any model
    """The project's ModelAdmin: ``private_fields`` never reach a list, a search or a form."""

    def __init__(self, model: type[Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)
        # list_editable has no get_ hook: a private field there would be an editable column.
        self.list_editable = [name for name in self.list_editable if not self._is_private(name)]  # type: ignore[misc]

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return [name for name in super().get_list_display(request) if not self._is_private(name)]

    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> Any:
        links = super().get_list_display_links(request, list_display)
        return links if links is None else [name for name in links if not self._is_private(name)]

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [name for name in super().get_list_filter(request) if not self._is_private(name)]

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        # "^body", "=body", "body__icontains": searching private text would tell whether it says something.
        return [
            name
            for name in super().get_search_fields(request)
            if name.lstrip("^=@").split("__")[0] not in self.private_fields
        ]

    def get_sortable_by(self, request: HttpRequest) -> list[Any]:
        return [name for name in super().get_sortable_by(request) if not self._is_private(name)]


class PrivateTextInline(PrivateTextMixin, admin.TabularInline):  # type: ignore[type-arg]  # any model
    """The project's inline: its model's ``private_fields`` are never shown or editable."""
