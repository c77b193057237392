"""Forms for moments and introductions. The rules live in the services; these only present them."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from openhelp.community.moments.models import MAX_INTRODUCTION_NOTE, MAX_MESSAGE, MAX_MOMENT_NOTE, MomentKind
from openhelp.directory.people.models import Profile


class PersonField(forms.CharField):
    """Someone on the platform, typed as their e-mail address or their exact name."""

    default_error_messages = {
        "unknown": "We don't know anyone called “%(text)s”. Check the spelling or use their e-mail address.",
        "ambiguous": "Several people are called “%(text)s”; use their e-mail address instead.",
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("help_text", "Their name as on their profile, or their e-mail address.")
        super().__init__(**kwargs)

    def to_python(self, value):
        if hasattr(value, "pk"):
            return value
        text = " ".join((super().to_python(value) or "").split())
        if not text:
            return None
        users = get_user_model().objects.filter(is_active=True).select_related("profile")
        if "@" in text:
            matches = list(users.filter(email__iexact=text)[:2])
        else:
            profiles = Profile.objects.filter(display_name__iexact=text, user__is_active=True)
            matches = list(users.filter(pk__in=profiles.values("user_id"))[:2])
        if not matches:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"text": text})
        if len(matches) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"text": text})
        return matches[0]

    def prepare_value(self, value):
        return value.display_name if hasattr(value, "display_name") else value

    def validate(self, value) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value) -> None:
        return None


class MomentForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of moment?", choices=MomentKind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="In one line",
        max_length=MAX_MOMENT_NOTE,
        help_text="e.g. “Showed Ana how I structure a design review”.",
        error_messages={"required": "Say in one line what happened."},
    )
    person = PersonField(label="With (optional)", required=False)
    occurred_on = forms.DateField(
        label="When (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.",
    )
    is_public = forms.BooleanField(
        label="Show it on my profile",
        required=False,
        help_text="Only the kind and the line are shown, never who it was with. Private by default.",
    )


class IntroductionForm(forms.Form):
    first = PersonField(label="Introduce")
    second = PersonField(label="To")
    note = forms.CharField(
        label="Note to both",
        max_length=MAX_INTRODUCTION_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why should they meet? Both see it; both must accept before they are connected.",
    )


class MessageForm(forms.Form):
    body = forms.CharField(label="Message", max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 3}))
