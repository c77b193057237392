from __future__ import annotations

from django import forms

from openhelp.integrations.sso.models import MAPPED_FIELDS, IdentityProvider, Kind
from openhelp.platform.lib.secrets import UNREADABLE_HINT, is_unreadable

MAPPING_LABELS = {
    "team": "Team claim or attribute",
    "manager": "Manager e-mail claim",
    "timezone": "Time zone claim",
}


class CompanyLoginForm(forms.Form):
    email = forms.EmailField(label="Work e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ProviderForm(forms.ModelForm):
    """Create (kind and slug fixed from then on) or edit a provider. The client secret is never shown back:
    left empty, the stored one stays."""

    domains = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="E-mail domains this provider answers for, one per line or separated by commas.",
    )
    discovery_url = forms.URLField(
        label="Discovery URL",
        required=False,
        assume_scheme="https",
        help_text="The issuer, or its /.well-known/openid-configuration.",
    )
    metadata_url = forms.URLField(
        label="Metadata URL", required=False, assume_scheme="https", help_text="Or paste the XML below."
    )
    client_secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Left empty, the stored secret stays.",
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "kind",
            "name",
            "slug",
            "status",
            "jit_allowed",
            "sso_required",
            "discovery_url",
            "client_id",
            "client_secret",
            "scopes",
            "metadata_url",
            "metadata_xml",
        ]
        widgets = {"metadata_xml": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in MAPPED_FIELDS:
            self.fields[f"map_{field}"] = forms.CharField(
                label=MAPPING_LABELS[field],
                required=False,
                max_length=255,
                initial=(self.instance.claim_mapping or {}).get(field, ""),
                help_text=f"Default: {IdentityProvider(kind=self.instance.kind or Kind.OIDC).mapping()[field]}",
            )
        if self.instance.pk:
            del self.fields["kind"]
            self.fields["slug"].disabled = True
            self.fields["domains"].initial = "\n".join(self.instance.domain_names)
            if is_unreadable(self.instance.client_secret):
                self.fields["client_secret"].help_text = f"The stored secret {UNREADABLE_HINT}."
            elif self.instance.client_secret:
                self.fields[
                    "client_secret"
                ].help_text = f"Stored: {self.instance.secret_hint}. Left empty, it stays."

    def clean_client_secret(self) -> str:
        return self.cleaned_data["client_secret"] or (self.instance.client_secret if self.instance.pk else "")

    def domain_list(self) -> list[str]:
        raw = self.cleaned_data.get("domains") or ""
        return [part for part in raw.replace(",", "\n").split() if part]

    def apply_mapping(self) -> None:
        self.instance.claim_mapping = {
            field: value
            for field in MAPPED_FIELDS
            if (value := self.cleaned_data.get(f"map_{field}", "").strip())
        }
