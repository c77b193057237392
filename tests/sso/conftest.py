"""Identity providers the SSO tests log in through: a pysaml2 IdP (in-process for the protocol tests, on
a loopback port for the browser journey) and node ``oidc-provider`` in its own process."""

from __future__ import annotations

import fcntl
import html
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from tests.sso.saml_idp import EMAIL_ATTRIBUTE, ROOT, SamlIdp, serve

ALICE = "alice-persistent-id"
BOB = "bob-persistent-id"


def saml_users() -> dict[str, dict]:
    return {
        ALICE: {
            EMAIL_ATTRIBUTE: "alice@acme.test",
            "urn:oid:2.5.4.42": "Alice",
            "urn:oid:2.5.4.4": "Archer",
            "department": "Platform",
            "timezone": "Europe/Lisbon",
        },
        BOB: {EMAIL_ATTRIBUTE: "bob@elsewhere.test", "urn:oid:2.5.4.42": "Bob"},
    }


@pytest.fixture(scope="session")
def saml_idp() -> SamlIdp:
    """One IdP (its key, certificate and pysaml2 server) for the whole run: it is the slow part."""
    return SamlIdp("http://idp.acme.test", users=saml_users())


def start_company_login(client, email: str) -> str:
    """Post the login page's company form; return where it sends the browser (the IdP)."""
    response = client.post(reverse("sso:company-login"), {"email": email})
    assert response.status_code == 200, response.content[:500]
    match = re.search(r'id="continue-to-idp"[^>]*href="([^"]+)"', response.content.decode())
    assert match, response.content[:2000]
    return html.unescape(match.group(1))


def saml_request_from(location: str) -> str:
    return parse_qs(urlparse(location).query)["SAMLRequest"][0]


def post_saml_response(client, saml_response: str, acs_url: str):
    """What the IdP's form does: post to our ACS, which hands over to allauth's finishing view."""
    response = client.post(urlparse(acs_url).path, {"SAMLResponse": saml_response})
    assert response.status_code == 302
    return client.get(response["Location"])


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def client():
    """allauth's SAML views read HTTP_HOST, which Django's test client only sends when told."""
    from django.test import Client

    return Client(HTTP_HOST="localhost")


OIDC_CLIENT_ID = "open-to-help-journey"
OIDC_CLIENT_SECRET = "journey-secret-4321"
OIDC_ACCOUNTS = {
    "oidc-carol": {
        "email": "carol@acme.test",
        "email_verified": True,
        "name": "Carol Chen",
        "department": "Design",
        "zoneinfo": "America/Toronto",
    }
}


def ensure_sso_servers() -> Path:
    """Install node oidc-provider and xmlsec1 once (a lock keeps parallel workers from racing npm/apt)."""
    module = ROOT / ".venv" / "sso-oidc" / "node_modules" / "oidc-provider" / "lib" / "index.js"
    lock_path = ROOT / "data" / ".sso-servers-install.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(["sh", str(ROOT / "scripts" / "ensure_sso_servers.sh")], check=True, timeout=600)
    return module


@pytest.fixture(scope="session")
def oidc_idp(live_server) -> Iterator[str]:
    """node oidc-provider in its own process; yields its issuer URL."""
    module = ensure_sso_servers()
    callback = live_server.url + reverse("openid_connect_callback", kwargs={"provider_id": "acme-oidc"})
    env = {
        **os.environ,
        "OIDC_PROVIDER_MODULE": str(module),
        "OIDC_ACCOUNTS": json.dumps(OIDC_ACCOUNTS),
        "OIDC_CLIENT_ID": OIDC_CLIENT_ID,
        "OIDC_CLIENT_SECRET": OIDC_CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": json.dumps([callback]),
    }
    process = subprocess.Popen(
        ["node", str(Path(__file__).with_name("oidc_provider.mjs"))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until it listens (or exits)
        assert line, "oidc-provider did not start"
        yield json.loads(line)["issuer"]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def saml_idp_server() -> Iterator[SamlIdp]:
    """The pysaml2 IdP on a loopback port, for the browser journey."""
    idp, server = serve(lambda base_url: SamlIdp(base_url, users=saml_users()))
    yield idp
    server.shutdown()
