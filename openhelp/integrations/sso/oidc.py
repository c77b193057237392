"""One hardening of allauth's OpenID Connect provider.

allauth skips the ID token's signature check when it fetched the token itself from the token endpoint:
OIDC Core 3.1.3.7 allows that because TLS authenticates the endpoint. Company IdPs are often reached
on internal networks, by plain HTTP in development and behind TLS-intercepting proxies, and the check
costs one request for the JWKS; we always make it, so a token signed with any key but the IdP's is
refused (tests/sso/test_oidc_tokens.py proves it, with a negative control).
"""

from __future__ import annotations

from functools import wraps

from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter

_PATCHED = "_openhelp_always_verifies"


def always_verify_id_token_signature() -> None:
    original = OpenIDConnectOAuth2Adapter._decode_id_token
    if getattr(original, _PATCHED, False):
        return

    @wraps(original)
    def decode_id_token(self, app, id_token):
        self.did_fetch_access_token = False  # the only input allauth uses to skip the signature check
        return original(self, app, id_token)

    setattr(decode_id_token, _PATCHED, True)
    OpenIDConnectOAuth2Adapter._decode_id_token = decode_id_token
