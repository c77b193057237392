"""A site administrator's "Check the set-up": what can be verified without anyone logging in."""

from __future__ import annotations

import json
from dataclasses import dataclass

import requests
from django.core.exceptions import ValidationError

from openhelp.integrations.sso import metadata
from openhelp.integrations.sso.models import IdentityProvider, Kind
from openhelp.platform.lib import safe_http
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import UNREADABLE_HINT, is_unreadable

TIMEOUT_SECONDS = (5.0, 10.0)


def _get_json(url: str) -> dict:
    response = safe_http.safe_request(
        "GET", url, timeout=TIMEOUT_SECONDS, headers={"Accept": "application/json"}
    )
    if not response.ok:
        raise requests.HTTPError(f"HTTP {response.status_code} from {url}")
    return json.loads(response.text)


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str


def check_configuration(provider: IdentityProvider) -> list[Result]:
    if not provider.domain_names:
        domains = [Result(False, "No e-mail domain routes to this provider yet.")]
    else:
        domains = [Result(True, f"Routes e-mail addresses at {', '.join(provider.domain_names)}.")]
    if provider.kind == Kind.OIDC:
        return domains + _check_oidc(provider)
    return domains + _check_saml(provider)


def _reason(error: Exception) -> str:
    if isinstance(error, requests.RequestException) and not isinstance(error, requests.HTTPError):
        return safe_http.describe(error)
    if isinstance(error, ValueError):
        return "the answer is not JSON (is this the issuer's address?)."
    return str(error)


def _discovery_url(url: str) -> str:
    return url if "/.well-known/" in url else url.rstrip("/") + "/.well-known/openid-configuration"


def _check_oidc(provider: IdentityProvider) -> list[Result]:
    if not provider.discovery_url:
        return [Result(False, "No discovery URL yet.")]
    try:
        config = _get_json(_discovery_url(provider.discovery_url))
    except (requests.RequestException, ValueError) as error:
        return [Result(False, f"The discovery document could not be read: {_reason(error)}")]
    results = [Result(True, f"Discovery document read; issuer {config.get('issuer', '?')}.")]
    missing = [key for key in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not config.get(key)]
    if missing:
        results.append(Result(False, f"The discovery document lacks {', '.join(missing)}."))
        return results
    try:
        keys = _get_json(config["jwks_uri"]).get("keys", [])
    except (requests.RequestException, ValueError) as error:
        return [*results, Result(False, f"The signing keys could not be read: {_reason(error)}")]
    results.append(Result(bool(keys), f"{len(keys)} signing key(s) published."))
    if is_unreadable(provider.client_secret):
        results.append(Result(False, f"The stored client secret {UNREADABLE_HINT}."))
    else:
        results.append(
            Result(bool(provider.client_id and provider.client_secret), "Client ID and secret stored.")
        )
    return results


def _check_saml(provider: IdentityProvider) -> list[Result]:
    if not provider.metadata_xml:
        return [Result(False, "No IdP metadata yet (URL or XML).")]
    try:
        parsed = metadata.parse(provider.metadata_xml, entity_id=provider.idp_entity_id)
    except ValidationError as error:
        return [Result(False, error.messages[0])]
    results = [Result(True, f"Metadata read: IdP {parsed.entity_id}, login at {parsed.sso_url}.")]
    expires = parsed.expires_at
    if expires is not None:
        days = (expires - now()).days
        results.append(
            Result(days > 30, f"Signing certificate valid until {expires:%Y-%m-%d} ({days} days).")
        )
    return results
