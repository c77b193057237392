"""The site administrators' token page and the same over the REST API; everyone else gets 404, organisers
included. Creating a token takes the administrator's current password
(tests/provisioning/test_token_password.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.organisers.provisioning.models import ScimToken
from tests.factories import PASSWORD, make_access_token
from tests.factories_provisioning import ScimClient, make_scim_token

pytestmark = pytest.mark.django_db
PAGE = "/provisioning/"


def test_a_site_admin_creates_a_token_shown_once_and_it_works(site_admin_client):
    page = site_admin_client.get(PAGE)
    assert page.status_code == 200
    assert b"No identity provider is connected yet" in page.content
    assert b"http://testserver/scim/v2" in page.content
    response = site_admin_client.post(PAGE, {"name": "Entra ID", "password": PASSWORD}, follow=True)
    token = ScimToken.objects.get(name="Entra ID")
    secret = response.context["new_token"]["secret"]
    assert secret.encode() in response.content and f"•••• {secret[-4:]}" in response.content.decode()
    assert b"Token for Entra ID</h2>" in response.content
    assert ScimClient(secret).get("Users").status_code == 200
    again = site_admin_client.get(PAGE)
    assert secret.encode() not in again.content and token.name.encode() in again.content


def test_a_blank_name_is_an_error_next_to_the_field(site_admin_client):
    response = site_admin_client.post(PAGE, {"name": "  ", "password": PASSWORD})
    assert response.status_code == 400 and response.context["form"].errors["name"]


def test_a_site_admin_revokes_a_token(site_admin_client, site_admin):
    token, secret = make_scim_token(created_by=site_admin)
    response = site_admin_client.post(f"{PAGE}tokens/{token.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    assert ScimClient(secret).get("Users").status_code == 401
    assert site_admin_client.post(f"{PAGE}tokens/{token.pk}/revoke/").status_code == 404


@pytest.mark.parametrize("who", ["owner", "organiser"])
def test_people_who_are_not_site_admins_get_404(request, who):
    token, _ = make_scim_token()
    client = Client()
    client.force_login(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 404
    assert client.post(f"{PAGE}tokens/{token.pk}/revoke/").status_code == 404
    assert client.get("/api/v1/provisioning/tokens/").status_code == 404
    assert Client().get(PAGE).status_code == 302  # to the login page
    assert ScimToken.objects.get(pk=token.pk).revoked_at is None


def test_the_api_lists_creates_and_revokes_tokens_from_a_session(site_admin_client):
    created = site_admin_client.post(
        "/api/v1/provisioning/tokens/",
        {"name": "Keycloak", "password": PASSWORD},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("scim_") and body["last_four"] == body["token"][-4:]
    assert body["scim_base_url"] == "http://testserver/scim/v2"
    listed = site_admin_client.get("/api/v1/provisioning/tokens/").json()
    assert [t["name"] for t in listed] == ["Keycloak"] and "token" not in listed[0]
    assert site_admin_client.delete(f"/api/v1/provisioning/tokens/{body['id']}/").status_code == 204
    assert site_admin_client.get("/api/v1/provisioning/tokens/").json() == []


def test_the_api_refuses_a_personal_access_token(site_admin):
    _, key = make_access_token(site_admin)
    response = Client().post(
        "/api/v1/provisioning/tokens/",
        {"name": "x", "password": PASSWORD},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    assert not ScimToken.objects.exists()


def test_another_admins_token_shows_no_secret(site_admin_client):
    make_scim_token("Okta")
    text = site_admin_client.get(PAGE).content.decode()
    assert "Okta" in text and "scim_" not in text
