"""SCIM bearer tokens: made by a site administrator (the secret shown once), checked on every SCIM request
in constant time, revoked at once. Requests are rate-limited per token, failed attempts per address.

A token acts with its maker's authority: it works only while the person who made it is still a site
administrator (``User.is_site_admin``). A SCIM token can change any account's e-mail address (then a
password reset to the new one takes the account over), so one made by an organiser before only
administrators could make them, or by an administrator since demoted or gone, stops working."""

from __future__ import annotations

import datetime as dt
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from openhelp.organisers.provisioning.models import ScimToken
from openhelp.organisers.provisioning.scim import ScimError
from openhelp.platform.accounts.models import User
from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.clock import now

MAX_ACTIVE_TOKENS = 10
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def requests_per_minute() -> int:
    return settings.SCIM_REQUESTS_PER_MINUTE


def failed_auth_limit() -> int:
    return settings.SCIM_FAILED_AUTH_PER_10_MINUTES


def _working() -> QuerySet[ScimToken]:
    return ScimToken.objects.filter(
        revoked_at__isnull=True, created_by__is_superuser=True, created_by__is_active=True
    )


def active_tokens() -> QuerySet[ScimToken]:
    """The tokens that work: not revoked, and made by someone who is a site administrator now."""
    return _working().select_related("created_by__profile")


@transaction.atomic
def create_token(*, name: str, created_by: User) -> tuple[ScimToken, str]:
    """A token for one identity provider. Returns the secret, which is stored only as a SHA-256."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Name the identity provider that will use it, e.g. Okta."})
    if len(name) > 80:
        raise ValidationError({"name": "Keep the name under 80 characters."})
    if active_tokens().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError({"name": f"There are already {MAX_ACTIVE_TOKENS} tokens; revoke one first."})
    secret = ScimToken.generate_secret()
    token = ScimToken.objects.create(
        name=name, token_hash=ScimToken.hash_secret(secret), last_four=secret[-4:], created_by=created_by
    )
    return token, secret


def revoke_token(*, token_id: int) -> ScimToken:
    token = get_object_or_404(active_tokens(), pk=token_id)
    token.revoked_at = now()
    token.save(update_fields=["revoked_at"])
    return token


def authenticate(request: HttpRequest) -> ScimToken:
    """The active token the request carries, or a ScimError (401, or 429 when over a limit)."""
    address = request.META.get("REMOTE_ADDR", "")
    failures_key = f"scim:auth-failures:{address}"
    if ratelimit.remaining(failures_key, limit=failed_auth_limit()) <= 0:
        raise ScimError(429, "Too many failed attempts; wait ten minutes.")
    token = _token_for(request.headers.get("Authorization", ""))
    if token is None:
        ratelimit.count(failures_key, window_seconds=600)
        raise ScimError(401, "A valid bearer token is required (Authorization: Bearer <token>).")
    minute = now().strftime("%Y%m%d%H%M")
    requests_key = f"scim:requests:{token.pk}:{minute}"
    if ratelimit.remaining(requests_key, limit=requests_per_minute()) <= 0:
        raise ScimError(429, "Too many requests this minute; slow down.")
    ratelimit.count(requests_key, window_seconds=60)
    moment = now()
    ScimToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=moment - LAST_USED_PRECISION)
    ).update(last_used_at=moment)
    return token


def _token_for(header: str) -> ScimToken | None:
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    digest = ScimToken.hash_secret(secret.strip())
    found = None
    # Every active token is compared, each in constant time, with no early exit: the time taken does
    # not tell how close a guess came. There are a handful (one per identity provider).
    for token in _working().only("pk", "token_hash"):
        if hmac.compare_digest(token.token_hash, digest):
            found = token
    return found
