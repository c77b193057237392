"""Forms for the skill taxonomy, and ``SkillField``: the reusable "type a skill" field for other apps.

Usage in another app's form::

    from skills.forms import SkillField

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
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html

from skills.models import Skill, SkillCategory, normalise_skill_name
from skills.services import resolve_skill

UNKNOWN_SKILL_MESSAGE = "We don't know the skill “{name}” yet. Check the spelling or propose it."


class SkillAutocompleteInput(forms.TextInput):
    """A text input that autocomplete.js enhances; stays a plain text box without JavaScript."""

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
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            # A bound ModelForm's initial value is the skill's primary key; show its name instead.
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


class RenameSkillForm(forms.Form):
    name = forms.CharField(label="New name", max_length=80)


class MergeSkillForm(forms.Form):
    into = SkillField(label="Merge into", help_text="The skill that stays; this one becomes its alias.")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].set_user(user)


def skill_link(skill: Skill) -> str:
    return format_html('<a href="{}">{}</a>', reverse_lazy("skills:detail", args=[skill.slug]), skill.name)
