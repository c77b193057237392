"""The organisers' token page and the same over the REST API; everyone else gets 404. Creating a token
takes the organiser's current password (tests/provisioning/test_token_password.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.organisers.provisioning.models import ScimToken
from tests.factories import PASSWORD, UserFactory, make_access_token
from tests.factories_provisioning import ScimClient, make_scim_token

pytestmark = pytest.mark.django_db
PAGE = "/provisioning/"


@pytest.fixture
def organiser_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


def test_an_organiser_creates_a_token_shown_once_and_it_works(organiser_client):
    page = organiser_client.get(PAGE)
    assert page.status_code == 200
    assert b"No identity provider is connected yet" in page.content
    assert b"http://testserver/scim/v2" in page.content
    response = organiser_client.post(PAGE, {"name": "Entra ID", "password": PASSWORD}, follow=True)
    token = ScimToken.objects.get(name="Entra ID")
    secret = response.context["new_token"]["secret"]
    assert secret.encode() in response.content and f"•••• {secret[-4:]}" in response.content.decode()
    assert b"Token for Entra ID</h2>" in response.content
    assert ScimClient(secret).get("Users").status_code == 200
    again = organiser_client.get(PAGE)
    assert secret.encode() not in again.content and token.name.encode() in again.content


def test_a_blank_name_is_an_error_next_to_the_field(organiser_client):
    response = organiser_client.post(PAGE, {"name": "  ", "password": PASSWORD})
    assert response.status_code == 400 and response.context["form"].errors["name"]


def test_an_organiser_revokes_a_token(organiser_client, organiser):
    token, secret = make_scim_token(created_by=organiser)
    response = organiser_client.post(f"{PAGE}tokens/{token.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    assert ScimClient(secret).get("Users").status_code == 401
    assert organiser_client.post(f"{PAGE}tokens/{token.pk}/revoke/").status_code == 404


def test_people_who_are_not_organisers_get_404(owner):
    token, _ = make_scim_token()
    client = Client()
    client.force_login(owner)
    assert client.get(PAGE).status_code == 404
    assert client.post(f"{PAGE}tokens/{token.pk}/revoke/").status_code == 404
    assert client.get("/api/v1/provisioning/tokens/").status_code == 404
    assert Client().get(PAGE).status_code == 302  # to the login page
    assert ScimToken.objects.get(pk=token.pk).revoked_at is None


def test_the_api_lists_creates_and_revokes_tokens_from_a_session(organiser_client):
    created = organiser_client.post(
        "/api/v1/provisioning/tokens/",
        {"name": "Keycloak", "password": PASSWORD},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("scim_") and body["last_four"] == body["token"][-4:]
    assert body["scim_base_url"] == "http://testserver/scim/v2"
    listed = organiser_client.get("/api/v1/provisioning/tokens/").json()
    assert [t["name"] for t in listed] == ["Keycloak"] and "token" not in listed[0]
    assert organiser_client.delete(f"/api/v1/provisioning/tokens/{body['id']}/").status_code == 204
    assert organiser_client.get("/api/v1/provisioning/tokens/").json() == []


def test_the_api_refuses_a_personal_access_token(organiser):
    _, key = make_access_token(organiser)
    response = Client().post(
        "/api/v1/provisioning/tokens/",
        {"name": "x", "password": PASSWORD},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    assert not ScimToken.objects.exists()


def test_an_outsider_organisers_token_list_shows_no_secret(organiser_client):
    make_scim_token("Okta", created_by=UserFactory(is_organiser=True))
    text = organiser_client.get(PAGE).content.decode()
    assert "Okta" in text and "scim_" not in text
