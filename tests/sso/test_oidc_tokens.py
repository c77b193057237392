"""OpenID Connect through allauth's callback view: a good ID token logs in; a wrong audience, an expired
token, a token signed with another key, a replayed state and a replayed token are refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.urls import reverse

from tests.factories_sso import oidc_provider
from tests.sso import fake_oidc
from tests.sso.conftest import logged_in_user_id, start_company_login

pytestmark = pytest.mark.django_db
CLIENT_ID = "open-to-help"
CLAIMS = {
    "sub": "oidc-alice",
    "email": "alice@acme.test",
    "email_verified": True,
    "name": "Alice Archer",
    "department": "Data",
    "zoneinfo": "Europe/Paris",
}


@pytest.fixture(scope="module")
def fake():
    fake, server = fake_oidc.serve()
    yield fake
    server.shutdown()


@pytest.fixture(autouse=True)
def _the_test_idp_is_allowed(settings, fake):
    """It listens on loopback, which company login reaches only when an administrator allows the host."""
    settings.OUTBOUND_ALLOWED_HOSTS = [urlsplit(fake.base_url).netloc]


@pytest.fixture
def provider(fake):
    fake.userinfo = dict(CLAIMS)
    return oidc_provider(discovery_url=fake.base_url, client_id=CLIENT_ID, jit_allowed=True)


def _callback(client, *, state: str | None = None):
    location = start_company_login(client, "alice@acme.test")
    state = state or parse_qs(urlparse(location).query)["state"][0]
    url = reverse("openid_connect_callback", kwargs={"provider_id": "acme-oidc"})
    return client.get(url, {"code": "code-1", "state": state}), state


def test_it_logs_in_with_a_good_token_and_maps_the_claims(client, fake, provider):
    fake.id_token = fake.sign(audience=CLIENT_ID, sub="oidc-alice")
    location = start_company_login(client, "alice@acme.test")
    query = parse_qs(urlparse(location).query)
    assert location.startswith(fake.base_url + "/authorize")
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"]
    response, _ = _callback(client, state=query["state"][0])
    assert response.status_code == 302
    account = SocialAccount.objects.get(uid="oidc-alice")
    assert logged_in_user_id(client) == str(account.user_id)
    profile = account.user.profile
    assert (profile.display_name, profile.team.name, profile.timezone) == (
        "Alice Archer",
        "Data",
        "Europe/Paris",
    )


@pytest.mark.parametrize(
    "token_for",
    [
        pytest.param(lambda fake: fake.sign(audience="someone-else", sub="oidc-alice"), id="wrong-audience"),
        pytest.param(
            lambda fake: fake.sign(audience=CLIENT_ID, lifetime=-120, sub="oidc-alice"), id="expired"
        ),
        pytest.param(
            lambda fake: fake.sign(audience=CLIENT_ID, key=fake_oidc.new_key(), sub="oidc-alice"),
            id="bad-signature",
        ),
        pytest.param(
            lambda fake: fake.sign(audience=CLIENT_ID, issuer="https://evil.example", sub="oidc-alice"),
            id="wrong-issuer",
        ),
    ],
)
def test_it_refuses_a_bad_id_token(client, fake, provider, token_for):
    fake.id_token = token_for(fake)
    response, _ = _callback(client)
    assert logged_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    provider.refresh_from_db()
    assert provider.failures_in_a_row == 1 and provider.last_failure_at is not None


def test_without_our_hardening_allauth_would_accept_a_token_signed_with_another_key(
    client, fake, provider, monkeypatch
):
    """Negative control for oidc.always_verify_id_token_signature."""
    monkeypatch.setattr(
        OpenIDConnectOAuth2Adapter,
        "_decode_id_token",
        OpenIDConnectOAuth2Adapter._decode_id_token.__wrapped__,
    )
    fake.id_token = fake.sign(audience=CLIENT_ID, key=fake_oidc.new_key(), sub="oidc-alice")
    _callback(client)
    assert logged_in_user_id(client) is not None


def test_it_refuses_a_replayed_state(client, fake, provider):
    fake.id_token = fake.sign(audience=CLIENT_ID, sub="oidc-alice")
    _, state = _callback(client)
    assert logged_in_user_id(client) is not None
    client.logout()
    fake.id_token = fake.sign(audience=CLIENT_ID, sub="oidc-alice")
    url = reverse("openid_connect_callback", kwargs={"provider_id": "acme-oidc"})
    requests_before = fake.token_requests
    client.get(url, {"code": "code-1", "state": state})
    assert logged_in_user_id(client) is None
    assert fake.token_requests == requests_before  # refused before the code was even exchanged


def test_it_refuses_a_replayed_id_token(client, fake, provider):
    fake.id_token = fake.sign(audience=CLIENT_ID, sub="oidc-alice")
    _callback(client)
    assert logged_in_user_id(client) is not None
    client.logout()
    _callback(client)  # a fresh state, the same token (same jti)
    assert logged_in_user_id(client) is None
