"""Personal access tokens: created on the settings page or the API with the person's password, shown once,
revocable, and honoured."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from openhelp.platform.accounts import services
from openhelp.platform.accounts.models import AccessToken
from tests.factories import PASSWORD, make_access_token

NOTIFICATIONS_API = "/api/v1/notifications/"
TOKENS_API = "/api/v1/tokens/"


def _bearer(raw_key: str) -> dict:
    return {"Authorization": f"Bearer {raw_key}"}


def test_it_creates_a_token_and_shows_the_key_exactly_once(owner, owner_client):
    response = owner_client.post(reverse("accounts:tokens"), {"name": "calendar sync", "password": PASSWORD})
    assert response.status_code == 302
    token = AccessToken.objects.get(user=owner)
    assert token.name == "calendar sync"

    first = owner_client.get(reverse("accounts:tokens")).content.decode()
    shown = re.search(r'value="(oth_[^"]+)" data-new-token', first).group(1)
    assert AccessToken.hash_key(shown) == token.key_hash
    assert token.key_hint in first
    assert "Your new token</h2>" in first
    second = owner_client.get(reverse("accounts:tokens")).content.decode()
    assert shown not in second
    assert "calendar sync" in second

    assert Client().get(NOTIFICATIONS_API, headers=_bearer(shown)).status_code == 200


def test_it_asks_for_a_token_name(owner, owner_client):
    response = owner_client.post(reverse("accounts:tokens"), {"name": "   ", "password": PASSWORD})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not AccessToken.objects.filter(user=owner).exists()


def test_it_shows_an_empty_state_without_tokens(owner_client):
    assert "You have no active tokens" in owner_client.get(reverse("accounts:tokens")).content.decode()


def test_it_revokes_a_token_so_it_no_longer_authenticates(owner, owner_client):
    token, raw_key = make_access_token(owner)
    assert Client().get(NOTIFICATIONS_API, headers=_bearer(raw_key)).status_code == 200
    response = owner_client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    refused = Client().get(NOTIFICATIONS_API, headers=_bearer(raw_key))
    assert refused.status_code == 401
    assert refused.json() == {
        "error": {"code": "authentication_failed", "message": "Invalid or revoked access token."}
    }
    assert refused["WWW-Authenticate"] == "Bearer"


def test_it_refuses_to_revoke_someone_elses_token(owner, outsider_client):
    token, _ = make_access_token(owner)
    assert outsider_client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    assert outsider_client.delete(f"{TOKENS_API}{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_it_records_when_a_token_was_last_used(owner):
    token, raw_key = make_access_token(owner)
    Client().get(NOTIFICATIONS_API, headers=_bearer(raw_key))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_a_malformed_authorization_header(db):
    response = Client().get(NOTIFICATIONS_API, headers={"Authorization": "Bearer two parts"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_it_manages_tokens_over_the_api_from_a_session(owner, outsider, owner_client):
    make_access_token(outsider, name="not yours")
    created = owner_client.post(
        TOKENS_API, {"name": "ci", "password": PASSWORD}, content_type="application/json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "ci"
    assert body["key"].startswith("oth_")
    assert body["key_hint"] == body["key"][:10]

    listed = owner_client.get(TOKENS_API).json()
    assert [t["name"] for t in listed["results"]] == ["ci"]
    assert "key" not in listed["results"][0]

    assert Client().get(NOTIFICATIONS_API, headers=_bearer(body["key"])).status_code == 200
    assert owner_client.delete(f"{TOKENS_API}{body['id']}/").status_code == 204
    assert Client().get(NOTIFICATIONS_API, headers=_bearer(body["key"])).status_code == 401
    assert owner_client.get(TOKENS_API).json()["results"] == []


def test_it_answers_a_bad_token_request_with_field_errors(owner_client):
    response = owner_client.post(TOKENS_API, {"name": ""}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "name" in error["fields"]


def test_it_caps_the_number_of_active_tokens(owner, owner_client):
    for n in range(services.MAX_ACTIVE_TOKENS):
        services.create_access_token(user=owner, name=f"t{n}")
    response = owner_client.post(
        TOKENS_API, {"name": "one more", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "revoke one" in response.json()["error"]["fields"]["name"][0]


def test_it_does_not_let_a_token_mint_or_revoke_tokens(owner):
    token, raw_key = make_access_token(owner)
    client = Client()
    response = client.post(
        TOKENS_API,
        {"name": "escalate", "password": PASSWORD},
        content_type="application/json",
        headers=_bearer(raw_key),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert client.delete(f"{TOKENS_API}{token.pk}/", headers=_bearer(raw_key)).status_code == 403
    assert AccessToken.objects.filter(user=owner).count() == 1


def test_it_enforces_csrf_for_session_requests_but_not_for_token_requests(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    refused = browser.post(TOKENS_API, {"name": "x", "password": PASSWORD}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    refused = browser.post(f"{NOTIFICATIONS_API}read-all/")
    assert refused.status_code == 403

    browser.get(reverse("accounts:tokens"))  # sets the CSRF cookie, as a page load would
    csrf = browser.cookies["csrftoken"].value
    allowed = browser.post(
        TOKENS_API,
        {"name": "x", "password": PASSWORD},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert allowed.status_code == 201

    _, raw_key = make_access_token(owner)
    scripted = Client(enforce_csrf_checks=True)
    assert scripted.post(f"{NOTIFICATIONS_API}read-all/", headers=_bearer(raw_key)).status_code == 200
