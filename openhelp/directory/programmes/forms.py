"""Web forms for programmes. The rules live in programmes.services; the forms only shape the input."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from openhelp.directory.matching.weight_labels import CONSTANT_LABELS, SIGNAL_LABELS
from openhelp.directory.programmes.models import MembershipRole, Programme
from openhelp.directory.programmes.rules import site_defaults, site_weights
from openhelp.directory.programmes.services import MAX_FOCUS_SKILLS, RULE_FIELDS, clean_programme_fields
from openhelp.directory.skills.forms import SkillField

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


RESET_WEIGHTS = "use_default_weights"
WEIGHT_NAMES = [*SIGNAL_LABELS, *CONSTANT_LABELS]
# Constants the scorer needs above zero (a zero would divide by zero or freeze a decay).
ABOVE_ZERO = {"activity_half_life_days", "response_hours_scale", "slot_hours_scale", "load_window_weeks"}
AT_MOST_ONE = {"neutral", "related_skill_credit"}


def weight_field(name: str) -> str:
    return f"weight_{name}"


def weight_form_field(name: str, *, label: str, description: str, default: float) -> forms.Field:
    """One number per weight: empty follows the site (its value said in the help), errors say what the
    number must be."""
    minimum = 1 if name == "load_window_weeks" else 0
    messages = {
        "invalid": f"Enter a number, like {default:g}.",
        "min_value": "Enter a number above zero." if name in ABOVE_ZERO else "Enter zero or more.",
        "max_value": "Enter a number between 0 and 1.",
    }
    if name in SIGNAL_LABELS:
        messages["min_value"] = "Enter zero or more (0 switches this signal off)."
    # A text box, not type="number": a browser sends "" for "1,5" in a number box, which would quietly mean
    # "the default" instead of an error next to what was typed. No placeholder: a grey default reads as set.
    attrs = {"inputmode": "decimal", "autocomplete": "off"}
    help_text = f"{description} Empty: the site default, {default:g}."
    if name == "load_window_weeks":
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=minimum,
            help_text=help_text,
            error_messages={**messages, "invalid": "Enter a whole number of weeks, like 4."},
            widget=forms.TextInput(attrs={**attrs, "inputmode": "numeric"}),
        )
    field = forms.FloatField(
        label=label,
        required=False,
        min_value=minimum,
        max_value=1 if name in AT_MOST_ONE else None,
        help_text=help_text,
        error_messages=messages,
        widget=forms.TextInput(attrs=attrs),
    )
    if name in ABOVE_ZERO:
        field.validators.append(_above_zero)
    return field


def _above_zero(value: float) -> None:
    if value is not None and value <= 0:
        raise ValidationError("Enter a number above zero.", code="min_value")


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
        weights = site_weights()
        for name, (label, description) in (SIGNAL_LABELS | CONSTANT_LABELS).items():
            self.fields[weight_field(name)] = weight_form_field(
                name, label=label, description=description, default=weights[name]
            )
        if self.resets_weights:
            # Every weight box emptied, everything else as typed: the page shows what is saved.
            data = cast(QueryDict, self.data).copy()  # a POST: the button is only ever posted
            for name in WEIGHT_NAMES:
                data[weight_field(name)] = ""
            self.data = data

    @property
    def skill_fields(self) -> list:
        return [self[name] for name in SKILL_FIELDS]

    @property
    def rule_fields(self) -> list:
        return [self[name] for name in RULE_FIELDS]

    @property
    def signal_weight_fields(self) -> list:
        return [self[weight_field(name)] for name in SIGNAL_LABELS]

    @property
    def constant_weight_fields(self) -> list:
        return [self[weight_field(name)] for name in CONSTANT_LABELS]

    @property
    def constants_in_use(self) -> bool:
        """A constant set or wrong: its part of the form opens, so nothing set is hidden."""
        return any(field.value() not in (None, "") or field.errors for field in self.constant_weight_fields)

    @property
    def resets_weights(self) -> bool:
        """The "Use the default weights" button: save with no override, whatever the boxes hold."""
        return self.is_bound and RESET_WEIGHTS in self.data

    def matching_weights(self) -> dict[str, float]:
        data = getattr(self, "cleaned_data", {})
        return {
            name: data[weight_field(name)]
            for name in WEIGHT_NAMES
            if data.get(weight_field(name)) is not None
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        fields = {name: value for name, value in self.programme_fields().items() if name not in self.errors}
        if any(name in self.errors for name in SKILL_FIELDS):
            fields.pop("focus_skills", None)
        if any(weight_field(name) in self.errors for name in WEIGHT_NAMES):
            fields.pop("matching_weights", None)  # a half-read set would be judged as if it were whole
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
        fields["matching_weights"] = self.matching_weights()
        fields["focus_skills"] = [data[name] for name in SKILL_FIELDS if data.get(name)][:MAX_FOCUS_SKILLS]
        return fields

    @staticmethod
    def initial_for(programme: Programme) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(programme, name)
            for name in ("name", "description", "code_of_conduct", "allowed_email_domain", *RULE_FIELDS)
        }
        initial.update({weight_field(name): value for name, value in programme.matching_weights.items()})
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
