"""Company login makes this server call the IdP (OpenID Connect discovery, token, keys, user info) when anyone
posts the login form: those calls take the address checks every URL typed in here takes (`lib.safe_http`),
so a discovery URL or document naming the loopback interface or the cloud metadata service is refused
unless an administrator allowed that host (OUTBOUND_ALLOWED_HOSTS), and an IdP that does not answer is a
message on the form, not a 500."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from openhelp.integrations.sso.models import IdentityProvider
from tests.factories_sso import oidc_provider
from tests.sso import fake_oidc

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def internal():
    """A server on loopback answering as an IdP would: what an attacker would like this server to call."""
    fake, server = fake_oidc.serve()
    fake.calls = 0
    handler = server.RequestHandlerClass
    original = handler.do_GET

    def counting(self):
        fake.calls += 1
        return original(self)

    handler.do_GET = counting
    yield fake
    server.shutdown()


def _start(client, email: str = "alice@acme.test"):
    return client.post(reverse("sso:company-login"), {"email": email})


def test_a_discovery_url_on_loopback_is_not_called(client, internal, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    provider = oidc_provider(discovery_url=internal.base_url)
    internal.calls = 0
    response = _start(client)
    assert response.status_code == 200
    assert "does not answer at the moment" in response.content.decode()
    assert internal.calls == 0
    provider.refresh_from_db()
    assert "not a public address" in provider.last_failure_reason


def test_an_allowed_internal_idp_is_called(client, internal, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = [urlsplit(internal.base_url).netloc]
    oidc_provider(discovery_url=internal.base_url)
    internal.calls = 0
    response = _start(client)
    assert response.status_code == 200 and 'id="continue-to-idp"' in response.content.decode()
    assert internal.calls == 1


def test_an_idp_that_does_not_answer_is_a_message_not_a_500(client, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1:9"]  # allowed, but nothing listens there
    oidc_provider(discovery_url="http://127.0.0.1:9/")
    response = _start(client)
    assert response.status_code == 200
    assert "does not answer at the moment" in response.content.decode()
    assert IdentityProvider.objects.get().failures_in_a_row == 1


def test_starting_company_logins_shares_the_login_limit_of_one_network(client, internal, settings):
    """Each start makes this server ask the IdP: without a limit, anyone could make it hammer the company's
    IdP through us."""
    settings.OUTBOUND_ALLOWED_HOSTS = [urlsplit(internal.base_url).netloc]
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    oidc_provider(discovery_url=internal.base_url)
    internal.calls = 0
    assert [_start(client).status_code for _ in range(2)] == [200, 200]
    refused = _start(client)
    assert refused.status_code == 429
    assert (
        "Too many logins" in refused.content.decode()
        and 'value="alice@acme.test"' in refused.content.decode()
    )
    assert internal.calls == 2


def test_an_idp_answer_larger_than_the_limit_is_not_read_whole(client, internal, settings, monkeypatch):
    """allauth reads the IdP's answers whole (``response.json()``): a discovery document of any size would
    be held in memory by each login start. Past ``safe_http``'s limit it is refused, as any answer from a
    URL typed in here."""
    settings.OUTBOUND_ALLOWED_HOSTS = [urlsplit(internal.base_url).netloc]
    provider = oidc_provider(discovery_url=internal.base_url)
    discovery = internal.discovery
    monkeypatch.setattr(internal, "discovery", lambda: {**discovery(), "padding": "x" * 300_000})
    response = _start(client)
    assert response.status_code == 200
    assert "does not answer at the moment" in response.content.decode()
    provider.refresh_from_db()
    assert "longer than" in provider.last_failure_reason or "limit is" in provider.last_failure_reason
