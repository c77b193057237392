"""Forms for the skill taxonomy, and ``SkillField``: the reusable "type a skill" field for other apps.

Usage in another app's form::

    from openhelp.directory.skills.forms import SkillField

    class OfferSkillForm(forms.Form):
        skill = SkillField(label="Skill")

        def __init__(self, *args, user, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["skill"].set_user(user)   # or SkillField(user=user) when built per request

``cleaned_data["skill"]`` is then a ``Skill`` instance visible to that user (approved, or proposed by
them). The input renders as ``<input data-skill-autocomplete …>`` so static/js/autocomplete.js turns it
into an accessible combobox; without JavaScript it is a plain text box resolved on the server.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils.html import format_html

from openhelp.directory.skills import services
from openhelp.directory.skills.models import Skill, SkillCategory, name_clash, normalise_skill_name
from openhelp.directory.skills.services import resolve_skill

UNKNOWN_SKILL_MESSAGE = "We don't know the skill “{name}” yet. Check the spelling or propose it."


class SkillAutocompleteInput(forms.TextInput):
    """A text input that autocomplete.js enhances; stays a plain text box without JavaScript.

    Templates that render ``{{ form.media }}`` get the script automatically.
    """

    class Media:
        js = ["js/autocomplete.js"]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"autocomplete": "off", "data-skill-autocomplete": ""}
        base.update(attrs or {})
        super().__init__(attrs=base)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Resolved at render time so the widget can be built before the URLconf is loaded.
        context["widget"]["attrs"].setdefault("data-autocomplete-url", reverse("skills:autocomplete"))
        return context

    def format_value(self, value):
        if isinstance(value, Skill):
            return value.name
        if isinstance(value, int) and not isinstance(value, bool):
            # An initial value given as a primary key; typed text (always a str) is shown as typed.
            skill = Skill.objects.filter(pk=value).only("name").first()
            return skill.name if skill else super().format_value(value)
        return super().format_value(value)


class SkillField(forms.CharField):
    """A text field that resolves a typed skill name or alias ("k8s") to a ``Skill`` the user may use.

    Pass ``user=`` when constructing it, or call ``set_user(user)`` from the form's ``__init__``;
    without a user only approved skills resolve. Unknown names raise a clear, specific error.
    """

    widget = SkillAutocompleteInput
    default_error_messages = {"unknown": UNKNOWN_SKILL_MESSAGE}

    def __init__(self, *, user=None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("help_text", "Start typing: names and common abbreviations both work.")
        self.user = user
        super().__init__(**kwargs)

    def set_user(self, user) -> None:
        self.user = user

    def prepare_value(self, value):
        if isinstance(value, Skill):
            return value.name
        return value

    def to_python(self, value):
        if isinstance(value, Skill):
            return value
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        # Before the look-up: a NUL cannot even be compared on PostgreSQL.
        ProhibitNullCharactersValidator()(text)
        skill = resolve_skill(text, user=self.user)
        if skill is None:
            raise forms.ValidationError(
                self.error_messages["unknown"].format(name=text.strip()),
                code="unknown",
            )
        return skill

    def validate(self, value) -> None:
        # CharField.validate expects text; the required check still applies to the resolved value.
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value) -> None:
        # max_length validates the typed text, which CharField already bounded via the widget.
        if isinstance(value, Skill):
            return
        super().run_validators(value)

    def has_changed(self, initial, data) -> bool:
        initial_name = initial.name if isinstance(initial, Skill) else (initial or "")
        return normalise_skill_name(str(initial_name)) != normalise_skill_name(str(data or ""))


class SkillSearchForm(forms.Form):
    q = forms.CharField(label="Search skills", required=False, max_length=80)
    category = forms.ModelChoiceField(
        label="Category",
        queryset=SkillCategory.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label="All categories",
    )


class ProposeSkillForm(forms.Form):
    name = forms.CharField(label="Skill name", max_length=80)
    category = forms.ModelChoiceField(
        label="Category", queryset=SkillCategory.objects.all(), required=False, empty_label="No category"
    )
    parent = SkillField(
        label="Part of (optional)",
        required=False,
        help_text="A broader skill this one belongs to, e.g. Django is part of Python.",
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["parent"].set_user(user)

    def clean_name(self) -> str:
        # Checked here as well as in propose_skill so a duplicate shows alongside any other error.
        name = self.cleaned_data["name"]
        existing = name_clash(name)
        if existing is not None:
            raise duplicate_error(name, existing, user=self.user)
        return name


def duplicate_error(name: str, existing: Skill, *, user) -> forms.ValidationError:
    """The duplicate-name error, linking to the existing skill when this person may open it."""
    error = services.duplicate_skill_error(name, existing, user=user)
    if existing.is_public or existing.proposed_by_id == getattr(user, "pk", None):
        message = format_html(
            '{} <a href="{}">Open “{}”</a>.', error.messages[0], existing.get_absolute_url(), existing.name
        )
        return forms.ValidationError(message, code="duplicate")
    return forms.ValidationError(error.messages[0], code="duplicate")


class RenameSkillForm(forms.Form):
    name = forms.CharField(label="New name", max_length=80)


class MergeSkillForm(forms.Form):
    into = SkillField(label="Merge into", help_text="The skill that stays; this one becomes its alias.")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].set_user(user)
