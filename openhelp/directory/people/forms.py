"""Profile forms. Rules live in people.validators and the model; these only present them."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from openhelp.directory.people.directory import DirectoryFilters
from openhelp.directory.people.models import SKILL_LEVELS, Format, Language, Profile, Team
from openhelp.directory.people.services import OfferedSkill, WantedSkill
from openhelp.directory.people.validators import (
    LEVEL_MESSAGE,
    duplicate_skill_error,
    validate_level,
    validate_pause_until,
)
from openhelp.directory.people.widgets import SearchableSelectMultiple
from openhelp.directory.skills.forms import SkillAutocompleteInput, SkillField
from openhelp.platform.lib.forms import ModelMultipleChoiceField

MAX_SKILL_ROWS = 50


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "display_name",
            "headline",
            "bio",
            "team",
            "location",
            "timezone",
            "languages",
            "avatar_initials",
            "avatar_colour",
            "meeting_link",
            "working_hours_start",
            "working_hours_end",
        ]
        labels = {
            "display_name": "Name",
            "timezone": "Time zone",
            "avatar_initials": "Avatar initials",
            "avatar_colour": "Avatar colour",
            "working_hours_start": "Working hours start",
            "working_hours_end": "Working hours end",
        }
        help_texts = {
            "headline": "One line, e.g. “Data engineer, happy to help with SQL and dbt”.",
            "timezone": "An IANA name such as Europe/Berlin or America/New_York.",
            "languages": "The languages you can help in.",
            "avatar_initials": "Up to 3 letters; we use your name's initials when empty.",
            "avatar_colour": "# and six hex digits, e.g. #1a7f5a.",
            "meeting_link": "Your video-call room; https:// links only.",
            "working_hours_start": "In your own time zone.",
        }
        field_classes = {"languages": ModelMultipleChoiceField}
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 8}),
            "timezone": forms.TextInput(attrs={"list": "timezone-options", "autocomplete": "off"}),
            "languages": SearchableSelectMultiple(
                add_label="Add a language", chosen_label="Your languages", placeholder="Type a language"
            ),
            "avatar_colour": forms.TextInput(attrs={"placeholder": "#1a7f5a", "pattern": "#[0-9a-fA-F]{6}"}),
            "meeting_link": forms.URLInput(attrs={"placeholder": "https://meet.example.org/you"}),
            "working_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "working_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].empty_label = "No team"
        self.fields[
            "bio"
        ].help_text = f"Markdown: **bold**, _italic_, lists and links. Up to {settings.PROFILE_BIO_MAX_CHARS} characters."

    def changes(self) -> dict:
        """Keyword arguments for people.services.update_profile."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "languages"}
        return {**data, "languages": self.cleaned_data["languages"]}


class FlagInput(forms.CheckboxInput):
    """A checkbox that also reads API-style query values: "1", "true", "on", "yes" (anything else is off)."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if isinstance(value, str):
            return value.strip().lower() in {"1", "true", "on", "yes"}
        return bool(value)


OPEN_WITHOUT_SKILLS = (
    "Add at least one skill below: asks reach people through the skills they list. "
    "Not ready yet? Untick this box for now."
)


class OpenToHelpForm(forms.Form):
    open_to_help = forms.BooleanField(
        label="I'm open to help",
        required=False,
        widget=FlagInput,
        help_text="Shows the badge on your profile.",
    )
    formats = forms.MultipleChoiceField(
        label="Formats I offer",
        choices=Format.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip-check"}),
    )
    sessions_per_week = forms.IntegerField(
        label="Sessions per week",
        required=False,
        min_value=0,
        max_value=50,
        help_text="How many you can take on each week.",
    )
    minutes_per_week = forms.IntegerField(
        label="Minutes per week", required=False, min_value=0, max_value=3000, help_text="Or a time budget."
    )
    paused_until = forms.DateField(
        label="Pause until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Away for a while? You are back on this day by yourself.",
    )

    def __init__(self, *args, profile: Profile, **kwargs) -> None:
        self.profile = profile
        if "initial" not in kwargs:
            kwargs["initial"] = {
                # Someone setting it up for the first time came here to be open to help ("Mark yourself open
                # to help"): the box starts ticked. Once they have skills or formats, it shows what they chose.
                "open_to_help": profile.open_to_help
                or not (profile.formats or profile.skills_offered.exists()),
                "formats": profile.formats,
                "sessions_per_week": profile.sessions_per_week,
                "minutes_per_week": profile.minutes_per_week,
                # A pause that has ended on its own is not offered again: re-saving must not fail on it.
                "paused_until": profile.paused_until if profile.is_paused() else None,
            }
        super().__init__(*args, **kwargs)

    def clean_paused_until(self):
        value = self.cleaned_data["paused_until"]
        validate_pause_until(value, current=self.profile.paused_until)
        return value


LEVEL_CHOICES = [("", "Choose a level")] + [
    (level, f"{level} — {words}") for level, words in SKILL_LEVELS.items()
]


class SkillOfferForm(forms.Form):
    """One row of the open-to-help table; the column headers carry the help, so the fields carry none."""

    skill = SkillField(
        label="Skill", help_text="", widget=SkillAutocompleteInput(attrs={"placeholder": "Add a skill"})
    )
    level = forms.IntegerField(
        label="Level",
        validators=[validate_level],
        widget=forms.Select(choices=LEVEL_CHOICES),
        error_messages={"required": LEVEL_MESSAGE},
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=280,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. query plans and indexes"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].set_user(user)


class SkillWantedForm(forms.Form):
    skill = SkillField(label="Skill")
    note = forms.CharField(
        label="Note (optional)", max_length=280, required=False, help_text="What you want to be able to do."
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].set_user(user)


class SkillRowFormSet(forms.BaseFormSet):
    """Rows of skills; a blank row is ignored, "Remove" drops a row, a repeated skill is an error on its row."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this row"

    def initial_form_count(self) -> int:
        # Once posted, every row may be left blank to drop it, so none counts as a required initial row.
        return 0 if self.is_bound else super().initial_form_count()

    def clean(self) -> None:
        seen: set[int] = set()
        for form in self.forms:
            if self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            skill = form.cleaned_data.get("skill")
            if skill is None:
                continue
            if skill.pk in seen:
                form.add_error("skill", duplicate_skill_error(skill.name))
            seen.add(skill.pk)

    def kept_forms(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if not self._should_delete_form(form) and form.cleaned_data.get("skill") is not None
        ]


