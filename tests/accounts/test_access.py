"""Who may reach the settings pages, the allauth pages, the tokens API and deleting the account."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_access_token
from tests.harness.access import Row, assert_access_matrix

TOKENS = "/api/v1/tokens/"


@pytest.fixture
def world(owner, outsider, anonymous_client, owner_client, outsider_client):
    token, _ = make_access_token(owner)
    return SimpleNamespace(
        token=token,
        clients={"anonymous": anonymous_client, "owner": owner_client, "outsider": outsider_client},
    )


ACCESS = [
    Row("GET", lambda w: reverse("accounts:settings"), {"anonymous": 302, "owner": 200, "outsider": 200}),
    Row("GET", lambda w: reverse("accounts:tokens"), {"anonymous": 302, "owner": 200}),
    Row(
        "POST",
        lambda w: reverse("accounts:tokens"),
        {"anonymous": 302, "owner": 302},
        data={"name": "x", "password": PASSWORD},
    ),
    Row("GET", lambda w: reverse("accounts:token-revoke", args=[w.token.pk]), {"owner": 405}),
    Row(
        "POST",
        lambda w: reverse("accounts:token-revoke", args=[w.token.pk]),
        {"anonymous": 302, "outsider": 404, "owner": 302},
    ),
    Row("GET", lambda w: reverse("accounts:delete"), {"anonymous": 302, "owner": 200}),
    Row("POST", lambda w: reverse("accounts:delete"), {"anonymous": 302}, data={}),
    Row("GET", lambda w: reverse("account_email"), {"anonymous": 302, "owner": 200}),
    Row("GET", lambda w: reverse("account_change_password"), {"anonymous": 302, "owner": 200}),
    Row("GET", lambda w: reverse("mfa_index"), {"anonymous": 302, "owner": 200}),
    Row("GET", lambda w: reverse("account_login"), {"anonymous": 200, "owner": 302}),
    Row("GET", lambda w: reverse("account_signup"), {"anonymous": 200, "owner": 302}),
    Row("GET", lambda w: reverse("account_reset_password"), {"anonymous": 200}),
    Row("GET", lambda w: TOKENS, {"anonymous": 401, "owner": 200, "outsider": 200}),
    Row(
        "POST",
        lambda w: TOKENS,
        {"anonymous": 401, "owner": 201},
        data={"name": "ci", "password": PASSWORD},
        json=True,
    ),
    Row("DELETE", lambda w: f"{TOKENS}{w.token.pk}/", {"anonymous": 401, "outsider": 404}),
    # Deleting the account: 400 without its confirmation (so nobody in the matrix is deleted), 401 anonymous.
    Row("POST", lambda w: "/api/v1/account/delete/", {"anonymous": 401, "owner": 400}, data={}, json=True),
    Row("GET", lambda w: "/api/v1/account/delete/", {"owner": 405}),
]


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)
