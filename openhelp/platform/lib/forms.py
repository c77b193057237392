"""Shared pieces of the web forms: the project's form renderer (labels without a colon) and the one
mapping from a service's ValidationError to a Django form's errors (the API side is
openhelp/platform/api/errors.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from openhelp.platform.lib.numbers import DATABASE_INTEGERS


class BoundField(forms.BoundField):
    """A field's label with no suffix unless the field asks for one: Django's default ":" ("Only during
    my working hours:") made the labels it renders differ from the hand-written ones, which have none."""

    def label_tag(
        self, contents: Any = None, attrs: Any = None, label_suffix: str | None = None, tag: Any = None
    ) -> Any:
        if label_suffix is None:
            label_suffix = self.field.label_suffix if self.field.label_suffix is not None else ""
        return super().label_tag(contents, attrs, label_suffix=label_suffix, tag=tag)

    # legend_tag() goes through label_tag().


def name_as_e_mail(field: forms.Field) -> None:
    """allauth's address field, in the product's words ("E-mail address"; allauth says "Email")."""
    field.label = "E-mail address"
    field.widget.attrs["placeholder"] = "you@example.org"


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # any model
    """Django's field, refusing an id no database integer can hold as an invalid choice.

    Django checks each id with ``filter(pk=…)`` (which answers "none" for an id out of range) and then
    reads the chosen rows with ``pk__in=[…]``, which SQLite cannot even send: OverflowError, a 500 for
    ``languages=99999999999999999999`` on the profile and ask forms."""

    def clean(self, value: Any) -> Any:
        assert self.queryset is not None  # every use names its queryset
        meta = self.queryset.model._meta
        key_field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key_field, models.IntegerField) and isinstance(value, list | tuple):
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # not a number: Django's own check refuses it
                if number not in DATABASE_INTEGERS:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super().clean(value)


class LongSelect(forms.Select):
    """Django's select, written in Python: the same HTML, for lists of hundreds of options (the time zones).

    Django's own select renders a template per option; for the 554 time zones that took about 45 ms of CPU
    per select, and the office-hours editor shows two on every request.
    """

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = "".join(_optgroup(*group) for group in widget["optgroups"])
        select = f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>{groups}\n</select>'
        return mark_safe(select)  # noqa: S308 - every name, value and label in it was escaped


def _attributes(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them: in their order, ``True`` as a bare name, ``False`` left out."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _optgroup(label: str | None, options: list[dict[str, Any]], _index: int) -> str:
    """One group of options as django/forms/widgets/select.html writes it, each option followed by the
    newline that ends select_option.html (most lists have one group, unnamed)."""
    written = "".join(
        f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
        for option in options
    )
    if not label:
        return written
    return f'\n  <optgroup label="{conditional_escape(label)}">{written}\n  </optgroup>'


class FormRenderer(DjangoTemplates):
    """Django's default renderer (its own form templates, then the apps'), whose forms use ``BoundField``
    — every form of the project at once (``FORM_RENDERER``; Django reads ``bound_field_class`` from it).
    The admin's read-only fields write the form's own ``label_suffix`` and so keep Django's colon."""

    bound_field_class = BoundField


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, mapping: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError next to the matching field, the rest at the top of the form.

    ``mapping`` renames a service field to the form's (``{"resources": "resource_1_url"}``); an error on a
    field the form does not have goes to the top, so nothing the service said is lost.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.message_dict.items():
        target = (mapping or {}).get(field, field)
        form.add_error(target if target in form.fields else None, field_errors)
