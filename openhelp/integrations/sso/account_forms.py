"""allauth's login and password-reset forms, refusing passwords for domains where company login is required.

Checked before the password is, so the answer does not depend on whether the password was right.
"""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django.core.exceptions import ValidationError

from openhelp.integrations.sso.routing import sso_required_for
from openhelp.platform.lib.forms import name_as_e_mail


def _message(provider_name: str) -> str:
    return (
        f"Your organisation requires logging in with your company account ({provider_name}). "
        "Use “Continue with your company account” below."
    )


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_as_e_mail(self.fields["login"])

    def clean(self):
        email = self.cleaned_data.get("login") or ""
        provider = sso_required_for(email) if "@" in email else None
        if provider is not None:
            raise ValidationError(_message(provider.name), code="sso_required")
        return super().clean()


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_as_e_mail(self.fields["email"])

    def clean_email(self) -> str:
        email = super().clean_email()
        provider = sso_required_for(email)
        if provider is not None:
            raise ValidationError(
                f"Your organisation manages this password in your company account ({provider.name}); "
                "it cannot be reset here.",
                code="sso_required",
            )
        return email