class SkillOfferFormSet(SkillRowFormSet):
    def rows(self) -> list[OfferedSkill]:
        return [
            OfferedSkill(
                skill=f.cleaned_data["skill"], level=f.cleaned_data["level"], note=f.cleaned_data["note"]
            )
            for f in self.kept_forms()
        ]


class SkillWantedFormSet(SkillRowFormSet):
    def rows(self) -> list[WantedSkill]:
        return [
            WantedSkill(skill=f.cleaned_data["skill"], note=f.cleaned_data["note"]) for f in self.kept_forms()
        ]


def _formset(form, base):
    return forms.formset_factory(
        form, formset=base, extra=1, can_delete=True, max_num=MAX_SKILL_ROWS, validate_max=True
    )


OfferFormSet = _formset(SkillOfferForm, SkillOfferFormSet)
WantedFormSet = _formset(SkillWantedForm, SkillWantedFormSet)


def with_added_row(data, prefix: str):
    """The posted data plus one blank row: the no-JavaScript "add another" button."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except (TypeError, ValueError):
        total = 0
    data[key] = str(min(total + 1, MAX_SKILL_ROWS))
    return data


TZ_OVERLAP_CHOICES = [("", "Any time zone"), (0, "Same offset as me"), (1, "±1 hour"), (2, "±2 hours")]
TZ_OVERLAP_CHOICES += [(3, "±3 hours"), (5, "±5 hours"), (8, "±8 hours")]


class DirectoryFilterForm(forms.Form):
    """Parses the directory's query string, for the web page and the API alike."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    skill = forms.CharField(
        label="Skill",
        required=False,
        max_length=80,
        widget=SkillAutocompleteInput(attrs={"placeholder": "e.g. Python"}),
    )
    open_now = forms.BooleanField(label="Open to help now", required=False, widget=FlagInput)
    format = forms.ChoiceField(label="Format", required=False, choices=[("", "Any format"), *Format.choices])
    language = forms.ModelChoiceField(
        label="Language",
        required=False,
        queryset=Language.objects.all(),
        to_field_name="code",
        empty_label="Any language",
    )
    team = forms.ModelChoiceField(
        label="Team",
        required=False,
        queryset=Team.objects.all(),
        to_field_name="slug",
        empty_label="Any team",
    )
    tz_overlap = forms.IntegerField(
        label="Time zone near mine",
        required=False,
        min_value=0,
        max_value=12,
        widget=forms.Select(choices=TZ_OVERLAP_CHOICES),
    )

    MORE = ("format", "language", "team", "tz_overlap")  # behind "More filters" on the page

    def more_fields(self) -> list:
        return [self[name] for name in self.MORE]

    def more_open(self) -> bool:
        """Show "More filters" opened when one of them is chosen or has an error."""
        return self.is_bound and any(self.data.get(name) or name in self.errors for name in self.MORE)

    def to_filters(self, *, tz_reference: str) -> DirectoryFilters:
        """The filters that are valid (an invalid one is left out, and shown with its error)."""
        data = self.cleaned_data if self.is_bound else {}
        language, team = data.get("language"), data.get("team")
        return DirectoryFilters(
            q=(data.get("q") or "").strip(),
            skill=(data.get("skill") or "").strip(),
            open_now=bool(data.get("open_now")),
            format=data.get("format") or "",
            language=language.code if language else "",
            team=team.slug if team else "",
            tz_within_hours=data.get("tz_overlap"),
            tz_reference=tz_reference,
        )


def service_errors_to_form(error: ValidationError, form: forms.Form) -> None:
    """Put a service's ValidationError next to the matching fields (the rest on the form itself)."""
    for field, messages in (
        error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    ):
        form.add_error(field if field in form.fields else None, messages)
