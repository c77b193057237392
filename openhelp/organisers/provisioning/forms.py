from django import forms


class ScimTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label="Identity provider",
        help_text="Which system will use the token, e.g. “Okta” or “Entra ID”.",
    )
