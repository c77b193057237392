"""The site administrators' pages: add a provider as a draft, see what the IdP needs before finishing,
switch it on, check it; everyone else gets 404, organisers included (anonymous: the login page)."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import override_settings
from django.urls import reverse

from openhelp.integrations.sso.adapter import SocialAccountAdapter
from openhelp.integrations.sso.models import IdentityProvider, Status
from tests.factories_sso import oidc_provider
from tests.sso import fake_oidc
from tests.sso.saml_idp import SamlIdp, serve

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def served_idp():
    idp, server = serve(lambda base_url: SamlIdp(base_url))
    yield idp, server
    server.shutdown()


@pytest.mark.parametrize("who", ["owner_client", "outsider_client", "organiser_client"])
def test_people_who_are_not_site_admins_get_404(request, who):
    client = request.getfixturevalue(who)
    provider = oidc_provider(discovery_url="https://idp.example/", status=Status.DRAFT)
    for url in (
        reverse("sso:provider-list"),
        reverse("sso:provider-create"),
        reverse("sso:provider-detail", kwargs={"pk": provider.pk}),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("sso:provider-check", kwargs={"pk": provider.pk})).status_code == 404


def test_anonymous_people_are_sent_to_log_in(anonymous_client):
    response = anonymous_client.get(reverse("sso:provider-list"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_empty_list_says_what_to_do(site_admin_client):
    content = site_admin_client.get(reverse("sso:provider-list")).content.decode()
    assert "No company login yet" in content and "Add a SAML provider" in content


def test_a_saml_draft_shows_our_entity_id_and_acs_url_before_it_is_finished(site_admin_client, settings):
    settings.SITE_URL = "https://help.acme.test"
    response = site_admin_client.post(
        reverse("sso:provider-create"),
        {"kind": "saml", "name": "Acme Okta", "slug": "acme", "status": "draft", "domains": "acme.test"},
    )
    provider = IdentityProvider.objects.get()
    assert response.status_code == 302
    content = site_admin_client.get(
        reverse("sso:provider-detail", kwargs={"pk": provider.pk})
    ).content.decode()
    assert "https://help.acme.test/accounts/saml/acme/metadata/" in content
    assert "https://help.acme.test/accounts/saml/acme/acs/" in content
    assert "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" in content


def test_switching_a_provider_on_needs_a_complete_set_up(site_admin_client):
    response = site_admin_client.post(
        reverse("sso:provider-create"),
        {
            "kind": "oidc",
            "name": "Acme",
            "slug": "acme",
            "status": "active",
            "domains": "acme.test",
            "scopes": "openid",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Needed before the provider can be switched on." in content
    assert 'value="Acme"' in content  # what was typed stays
    assert not IdentityProvider.objects.exists()


def test_a_domain_routes_to_one_provider_only(site_admin_client):
    oidc_provider(discovery_url="https://idp.example/", domains=["acme.test"])
    response = site_admin_client.post(
        reverse("sso:provider-create"),
        {"kind": "oidc", "name": "Other", "slug": "other", "status": "draft", "domains": "ACME.test, b.test"},
    )
    assert "Already routed to another identity provider: acme.test." in response.content.decode()


def test_the_client_secret_is_never_shown_back_and_stays_when_left_empty(site_admin_client):
    provider = oidc_provider(discovery_url="https://idp.example/", client_secret="very-secret-abcd")
    url = reverse("sso:provider-detail", kwargs={"pk": provider.pk})
    content = site_admin_client.get(url).content.decode()
    assert "very-secret" not in content and "•••• abcd" in content
    response = site_admin_client.post(
        url,
        {
            "name": "Acme renamed",
            "status": "active",
            "domains": "acme.test",
            "discovery_url": "https://idp.example/",
            "client_id": "open-to-help",
            "client_secret": "",
            "scopes": "openid email",
            "map_team": "division",
        },
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.client_secret == "very-secret-abcd" and provider.name == "Acme renamed"
    assert provider.claim_mapping == {"team": "division"}
    app = SocialApp.objects.get(pk=provider.social_app_id)
    assert (app.provider, app.provider_id, app.secret) == (
        "openid_connect",
        "acme-oidc",
        "",
    )  # never in clear
    # allauth gets it in memory, decrypted from the provider, when it looks the app up.
    [listed] = SocialAccountAdapter().list_apps(None, provider="acme-oidc")
    assert listed.secret == "very-secret-abcd"
    assert app.settings["scope"] == ["openid", "email"] and app.settings["oauth_pkce_enabled"] is True


def test_saml_metadata_from_a_url_is_fetched_only_from_allowed_internal_hosts(site_admin_client, served_idp):
    idp, server = served_idp
    data = {
        "kind": "saml",
        "name": "Acme",
        "slug": "acme",
        "status": "active",
        "domains": "acme.test",
        "metadata_url": f"{idp.base_url}/metadata",
    }
    response = site_admin_client.post(reverse("sso:provider-create"), data)
    assert response.status_code == 200 and "could not be fetched" in response.content.decode()
    with override_settings(OUTBOUND_ALLOWED_HOSTS=[f"127.0.0.1:{server.server_port}"]):
        response = site_admin_client.post(reverse("sso:provider-create"), data)
    assert response.status_code == 302
    provider = IdentityProvider.objects.get()
    assert provider.idp_entity_id == idp.entity_id and provider.cert_expires_at is not None
    advanced = provider.social_app.settings["advanced"]
    assert (
        advanced["want_assertion_signed"] and advanced["strict"] and advanced["reject_deprecated_algorithm"]
    )
    assert advanced["signature_algorithm"].endswith("rsa-sha256")
    assert provider.social_app.settings["idp"]["sso_url"] == idp.sso_url


def test_the_check_reads_discovery_and_keys(site_admin_client):
    fake, server = fake_oidc.serve()
    try:
        provider = oidc_provider(discovery_url=fake.base_url)
        with override_settings(OUTBOUND_ALLOWED_HOSTS=[f"127.0.0.1:{server.server_port}"]):
            response = site_admin_client.post(reverse("sso:provider-check", kwargs={"pk": provider.pk}))
    finally:
        server.shutdown()
    content = response.content.decode()
    assert f"issuer {fake.base_url}" in content and "1 signing key(s) published." in content
    assert "Problem" not in content


@pytest.mark.parametrize("kind", ["oidc", "saml"])
def test_the_add_page_starts_a_draft(site_admin_client, kind):
    response = site_admin_client.get(reverse("sso:provider-create") + f"?kind={kind}")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Save draft" in content and "the URLs your identity provider needs" in content
