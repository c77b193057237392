"""Who signs in as whom is changed only by a site administrator who proved it is them in the last five
minutes (allauth's reauthentication, as for changing an e-mail address): a session left open or stolen
cannot point the company login at another IdP, nor revoke the SCIM tokens, on the pages or in the API."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openhelp.integrations.sso.models import IdentityProvider
from openhelp.organisers.provisioning.models import ScimToken
from tests.factories import PASSWORD
from tests.factories_provisioning import make_scim_token
from tests.factories_sso import oidc_provider

pytestmark = pytest.mark.django_db
DRAFT = {"kind": "saml", "name": "Acme", "slug": "acme", "status": "draft", "domains": "acme.test"}


@pytest.fixture
def stale_client(site_admin):
    """A site administrator's session that signed in, but did not prove the password again lately."""
    client = Client()
    client.force_login(site_admin)
    return client


def _reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]


def test_adding_a_provider_asks_for_the_password_then_goes_on_with_what_was_typed(stale_client):
    response = stale_client.post(reverse("sso:provider-create"), DRAFT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not IdentityProvider.objects.exists()

    response = stale_client.post(response["Location"], {"password": PASSWORD})
    provider = IdentityProvider.objects.get()  # the form that was sent, replayed after the password
    assert provider.name == "Acme" and provider.domain_names == ["acme.test"]
    assert response.status_code == 302


def test_changing_a_provider_asks_again_five_minutes_later(stale_client):
    provider = oidc_provider(discovery_url="https://idp.example/", client_secret="very-secret-abcd")
    url = reverse("sso:provider-detail", kwargs={"pk": provider.pk})
    assert stale_client.get(url).status_code == 200  # reading asks nothing
    with time_machine.travel("2026-12-07T09:00:00Z", tick=False) as clock:
        _reauthenticate(stale_client)
        clock.shift(6 * 60)
        form = {"name": "Evil", "status": "draft", "domains": "acme.test", "scopes": "openid"}
        response = stale_client.post(url, {**form, "discovery_url": "https://evil.example/"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    provider.refresh_from_db()
    assert provider.discovery_url == "https://idp.example/"


def test_revoking_a_scim_token_asks_for_the_password(stale_client, site_admin):
    token, _ = make_scim_token(created_by=site_admin)
    response = stale_client.post(reverse("provisioning-web:token-revoke", kwargs={"token_id": token.pk}))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert ScimToken.objects.get(pk=token.pk).revoked_at is None


def test_the_api_says_where_to_confirm_the_password(stale_client, site_admin):
    provider = oidc_provider(discovery_url="https://idp.example/")
    token, _ = make_scim_token(created_by=site_admin)
    detail = reverse("api:sso-provider-detail", kwargs={"pk": provider.pk})
    changes = [
        stale_client.post(
            reverse("api:sso-provider-list"),
            {"kind": "saml", "name": "Acme", "slug": "acme", "domains": ["b.test"]},
            content_type="application/json",
        ),
        stale_client.patch(
            detail, {"discovery_url": "https://evil.example/"}, content_type="application/json"
        ),
        stale_client.delete(f"/api/v1/provisioning/tokens/{token.pk}/"),
    ]
    for response in changes:
        assert response.status_code == 403, response.content
        error = response.json()["error"]
        assert (
            error["code"] == "reauthentication_required" and "/accounts/reauthenticate/" in error["message"]
        )
    assert stale_client.get(detail).status_code == 200
    provider.refresh_from_db()
    assert provider.discovery_url == "https://idp.example/" and IdentityProvider.objects.count() == 1

    _reauthenticate(stale_client)
    response = stale_client.patch(detail, {"name": "Acme Corp"}, content_type="application/json")
    assert response.status_code == 200
    assert stale_client.delete(f"/api/v1/provisioning/tokens/{token.pk}/").status_code == 204
