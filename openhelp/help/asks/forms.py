"""Web forms for asks. The field rules live in asks.validation, so the form and the API say the same thing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from openhelp.directory.people.models import Language
from openhelp.directory.people.widgets import SearchableSelectMultiple
from openhelp.directory.programmes.access import programmes_of
from openhelp.directory.skills.forms import SkillField
from openhelp.help.asks.models import Ask, AskFormat, Urgency
from openhelp.help.asks.services import co_askers_on
from openhelp.help.asks.validation import (
    MAX_CO_ASKERS,
    MAX_MESSAGE,
    MAX_OBJECTIVE,
    MAX_PLACE,
    MAX_QUESTION,
    MAX_QUESTIONS,
    MAX_REASON,
    MAX_SKILLS,
    MAX_TITLE,
    clean_ask_fields,
)
from openhelp.platform.lib.forms import ModelMultipleChoiceField

QUESTION_FIELDS = [f"question_{n}" for n in range(1, MAX_QUESTIONS + 1)]
SKILL_FIELDS = [f"skill_{n}" for n in range(1, MAX_SKILLS + 1)]
# Where a rule about a list lands in the form: next to its first input.
ERROR_FIELD = {"preparation_questions": "question_1", "skills": "skill_1"}
EMAIL_SPLIT = re.compile(r"[\s,;]+")
# Behind "More options": the ask is complete without them (format has a default; one preparation question
# is required, so the first stays in view). Urgency stays in view too: someone stuck today must not have to
# find it to be helped today.
EXTRA_FIELDS = [
    "context",
    *QUESTION_FIELDS[1:],
    "format",
    "needed_by",
    "languages",
    "wants_known_mentor",
    "programme",
    "co_askers",
]
DEFAULTS = {"format": "call30", "urgency": "this_week"}


class CoAskerField(forms.CharField):
    """E-mail addresses of teammates already on the platform, separated by commas or spaces."""

    def to_python(self, value) -> list:
        text = super().to_python(value)
        emails = [e.lower() for e in EMAIL_SPLIT.split(text or "") if e]
        if not emails:
            return []
        if len(set(emails)) > MAX_CO_ASKERS:
            raise ValidationError(f"Add at most {MAX_CO_ASKERS} co-askers.", code="too_many")
        users = {
            u.email.lower(): u for u in get_user_model().objects.filter(email__in=emails, is_active=True)
        }
        unknown = [e for e in emails if e not in users]
        if unknown:
            raise ValidationError(
                "Nobody with the address %(emails)s is on the platform yet.",
                code="unknown",
                params={"emails": ", ".join(unknown)},
            )
        return list({users[e].pk: users[e] for e in emails}.values())

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(u, "email", str(u)) for u in value)
        return value

    def validate(self, value) -> None:
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value) -> None:
        return None


def co_asker_field() -> CoAskerField:
    return CoAskerField(
        label="Co-askers (optional)",
        required=False,
        help_text=f"Up to {MAX_CO_ASKERS} teammates working on the same project, by e-mail address, "
        "separated by commas. They see the ask, its thread and its session.",
    )


class AskForm(forms.Form):
    title = forms.CharField(
        label="Title (optional)",
        max_length=MAX_TITLE,
        required=False,
        help_text="A few words, e.g. “First A/B test analysis”. Left empty, we take it from your objective.",
    )
    objective = forms.CharField(
        label="Objective: by the end I can …",
        max_length=MAX_OBJECTIVE,
        help_text="Finish the sentence, e.g. “… read my A/B test results and decide whether to ship”.",
        error_messages={"required": "Say what you want to be able to do by the end."},
    )
    context = forms.CharField(
        label="Context and what you tried",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown works. Links, code and lists are fine; scripts are removed.",
    )
    format = forms.ChoiceField(label="Format", choices=AskFormat.choices, widget=forms.RadioSelect)
    languages = ModelMultipleChoiceField(
        label="Languages",
        queryset=Language.objects.all(),
        required=False,
        widget=SearchableSelectMultiple(
            add_label="Add a language", chosen_label="Chosen languages", placeholder="Type a language"
        ),
        help_text="Languages you are happy to be helped in; leave empty for any.",
    )
    urgency = forms.ChoiceField(
        label="How soon do you need help?", choices=Urgency.choices, widget=forms.RadioSelect
    )
    needed_by = forms.DateField(
        label="Needed by (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    wants_known_mentor = forms.BooleanField(label="Prefer someone I have met before", required=False)
    co_askers = co_asker_field()
    programme = forms.ModelChoiceField(
        label="Programme (optional)",
        queryset=None,
        required=False,
        empty_label="None — anyone on the site",
        help_text="Ask within one of your programmes: only its members are offered it and its rules apply.",
    )

    def __init__(self, *args: Any, user, directed_to=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.directed_to = directed_to

        self.fields["programme"].queryset = programmes_of(user)
        for n, name in enumerate(QUESTION_FIELDS, start=1):
            self.fields[name] = forms.CharField(
                label=f"Preparation question {n}" + (" (optional)" if n > 1 else ""),
                max_length=MAX_QUESTION,
                required=False,
                help_text="Something your expert can think about before you meet." if n == 1 else "",
            )
        for n, name in enumerate(SKILL_FIELDS, start=1):
            self.fields[name] = SkillField(
                label=f"Skill {n}" + (" (optional)" if n > 1 else ""),
                user=user,
                required=False,
                help_text="",  # one hint for the whole list, in the template
            )
        self.order_fields(["title", "objective", "context", *QUESTION_FIELDS, *SKILL_FIELDS])

    @classmethod
    def initial_for(cls, ask: Ask) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": ask.title,
            "objective": ask.objective,
            "context": ask.context,
            "format": ask.format,
            "languages": list(ask.languages.all()),
            "urgency": ask.urgency,
            "needed_by": ask.needed_by,
            "wants_known_mentor": ask.wants_known_mentor,
            # Saving the form unchanged keeps the pending invitations too.
            "co_askers": co_askers_on(ask),
            "programme": ask.programme,
        }
        initial.update(zip(QUESTION_FIELDS, ask.preparation_questions, strict=False))
        initial.update(zip(SKILL_FIELDS, ask.skills.all(), strict=False))
        return initial

    @property
    def extras_open(self) -> bool:
        """Show "More options" opened when one of them has an error or a value other than its default."""
        if self.is_bound and any(name in self.errors for name in EXTRA_FIELDS):
            return True
        return any(self._has_value(name) for name in EXTRA_FIELDS)

    def _has_value(self, name: str) -> bool:
        value = self[name].value()
        if value in (None, "", [], (), False):
            return False
        if isinstance(value, str):
            return bool(value.strip()) and value != DEFAULTS.get(name)
        return True

    @property
    def question_fields(self) -> list:
        return [self[name] for name in QUESTION_FIELDS]

    @property
    def more_question_fields(self) -> list:
        return [self[name] for name in QUESTION_FIELDS[1:]]

    @property
    def skill_fields(self) -> list:
        return [self[name] for name in SKILL_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # The shared rules, for what parsed; a list already flagged (an unknown skill) is not re-judged.
        fields = self.ask_fields()
        if any(name in self.errors for name in SKILL_FIELDS):
            fields.pop("skills")
        if any(name in self.errors for name in QUESTION_FIELDS):
            fields.pop("preparation_questions")
        for name in list(fields):
            if name in self.errors:
                fields.pop(name)
        if "objective" in self.errors and not fields.get("title"):
            # The optional title is taken from the objective: the objective's own error says what to do.
            fields.pop("title", None)
        try:
            clean_ask_fields(fields, mentee=self.user)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = ERROR_FIELD.get(field, field if field in self.fields else None)
                if target is None or target not in self.errors:
                    self.add_error(target, messages)
        return cleaned

    def ask_fields(self) -> dict[str, Any]:
        """Keyword arguments for asks.services.create_ask / update_ask."""
        data = getattr(self, "cleaned_data", {})
        fields = {
            name: data.get(name)
            for name in (
                "title",
                "objective",
                "context",
                "format",
                "urgency",
                "needed_by",
                "wants_known_mentor",
            )
        }
        fields["languages"] = list(data.get("languages") or [])
        fields["co_askers"] = data.get("co_askers") or []
        fields["preparation_questions"] = [data.get(name) or "" for name in QUESTION_FIELDS]
        fields["skills"] = [data[name] for name in SKILL_FIELDS if data.get(name)]
        fields["directed_to"] = self.directed_to
        if self.fields["programme"].queryset.exists() or data.get("programme") is not None:
            fields["programme"] = data.get("programme")
        return fields


class ThreadForm(forms.Form):
    """The ask page shows several small forms at once; a prefix per form keeps their element ids unique."""

    id_prefix = "thread"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling?",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence is enough, e.g. “Solved it with a colleague”. The expert sees it.",
    )


class MessageForm(ThreadForm):
    id_prefix = "message"

    body = forms.CharField(
        label="Message",
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown works: **bold**, `code`, lists and links.",
    )


class FollowUpForm(ThreadForm):
    id_prefix = "follow_up"

    body = forms.CharField(
        label="Your follow-up question",
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnsweredForm(ThreadForm):
    id_prefix = "answered"

    body = forms.CharField(
        label="A last message (optional)",
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScheduleForm(ThreadForm):
    id_prefix = "schedule"

    scheduled_for = forms.DateTimeField(
        label="Agreed date and time (your time zone)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(
        label="Where",
        max_length=MAX_PLACE,
        help_text="A meeting link, a room or a phone number.",
    )


class CoAskersForm(ThreadForm):
    id_prefix = "co_askers"

    co_askers = co_asker_field()
