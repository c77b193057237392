"""Web forms for programmes. The rules live in programmes.services; the forms only shape the input."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from openhelp.directory.programmes.models import MembershipRole, Programme
from openhelp.directory.programmes.rules import site_defaults, weight_names
from openhelp.directory.programmes.services import MAX_FOCUS_SKILLS, RULE_FIELDS, clean_programme_fields
from openhelp.directory.skills.forms import SkillField
from openhelp.platform.lib import bounded_json

SKILL_FIELDS = [f"skill_{n}" for n in range(1, 6)]
ERROR_FIELD = {"focus_skills": "skill_1"}
RULE_LABELS = {
    "response_hours_today": "Promised response for “today” asks (hours)",
    "response_hours_this_week": "Promised response for “this week” asks (hours)",
    "response_hours_flexible": "Promised response for “flexible” asks (hours)",
    "offers_per_round": "Experts an ask is offered to at once",
    "late_cancel_hours": "Late-cancel window (hours before the start)",
    "no_show_max": "No-shows that pause booking",
    "no_show_window_days": "…counted over this many days",
}


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (or at the top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = ERROR_FIELD.get(name, name)
        target = target if target in form.fields else None
        if target is None or target not in form.errors:
            form.add_error(target, messages)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the programme is for and who it is for. Markdown works.",
    )
    code_of_conduct = forms.CharField(
        label="Code of conduct",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Members read and accept it when they join. Markdown works.",
    )
    allowed_email_domain = forms.CharField(
        label="Allowed e-mail domain (optional)",
        required=False,
        max_length=253,
        help_text="People with an address at this domain (e.g. example.org) may join without an invite link.",
    )
    matching_weights = forms.CharField(
        label="Matching weights (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='JSON, e.g. {"load": 1.0, "fresh_perspective": 0}. Empty: the site\'s weights.',
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, name in enumerate(SKILL_FIELDS, start=1):
            self.fields[name] = SkillField(
                label=f"Focus skill {n} (optional)",
                user=user,
                required=False,
            )
        defaults = site_defaults()
        for name in RULE_FIELDS:
            # Say what "the site default" is: an organiser otherwise cannot tell whether to change it.
            self.fields[name] = forms.IntegerField(
                label=RULE_LABELS[name],
                required=False,
                min_value=0,
                help_text=f"Empty: the site default, {defaults[name]}.",
            )
        self.fields["matching_weights"].help_text += " Names: " + ", ".join(weight_names()) + "."

    @property
    def skill_fields(self) -> list:
        return [self[name] for name in SKILL_FIELDS]

    @property
    def rule_fields(self) -> list:
        return [self[name] for name in RULE_FIELDS]

    def clean_matching_weights(self) -> dict:
        text = (self.cleaned_data.get("matching_weights") or "").strip()
        if not text:
            return {}
        try:
            return bounded_json.loads(text)
        except bounded_json.JSONRejected as error:
            raise ValidationError(f'Write the weights as JSON, e.g. {{"load": 1.0}}. {error}') from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        fields = {name: value for name, value in self.programme_fields().items() if name not in self.errors}
        if any(name in self.errors for name in SKILL_FIELDS):
            fields.pop("focus_skills", None)
        try:
            clean_programme_fields(fields)
        except ValidationError as error:
            add_errors(self, error)
        return cleaned

    def programme_fields(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        fields = {
            name: data.get(name)
            for name in ("name", "description", "code_of_conduct", "allowed_email_domain", *RULE_FIELDS)
        }
        fields["matching_weights"] = data.get("matching_weights") or {}
        fields["focus_skills"] = [data[name] for name in SKILL_FIELDS if data.get(name)][:MAX_FOCUS_SKILLS]
        return fields

    @staticmethod
    def initial_for(programme: Programme) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(programme, name)
            for name in ("name", "description", "code_of_conduct", "allowed_email_domain", *RULE_FIELDS)
        }
        initial["matching_weights"] = (
            json.dumps(programme.matching_weights) if programme.matching_weights else ""
        )
        initial.update(zip(SKILL_FIELDS, programme.focus_skills.all(), strict=False))
        return initial


class JoinForm(forms.Form):
    accept_code_of_conduct = forms.BooleanField(
        label="I have read the code of conduct and I accept it", required=False
    )


class AddMembersForm(forms.Form):
    emails = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="People already on the platform, separated by commas, spaces or new lines.",
    )
    role = forms.ChoiceField(label="As", choices=MembershipRole.choices, initial=MembershipRole.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=MembershipRole.choices)
