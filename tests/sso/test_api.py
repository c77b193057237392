"""Identity providers over the REST API: site administrators only (organisers get 404), the secret
write-only, the same rules as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.integrations.sso.models import IdentityProvider
from tests.factories_sso import oidc_provider
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db
LIST = "api:sso-provider-list"


def _detail(pk: int) -> str:
    return reverse("api:sso-provider-detail", kwargs={"pk": pk})


def test_a_site_admin_adds_a_draft_and_gets_what_the_idp_needs(site_admin_client, settings):
    settings.SITE_URL = "https://help.acme.test"
    response = site_admin_client.post(
        reverse(LIST),
        {"kind": "saml", "name": "Acme", "slug": "acme", "domains": ["Acme.test"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["domains"] == ["acme.test"]
    assert body["service_provider"]["acs_url"] == "https://help.acme.test/accounts/saml/acme/acs/"


def test_the_secret_is_write_only(site_admin_client):
    provider = oidc_provider(discovery_url="https://idp.example/", client_secret="top-secret-wxyz")
    body = site_admin_client.get(_detail(provider.pk)).json()
    assert "client_secret" not in body and body["secret_hint"] == "•••• wxyz"
    response = site_admin_client.patch(
        _detail(provider.pk),
        {"client_secret": "new-secret-9876", "sso_required": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["secret_hint"] == "•••• 9876"
    provider.refresh_from_db()
    assert provider.client_secret == "new-secret-9876" and provider.sso_required


def test_service_errors_come_back_next_to_the_field(site_admin_client):
    oidc_provider(discovery_url="https://idp.example/")
    response = site_admin_client.post(
        reverse(LIST),
        {"kind": "oidc", "name": "B", "slug": "b", "domains": ["acme.test"], "status": "active"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert IdentityProvider.objects.count() == 1
    assert "domains" in str(response.json())


def test_the_kind_and_slug_do_not_change(site_admin_client):
    provider = oidc_provider(discovery_url="https://idp.example/")
    response = site_admin_client.patch(
        _detail(provider.pk), {"slug": "other"}, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["owner_client", "outsider_client", "organiser_client"])
def test_people_who_are_not_site_admins_get_404(request, who):
    client = request.getfixturevalue(who)
    provider = oidc_provider(discovery_url="https://idp.example/")
    assert client.get(reverse(LIST)).status_code == 404
    assert client.get(_detail(provider.pk)).status_code == 404


def test_anonymous_is_refused(anonymous_client):
    assert anonymous_client.get(reverse(LIST)).status_code in (401, 403)


def test_the_schema_documents_the_endpoints():
    schema = openapi_schema()
    paths = [path for path in schema["paths"] if "/sso/providers/" in path]
    assert len(paths) == 3
