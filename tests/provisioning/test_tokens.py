"""Bearer tokens: missing, wrong or revoked answers 401 in SCIM form; rate limits; last use."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from openhelp.organisers.provisioning import tokens
from openhelp.organisers.provisioning.models import ScimToken
from tests.factories_provisioning import ScimClient, make_scim_token

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"

pytestmark = pytest.mark.django_db


def assert_401(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/scim+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["schemas"] == [ERROR] and response.json()["status"] == "401"


def test_no_token_is_401():
    make_scim_token()
    assert_401(Client().get("/scim/v2/Users"))
    assert_401(Client().post("/scim/v2/Users", "{}", content_type="application/scim+json"))


def test_a_wrong_token_or_scheme_is_401(scim_token):
    _, secret = scim_token
    assert_401(ScimClient(secret + "x").get("Users"))
    assert_401(Client().get("/scim/v2/Users", headers={"Authorization": f"Basic {secret}"}))
    assert ScimClient(secret).get("Users").status_code == 200


def test_a_revoked_token_is_401_at_once(scim_token):
    token, secret = scim_token
    client = ScimClient(secret)
    assert client.get("ServiceProviderConfig").status_code == 200
    tokens.revoke_token(token_id=token.pk)
    assert_401(client.get("ServiceProviderConfig"))


def test_only_a_hash_and_the_last_four_are_stored(scim_token):
    token, secret = scim_token
    stored = ScimToken.objects.get(pk=token.pk)
    assert secret not in {stored.token_hash, stored.name} and stored.token_hash == ScimToken.hash_secret(
        secret
    )
    assert stored.last_four == secret[-4:] and str(stored) == f"Okta (•••• {secret[-4:]})"


def test_it_records_when_a_token_was_last_used(scim_token):
    token, secret = scim_token
    assert token.last_used_at is None
    ScimClient(secret).get("Users")
    token.refresh_from_db()
    assert token.last_used_at is not None


@override_settings(SCIM_FAILED_AUTH_PER_10_MINUTES=3)
def test_failed_attempts_are_limited_per_address(scim_token):
    _, secret = scim_token
    wrong = ScimClient("scim_wrong")
    for _ in range(3):
        assert wrong.get("Users").status_code == 401
    limited = wrong.get("Users")
    assert limited.status_code == 429 and limited.json()["status"] == "429"
    assert ScimClient(secret).get("Users").status_code == 429  # the same address waits, token or not


@override_settings(SCIM_REQUESTS_PER_MINUTE=2)
def test_requests_are_limited_per_token(scim_token):
    _, secret = scim_token
    client = ScimClient(secret)
    assert [client.get("ServiceProviderConfig").status_code for _ in range(3)] == [200, 200, 429]
