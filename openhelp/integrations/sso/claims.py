"""What a login tells us about the person (OIDC claims, SAML attributes) and how it lands on the profile.

Team, manager and time zone are copied at every login when the IdP sends them, so the directory follows
the company's HR system; a value we cannot use (an unknown time zone, a manager without an account) is
skipped, never an error — a login must not fail on profile data.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialLogin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from openhelp.directory.people.models import Profile, Team
from openhelp.directory.people.services import create_profile, profile_for, update_profile
from openhelp.integrations.sso.models import IdentityProvider
from openhelp.platform.lib.timezones import validate_timezone


def claims_of(sociallogin: SocialLogin) -> dict[str, Any]:
    """One flat dict: OIDC's ID token overlaid with its userinfo, or SAML's attributes (first values)."""
    data = sociallogin.account.extra_data or {}
    if "id_token" in data or "userinfo" in data:
        merged = {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    else:
        merged = dict(data)
    return {key: (value[0] if isinstance(value, list) and value else value) for key, value in merged.items()}


def email_verified(claims: dict[str, Any]) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() in {"true", "1", "yes"})


# OIDC's standard claims first, then the usual SAML attribute names (OID URNs, LDAP and Entra ID names).
FULL_NAME = (
    "name",
    "urn:oid:2.16.840.1.113730.3.1.241",
    "displayName",
    "http://schemas.microsoft.com/identity/claims/displayname",
)
GIVEN_NAME = (
    "given_name",
    "urn:oid:2.5.4.42",
    "givenName",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
)
FAMILY_NAME = (
    "family_name",
    "urn:oid:2.5.4.4",
    "sn",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
)


def _first(claims: dict[str, Any], names: tuple[str, ...]) -> str:
    return next((str(claims[name]).strip() for name in names if claims.get(name)), "")


def display_name(claims: dict[str, Any], email: str) -> str:
    name = _first(claims, FULL_NAME) or " ".join(
        part for part in (_first(claims, GIVEN_NAME), _first(claims, FAMILY_NAME)) if part
    )
    return (name or email.split("@")[0])[:80]


def start_profile(*, user, claims: dict[str, Any]) -> Profile:
    """The profile of an account made at its first company login."""
    return create_profile(user=user, display_name=display_name(claims, user.email))


def apply_claims(*, user, provider: IdentityProvider, claims: dict[str, Any]) -> Profile:
    """Copy the mapped team, manager and time zone onto the person's profile."""
    profile = profile_for(user)
    mapping = provider.mapping()
    changes: dict[str, Any] = {}
    team_name = _text(claims.get(mapping["team"]))
    if team_name:
        team = _team_named(team_name)
        if team.pk != profile.team_id:
            changes["team"] = team
    zone = _text(claims.get(mapping["timezone"]))
    if zone and zone != profile.timezone:
        try:
            validate_timezone(zone)
            changes["timezone"] = zone
        except ValidationError:
            pass
    if changes:
        profile = update_profile(profile=profile, **changes)
    manager_email = _text(claims.get(mapping["manager"]))
    if manager_email:
        manager = (
            get_user_model()
            .objects.filter(email__iexact=manager_email, is_active=True)
            .exclude(pk=user.pk)
            .first()
        )
        if manager is not None and manager.pk != profile.manager_id:
            Profile.objects.filter(pk=profile.pk).update(manager=manager)
            profile.manager = manager
    return profile


def _text(value: Any) -> str:
    return str(value).strip()[:80] if value not in (None, "") else ""


def _team_named(name: str) -> Team:
    slug = slugify(name)[:80] or "team"
    team = Team.objects.filter(name__iexact=name).first() or Team.objects.filter(slug=slug).first()
    return team or Team.objects.create(name=name, slug=slug)
