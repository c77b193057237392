from __future__ import annotations

from django import forms

from openhelp.platform.accounts import services


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
        services.check_current_password(user=self.user, password=password)
        return password

    def clean_confirmation(self) -> str:
        typed = " ".join(self.cleaned_data["confirmation"].split()).lower()
        if typed != DELETE_PHRASE:
            raise forms.ValidationError(f"Type “{DELETE_PHRASE}” exactly.", code="not_confirmed")
        return typed
