"""Sign-up: allauth's account form, plus the person's profile made in the same step."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation

from openhelp.directory.people.services import create_profile
from openhelp.platform.lib.display_names import DisplayNameFormField
from openhelp.platform.lib.forms import name_as_e_mail
from openhelp.platform.lib.timezones import validate_timezone


def minimum_password_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 1


class SignupForm(AllauthSignupForm):
    """Sign-up asks for a name and captures the time zone (filled in from the browser, editable)."""

    display_name = DisplayNameFormField(label="Your name", max_length=80)
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        initial="UTC",
        validators=[validate_timezone],
        help_text="An IANA name such as Europe/Berlin; we fill it in from your browser.",
        widget=forms.TextInput(
            attrs={"data-detect-timezone": "", "list": "timezone-options", "autocomplete": "off"}
        ),
    )

    field_order = ["display_name", "email", "password1", "password2", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_as_e_mail(self.fields["email"])
        # One line instead of Django's four bullets above the field; the checks themselves are unchanged and
        # each still names itself when it fails.
        self.fields["password1"].help_text = (
            f"At least {minimum_password_length()} characters: not a common password, not only digits, "
            "and not like your name or e-mail address."
        )
        for name in ("password1", "password2"):  # a placeholder repeating the label only adds noise
            self.fields[name].widget.attrs.pop("placeholder", None)

    def save(self, request):
        user = super().save(request)
        create_profile(
            user=user, display_name=self.cleaned_data["display_name"], timezone=self.cleaned_data["timezone"]
        )
        return user
