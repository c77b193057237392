"""The allauth ``SocialApp`` behind each identity provider: allauth runs the protocol from this row.

Security settings are fixed here, not left to the organiser: SAML assertions must be signed with
SHA-256 (strict mode, deprecated algorithms refused, IdP-initiated logins refused); OIDC uses PKCE and
its ID token signature is always checked (``oidc.py``).
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from django.conf import settings
from django.urls import reverse

from openhelp.integrations.sso import metadata
from openhelp.integrations.sso.models import IdentityProvider, Kind

SHA256_SIGNATURE = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256_DIGEST = "http://www.w3.org/2001/04/xmlenc#sha256"
PERSISTENT_NAME_ID = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


def sp_details(provider: IdentityProvider) -> dict[str, str]:
    """What the IdP's administrator needs from us, known as soon as the slug is."""
    site = settings.SITE_URL
    if provider.kind == Kind.SAML:
        metadata_url = site + reverse("saml_metadata", kwargs={"organization_slug": provider.slug})
        return {
            "entity_id": metadata_url,
            "metadata_url": metadata_url,
            "acs_url": site + reverse("saml_acs", kwargs={"organization_slug": provider.slug}),
            "name_id_format": PERSISTENT_NAME_ID,
        }
    return {
        "redirect_uri": site + reverse("openid_connect_callback", kwargs={"provider_id": provider.slug}),
    }


def oidc_settings(provider: IdentityProvider, domains: list[str]) -> dict:
    return {
        "server_url": provider.discovery_url,
        "scope": provider.scopes.split() or ["openid", "profile", "email"],
        "oauth_pkce_enabled": True,
        # An address in the provider's own domains is taken as verified (see docs/integrations/sso.md).
        "verified_email": domains,
        "email_authentication": False,
    }


def saml_settings(provider: IdentityProvider, domains: list[str]) -> dict:
    idp: dict = {"entity_id": provider.idp_entity_id}
    if provider.metadata_xml:
        parsed = metadata.parse(provider.metadata_xml, entity_id=provider.idp_entity_id)
        idp = {"entity_id": parsed.entity_id, "sso_url": parsed.sso_url, "x509cert": parsed.certificates[0]}
    return {
        "idp": idp,
        "sp": {"entity_id": sp_details(provider)["entity_id"]},
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "want_message_signed": False,  # many IdPs sign only the assertion, which is what we trust
            "want_name_id": True,
            "name_id_format": PERSISTENT_NAME_ID,
            "reject_deprecated_algorithm": True,
            "signature_algorithm": SHA256_SIGNATURE,
            "digest_algorithm": SHA256_DIGEST,
            "reject_idp_initiated_sso": True,
            "want_attribute_statement": False,
        },
        # The NameID is the key: no attribute overrides it. E-mail and names from the common attributes.
        "attribute_mapping": {key: value for key, value in _saml_attribute_mapping().items() if key != "uid"},
        "verified_email": domains,
        "email_authentication": False,
    }


def _saml_attribute_mapping() -> dict:
    return {
        **SAMLProvider.default_attribute_mapping,
        "email": [*SAMLProvider.default_attribute_mapping["email"], "email", "mail"],
        "first_name": [*SAMLProvider.default_attribute_mapping["first_name"], "givenName", "first_name"],
        "last_name": [*SAMLProvider.default_attribute_mapping["last_name"], "sn", "last_name"],
    }


def sync_social_app(provider: IdentityProvider, *, domains: list[str]) -> SocialApp:
    """Create or update the provider's SocialApp from its current fields (called inside its transaction)."""
    app = provider.social_app or SocialApp()
    app.name = provider.name
    app.provider_id = provider.slug
    if provider.kind == Kind.OIDC:
        app.provider = "openid_connect"
        app.client_id = provider.client_id
        # The secret stays encrypted on the provider; the adapter hands it to allauth in memory (list_apps).
        app.secret = ""
        app.settings = oidc_settings(provider, domains)
    else:
        app.provider = "saml"
        app.client_id = provider.slug  # allauth's SAML URLs name the app by its client_id
        app.secret = ""
        app.settings = saml_settings(provider, domains)
    app.save()
    if provider.social_app_id != app.pk:
        provider.social_app = app
        provider.save(update_fields=["social_app", "updated_at"])
    return app
