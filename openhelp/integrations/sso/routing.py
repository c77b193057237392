"""Which identity provider answers for an e-mail address: the login page's "company account" and the
"SSO required" checks on password login and password reset read this."""

from __future__ import annotations

from openhelp.integrations.sso.models import IdentityProvider, Status


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def provider_for_email(email: str) -> IdentityProvider | None:
    """The active provider for the address's domain, if any."""
    domain = domain_of(email)
    if not domain:
        return None
    return (
        IdentityProvider.objects.filter(domains__domain=domain, status=Status.ACTIVE)
        .select_related("social_app")
        .first()
    )


def sso_required_for(email: str) -> IdentityProvider | None:
    """The provider that turns password login off for this address, or None."""
    provider = provider_for_email(email)
    return provider if provider is not None and provider.sso_required else None
