"""Only a site administrator sets company login up. An identity provider vouches for every address in its
domains and a vouched-for address signs in as the account that has it: an organiser who could point a
provider at an IdP of their own signed in as anyone, a superuser included (found in the security review;
docs/security.md)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.integrations.sso.models import IdentityProvider, Status
from tests.factories import make_access_token
from tests.factories_accounts import verified_user
from tests.factories_sso import oidc_provider
from tests.sso import fake_oidc
from tests.sso.conftest import logged_in_user_id, start_company_login

pytestmark = pytest.mark.django_db
CLIENT_ID = "open-to-help"


@pytest.fixture(scope="module")
def their_idp():
    """An OpenID Connect provider whose answers the attacker writes."""
    fake, server = fake_oidc.serve()
    yield fake
    server.shutdown()


@pytest.fixture(autouse=True)
def _the_test_idp_is_allowed(settings, their_idp):
    """It listens on loopback, which company login reaches only when an administrator allows the host."""
    settings.OUTBOUND_ALLOWED_HOSTS = [urlsplit(their_idp.base_url).netloc]


def _provider_body(discovery_url: str) -> dict:
    return {
        "kind": "oidc",
        "name": "Acme",
        "slug": "acme-oidc",
        "status": "active",
        "domains": ["acme.test"],
        "discovery_url": discovery_url,
        "client_id": CLIENT_ID,
        "client_secret": "anything",
    }


def _sign_in_as(client, idp, email: str):
    idp.userinfo = {"sub": "the-attackers-own", "email": email, "email_verified": True}
    idp.id_token = idp.sign(audience=CLIENT_ID, sub="the-attackers-own")
    state = parse_qs(urlparse(start_company_login(client, email)).query)["state"][0]
    url = reverse("openid_connect_callback", kwargs={"provider_id": "acme-oidc"})
    return client.get(url, {"code": "c", "state": state})


def test_an_organiser_cannot_add_a_provider(organiser_client):
    response = organiser_client.post(
        reverse("api:sso-provider-list"),
        _provider_body("https://idp.attacker.example/"),
        content_type="application/json",
    )
    assert response.status_code == 404
    form = {**_provider_body("https://idp.attacker.example/"), "domains": "acme.test"}
    page = organiser_client.post(reverse("sso:provider-create"), form)
    assert page.status_code == 404
    assert not IdentityProvider.objects.exists()


def test_an_organiser_cannot_repoint_the_working_provider_at_their_own_idp(organiser_client, their_idp):
    provider = oidc_provider(discovery_url="https://idp.acme.example/")
    for attempt in (
        organiser_client.patch(
            reverse("api:sso-provider-detail", kwargs={"pk": provider.pk}),
            {"discovery_url": their_idp.base_url},
            content_type="application/json",
        ),
        organiser_client.post(
            reverse("sso:provider-detail", kwargs={"pk": provider.pk}),
            {**_provider_body(their_idp.base_url), "domains": "acme.test"},
        ),
    ):
        assert attempt.status_code == 404
    provider.refresh_from_db()
    assert provider.discovery_url == "https://idp.acme.example/"


def test_a_site_admins_access_token_cannot_set_a_provider_up(site_admin):
    """A leaked personal access token would otherwise last, and sign in as anyone; as for SCIM tokens, a
    signed-in browser session is needed."""
    api = Client(headers={"Authorization": f"Bearer {make_access_token(site_admin)[1]}"})
    body = _provider_body("https://idp.attacker.example/")
    response = api.post(reverse("api:sso-provider-list"), body, content_type="application/json")
    assert response.status_code == 403
    assert api.get(reverse("api:sso-provider-list")).status_code == 403
    assert not IdentityProvider.objects.exists()


def test_what_a_provider_can_do_is_why_only_a_site_admin_sets_one_up(site_admin_client, client, their_idp):
    """The power itself, unchanged: whoever sets a provider up signs in as whom they like in its domains,
    here as a superuser (who has no second factor; with one, allauth would ask for it)."""
    root = verified_user("root@acme.test")
    type(root).objects.filter(pk=root.pk).update(is_staff=True, is_superuser=True)
    response = site_admin_client.post(
        reverse("api:sso-provider-list"), _provider_body(their_idp.base_url), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert IdentityProvider.objects.get().status == Status.ACTIVE
    _sign_in_as(client, their_idp, "root@acme.test")
    assert logged_in_user_id(client) == str(root.pk)
