"""Identity providers from before company login was site administrators' only (an organiser may have set
them up, pointing at an IdP of their own) do not keep working silently: `check --deploy` names them, and the
pages and the API say so until a site administrator saves each one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.integrations.sso.deploy_checks import check_unconfirmed_providers
from openhelp.integrations.sso.models import Status
from tests.factories_sso import oidc_provider

pytestmark = pytest.mark.django_db
NOTICE = "no site administrator has confirmed"


@pytest.fixture
def older_provider():
    """Saved without a site administrator, as every provider was before the upgrade."""
    return oidc_provider(discovery_url="https://idp.example/", domains=("acme.test",))


def test_the_deploy_check_names_switched_on_providers_nobody_confirmed(older_provider):
    oidc_provider(
        discovery_url="https://idp.example/", slug="draft-one", domains=("b.test",), status=Status.DRAFT
    )
    [warning] = check_unconfirmed_providers()
    assert warning.id == "openhelp.W003"
    assert "Acme (acme-oidc)" in warning.msg and "draft-one" not in warning.msg


def test_the_pages_and_the_api_say_it_until_a_site_admin_saves_it(older_provider, site_admin_client):
    detail = reverse("sso:provider-detail", kwargs={"pk": older_provider.pk})
    api = reverse("api:sso-provider-detail", kwargs={"pk": older_provider.pk})
    assert NOTICE in site_admin_client.get(reverse("sso:provider-list")).content.decode().lower()
    assert "Not confirmed" in site_admin_client.get(reverse("sso:provider-list")).content.decode()
    assert NOTICE in site_admin_client.get(detail).content.decode().lower()
    assert site_admin_client.get(api).json()["needs_confirmation"] is True

    response = site_admin_client.patch(api, {"name": "Acme"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["needs_confirmation"] is False
    assert check_unconfirmed_providers() == []
    assert NOTICE not in site_admin_client.get(reverse("sso:provider-list")).content.decode().lower()
    assert NOTICE not in site_admin_client.get(detail).content.decode().lower()


def test_a_provider_saved_on_the_page_counts_as_confirmed(older_provider, site_admin_client):
    detail = reverse("sso:provider-detail", kwargs={"pk": older_provider.pk})
    form = {
        "name": "Acme",
        "status": "active",
        "domains": "acme.test",
        "discovery_url": "https://idp.example/",
        "client_id": "open-to-help",
        "scopes": "openid profile email",
    }
    assert site_admin_client.post(detail, form).status_code == 302
    assert check_unconfirmed_providers() == []


def test_a_provider_confirmed_by_someone_no_longer_a_site_admin_is_named_again(
    older_provider, site_admin, site_admin_client
):
    api = reverse("api:sso-provider-detail", kwargs={"pk": older_provider.pk})
    site_admin_client.patch(api, {"name": "Acme"}, content_type="application/json")
    site_admin.is_superuser = False
    site_admin.save(update_fields=["is_superuser"])
    [warning] = check_unconfirmed_providers()
    assert "acme-oidc" in warning.msg
