"""Identity providers for the single sign-on tests, made through the service like an organiser would."""

from __future__ import annotations

from openhelp.integrations.sso import services
from openhelp.integrations.sso.models import IdentityProvider, Kind, Status

CLIENT_SECRET = "s3cret-value-1234"


def oidc_provider(
    *,
    discovery_url: str,
    client_id: str = "open-to-help",
    client_secret: str = CLIENT_SECRET,
    domains=("acme.test",),
    slug: str = "acme-oidc",
    status: str = Status.ACTIVE,
    **fields,
) -> IdentityProvider:
    provider = IdentityProvider(
        kind=Kind.OIDC,
        name="Acme",
        slug=slug,
        status=status,
        discovery_url=discovery_url,
        client_id=client_id,
        client_secret=client_secret,
        **fields,
    )
    return services.save_provider(provider=provider, domains=domains)


def saml_provider(
    *,
    metadata_xml: str = "",
    metadata_url: str = "",
    domains=("acme.test",),
    slug: str = "acme-saml",
    status: str = Status.ACTIVE,
    **fields,
) -> IdentityProvider:
    provider = IdentityProvider(
        kind=Kind.SAML,
        name="Acme SAML",
        slug=slug,
        status=status,
        metadata_xml=metadata_xml,
        metadata_url=metadata_url,
        **fields,
    )
    return services.save_provider(provider=provider, domains=domains)
