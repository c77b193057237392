"""Workflows of single sign-on: saving a provider (and its allauth SocialApp), recording how its logins go,
and telling site administrators when it needs attention."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from openhelp.integrations.sso import metadata
from openhelp.integrations.sso.models import IdentityProvider, IdentityProviderDomain, Kind, Status
from openhelp.integrations.sso.socialapps import sync_social_app
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.services import notify

DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ATTENTION_EVENT = "sso.attention"


def failure_alert_threshold() -> int:
    return settings.SSO_FAILURE_ALERT_THRESHOLD


def certificate_warning_days() -> int:
    return settings.SSO_CERTIFICATE_WARNING_DAYS


def clean_domains(domains: Iterable[str], *, provider: IdentityProvider | None) -> list[str]:
    """Lower-cased, unique, well-formed domains not already routed to another provider."""
    cleaned = list(dict.fromkeys(d.strip().lower().lstrip("@").rstrip(".") for d in domains if d.strip()))
    bad = [d for d in cleaned if not DOMAIN_PATTERN.match(d)]
    if bad:
        raise ValidationError({"domains": f"Not an e-mail domain: {', '.join(bad)}."})
    taken = IdentityProviderDomain.objects.filter(domain__in=cleaned)
    if provider is not None and provider.pk:
        taken = taken.exclude(provider=provider)
    if taken.exists():
        names = ", ".join(sorted(taken.values_list("domain", flat=True)))
        raise ValidationError({"domains": f"Already routed to another identity provider: {names}."})
    return cleaned


def _check_complete(provider: IdentityProvider, domains: list[str]) -> None:
    """An active provider must be able to log someone in; a draft may be incomplete."""
    if provider.status != Status.ACTIVE:
        return
    missing: dict[str, str] = {}
    if not domains:
        missing["domains"] = "Add at least one e-mail domain before switching the provider on."
    if provider.kind == Kind.OIDC:
        for field in ("discovery_url", "client_id", "client_secret"):
            if not getattr(provider, field):
                missing[field] = "Needed before the provider can be switched on."
    elif not provider.metadata_xml:
        missing["metadata_xml"] = "Give the IdP's metadata (URL or XML) before switching the provider on."
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def save_provider(
    *, provider: IdentityProvider, domains: Iterable[str], saved_by: User | None = None
) -> IdentityProvider:
    """Validate and save a provider, its domains and its allauth SocialApp, all or nothing. Saved by a site
    administrator (``saved_by``), it counts as confirmed by them (``unconfirmed_providers``).

    SAML metadata given by URL is fetched now and kept, so logins never wait on the IdP's web server;
    the daily health check fetches it again (certificate rotation).
    """
    cleaned = clean_domains(domains, provider=provider)
    if provider.kind == Kind.SAML:
        if provider.metadata_url:
            provider.metadata_xml = metadata.fetch(provider.metadata_url)
        if provider.metadata_xml:
            parsed = metadata.parse(provider.metadata_xml, entity_id=provider.idp_entity_id)
            provider.idp_entity_id = parsed.entity_id
            provider.cert_expires_at = parsed.expires_at
    _check_complete(provider, cleaned)
    if saved_by is not None and saved_by.is_site_admin:
        provider.confirmed_by, provider.confirmed_at = saved_by, now()
    provider.full_clean(exclude=["social_app", "confirmed_by"])
    provider.save()
    provider.domains.exclude(domain__in=cleaned).delete()
    for domain in cleaned:
        IdentityProviderDomain.objects.get_or_create(provider=provider, domain=domain)
    sync_social_app(provider, domains=cleaned)
    getattr(provider, "_prefetched_objects_cache", {}).pop("domains", None)  # the old list, if prefetched
    return provider


def unconfirmed_providers() -> list[IdentityProvider]:
    """Switched-on providers that no current site administrator saved: set up by an organiser before
    company login was site administrators' only (docs/security.md, case 41), or last saved by someone who
    is no longer one. Each still signs people in; a site administrator should look at it and save it."""
    active = IdentityProvider.objects.filter(status=Status.ACTIVE).select_related("confirmed_by")
    return [provider for provider in active if provider.needs_confirmation]


def record_login_success(*, provider: IdentityProvider) -> None:
    IdentityProvider.objects.filter(pk=provider.pk).update(last_success_at=now(), failures_in_a_row=0)


@transaction.atomic
def record_login_failure(*, provider: IdentityProvider, reason: str) -> None:
    """Count a failed login; the one that reaches the threshold tells the site administrators (once per
    streak)."""
    IdentityProvider.objects.filter(pk=provider.pk).update(
        last_failure_at=now(), last_failure_reason=reason[:255], failures_in_a_row=F("failures_in_a_row") + 1
    )
    provider.refresh_from_db(fields=["failures_in_a_row", "last_failure_at", "last_failure_reason"])
    if provider.failures_in_a_row == failure_alert_threshold():
        _tell_site_admins(
            provider,
            title=f"Company login with {provider.name} is failing",
            body=f"{provider.failures_in_a_row} logins in a row failed. Last reason: {reason[:200]}",
            dedupe_key=f"failing:{provider.pk}:{provider.last_failure_at:%Y-%m-%dT%H:%M}",
        )


def check_health(moment: dt.datetime | None = None) -> list[int]:
    """The daily check: refresh SAML metadata fetched by URL and warn about certificates near expiry.

    Returns the ids of the providers site administrators were warned about.
    """
    moment = moment or now()
    warned: list[int] = []
    for provider in IdentityProvider.objects.filter(kind=Kind.SAML, status=Status.ACTIVE):
        if provider.metadata_url:
            try:
                save_provider(provider=provider, domains=provider.domain_names)
            except ValidationError as error:
                record_login_failure(
                    provider=provider, reason=f"Metadata refresh failed: {error.messages[0]}"
                )
        expires = provider.cert_expires_at
        if expires is not None and expires - moment <= dt.timedelta(days=certificate_warning_days()):
            days = max((expires - moment).days, 0)
            _tell_site_admins(
                provider,
                title=f"The {provider.name} signing certificate expires in {days} days",
                body=(
                    f"It expires on {expires:%Y-%m-%d}. Ask the IdP's administrator for the new certificate "
                    "and update the metadata, or company logins will stop working."
                ),
                dedupe_key=f"certificate:{provider.pk}:{expires:%Y-%m-%d}",
            )
            warned.append(provider.pk)
    return warned


def _tell_site_admins(provider: IdentityProvider, *, title: str, body: str, dedupe_key: str) -> None:
    # The people who can open the provider's page (``User.is_site_admin``).
    people = get_user_model().objects.filter(is_superuser=True, is_active=True)
    notify(
        event=ATTENTION_EVENT,
        recipients=people,
        title=title,
        body=body,
        url=reverse("sso:provider-detail", kwargs={"pk": provider.pk}),
        dedupe_key=dedupe_key,
    )
