from django import forms

from openhelp.platform.accounts.forms import PasswordConfirmedForm


class ScimTokenForm(PasswordConfirmedForm):
    """A SCIM token can create, change and deactivate every account: a site administrator's session alone
    (left open, stolen) must not mint one, so it takes their current password, as deleting an account does."""

    field_order = ["name", "password"]

    name = forms.CharField(
        max_length=80,
        label="Identity provider",
        help_text="Which system will use the token, e.g. “Okta” or “Entra ID”.",
    )
