from __future__ import annotations

import time

from allauth.account.authentication import get_authentication_records
from allauth.core import ratelimit
from django import forms
from django.forms.utils import ErrorDict
from django.http import HttpRequest

from openhelp.platform.accounts import services

TOO_MANY_ATTEMPTS = "Too many attempts. Wait a minute and try again."
# Someone who signs in only through the company login has no password to type: a sign-in this recent
# stands in for it (allauth's reauthentication window).
RECENT_SIGN_IN_SECONDS = 300
SIGN_IN_AGAIN = (
    "You sign in through your company login, so there is no password to confirm this with: sign out, sign "
    "in again, and do it within five minutes."
)


def signed_in_recently(request: HttpRequest) -> bool:
    """Whether this session signed in (any way: password, company login, second factor) in the last
    RECENT_SIGN_IN_SECONDS."""
    records = get_authentication_records(request, request.user)
    return any(time.time() - record.get("at", 0) < RECENT_SIGN_IN_SECONDS for record in records)


class PasswordConfirmedForm(forms.Form):
    """A step a signed-in session alone must not take (deleting the account, creating a token): the
    person's current password, checked by ``services.check_current_password`` (five wrong an hour refuse
    even the right one, code ``RATE_LIMITED``). Validate it with ``is_confirmed`` (pages) or
    ``accounts.api.confirmed_data`` (the API), which first take allauth's reauthentication limit."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),  # never re-displayed
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Accounts made by the company login (or provisioning) have no usable password: a recent sign-in
        # confirms the step instead (``is_confirmed``, ``accounts.api.confirmed_data``).
        self.needs_recent_sign_in = not user.has_usable_password()
        if self.needs_recent_sign_in:
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        services.check_current_password(user=self.user, password=password)
        return password

    def refuse(self, message: str) -> None:
        """Invalid with only ``message`` at the top, without cleaning: the password is not even checked."""
        self._errors, self.cleaned_data = ErrorDict(), {}
        self.add_error(None, message)


def is_confirmed(request: HttpRequest, form: PasswordConfirmedForm) -> bool:
    """Whether a posted form is valid, its password included. A stolen session must not become a way to
    guess the password: allauth's reauthentication limit (ten a minute) is taken first, and past it the
    password is not looked at, so the page cannot tell a right one from a wrong one."""
    if not ratelimit.consume(request, action="reauthenticate", user=request.user):
        form.refuse(TOO_MANY_ATTEMPTS)
        return False
    if form.needs_recent_sign_in and not signed_in_recently(request):
        form.refuse(SIGN_IN_AGAIN)
        return False
    return form.is_valid()


class AccessTokenForm(PasswordConfirmedForm):
    field_order = ["name", "password"]

    name = forms.CharField(
        label="Token name",
        max_length=80,
        help_text="What will use it, e.g. “calendar sync script”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


DELETE_PHRASE = "delete my account"


class DeleteAccountForm(PasswordConfirmedForm):
    confirmation = forms.CharField(
        label=f"Type “{DELETE_PHRASE}” to confirm",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_confirmation(self) -> str:
        typed = " ".join(self.cleaned_data["confirmation"].split()).lower()
        if typed != DELETE_PHRASE:
            raise forms.ValidationError(f"Type “{DELETE_PHRASE}” exactly.", code="not_confirmed")
        return typed
