from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from lib.display_names import DisplayNameFormField
from lib.timezones import validate_timezone


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

    def save(self, request):
        user = super().save(request)
        from people.services import create_profile

        create_profile(
            user=user, display_name=self.cleaned_data["display_name"], timezone=self.cleaned_data["timezone"]
        )
        return user


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=80,
        help_text="What will use it, e.g. “calendar sync script”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


DELETE_PHRASE = "delete my account"


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.CharField(
        label=f"Type “{DELETE_PHRASE}” to confirm",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.", code="wrong_password")
        return password

    def clean_confirmation(self) -> str:
        typed = " ".join(self.cleaned_data["confirmation"].split()).lower()
        if typed != DELETE_PHRASE:
            raise forms.ValidationError(f"Type “{DELETE_PHRASE}” exactly.", code="not_confirmed")
        return typed
