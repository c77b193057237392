"""Personal access tokens: ``Authorization: Bearer oth_…``. Only the SHA-256 of a token is stored."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from openhelp.platform.accounts.models import AccessToken
from openhelp.platform.core.middleware import activate_timezone_of
from openhelp.platform.lib.clock import now

LAST_USED_GRANULARITY = dt.timedelta(minutes=5)


class AccessTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be: Bearer <token>.")
        # Looking the token up by its hash is a constant-time comparison in effect: the secret itself
        # is never compared character by character.
        # The profile comes with the user (one query): nearly every API view reads it (names, time zone).
        token = (
            AccessToken.objects.select_related("user__profile")
            .filter(key_hash=AccessToken.hash_key(header[1]), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked access token.")
        moment = now()
        if token.last_used_at is None or moment - token.last_used_at > LAST_USED_GRANULARITY:
            AccessToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        activate_timezone_of(token.user)  # the caller's zone, as a browser session gets it
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "openhelp.platform.accounts.authentication.AccessTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal access token from Settings."}
