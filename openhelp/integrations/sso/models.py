"""A company identity provider, configured in the database by a site administrator (no redeploy).

Each ``IdentityProvider`` owns one allauth ``SocialApp`` (``socialapps.sync_social_app`` writes it on every
save): allauth runs the OIDC or SAML protocol from that row; we keep what allauth has no place for — the
e-mail domains it answers for, just-in-time sign-up, "SSO required", claim mapping and health.
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import EncryptedTextField, hint


class Kind(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


class Status(models.TextChoices):
    DRAFT = "draft", "Being set up"
    ACTIVE = "active", "Active"
    DISABLED = "disabled", "Switched off"


# What we read from a login, and the claim (OIDC) or attribute (SAML) names tried when the organiser maps
# nothing. The keys are ours; the values are the IdP's names.
MAPPED_FIELDS = ("team", "manager", "timezone")
DEFAULT_OIDC_CLAIMS = {"team": "department", "manager": "manager_email", "timezone": "zoneinfo"}
DEFAULT_SAML_ATTRIBUTES = {
    "team": "department",
    "manager": "manager",
    "timezone": "timezone",
}


class IdentityProvider(models.Model):
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=80, help_text='Shown on the login page, as in "Continue with Acme".')
    slug = models.SlugField(
        max_length=40,
        unique=True,
        help_text="Part of our URLs the IdP is given (entity ID, callback). Cannot change after creation.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    jit_allowed = models.BooleanField(
        "create accounts on first login",
        default=False,
        help_text="Someone from these domains without an account gets one at their first company login.",
    )
    sso_required = models.BooleanField(
        "require company login",
        default=False,
        help_text="People from these domains cannot log in or reset a password with a password.",
    )
    claim_mapping = models.JSONField(
        default=dict,
        blank=True,
        help_text='Claim or attribute names for "team", "manager" (an e-mail) and "timezone".',
    )

    # OpenID Connect
    discovery_url = models.URLField(
        blank=True, help_text="The issuer, or its /.well-known/openid-configuration."
    )
    client_id = models.CharField(max_length=255, blank=True)
    client_secret = EncryptedTextField(blank=True)
    scopes = models.CharField(max_length=255, blank=True, default="openid profile email")

    # SAML 2.0: the IdP's metadata, from a URL or pasted
    metadata_url = models.URLField(blank=True)
    metadata_xml = models.TextField(blank=True)
    idp_entity_id = models.CharField(max_length=255, blank=True)

    # Health
    cert_expires_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure_reason = models.CharField(max_length=255, blank=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)

    social_app = models.OneToOneField(
        SocialApp, null=True, blank=True, on_delete=models.SET_NULL, related_name="identity_provider"
    )
    # Who last saved it while being a site administrator. Empty for providers from before company login
    # was site administrators' only (an organiser may have set those up): they need a look.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_confirmation(self) -> bool:
        """Not saved by someone who is a site administrator now (``services.unconfirmed_providers``)."""
        return self.confirmed_by is None or not self.confirmed_by.is_site_admin

    @property
    def domain_names(self) -> list[str]:
        return [d.domain for d in self.domains.all()]

    @property
    def secret_hint(self) -> str:
        """The client secret as we show it back: never in full."""
        return hint(self.client_secret)

    def mapping(self) -> dict[str, str]:
        defaults = DEFAULT_OIDC_CLAIMS if self.kind == Kind.OIDC else DEFAULT_SAML_ATTRIBUTES
        return {field: self.claim_mapping.get(field) or defaults[field] for field in MAPPED_FIELDS}


class IdentityProviderDomain(models.Model):
    """One e-mail domain routed to one provider: the unique constraint makes routing unambiguous."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
