"""Creating a SCIM token takes the site administrator's current password, on the page and over the API: a
token that can create, change and deactivate every account must not be minted by a session alone (left
open, stolen). The checks and limits are the account's own (``accounts.services.check_current_password``),
counted together with every other step that asks for the password."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openhelp.organisers.provisioning.models import ScimToken
from openhelp.platform.accounts.models import AccessToken
from tests.factories import PASSWORD
from tests.factories_provisioning import ScimClient

pytestmark = pytest.mark.django_db
PAGE = "/provisioning/"
API = "/api/v1/provisioning/tokens/"
PINNED = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)  # the hour's window, whatever the clock says


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(client: Client, **data):
    return client.post(API, data, content_type="application/json")


def test_the_page_asks_for_the_password_after_the_identity_provider(site_admin):
    html = _signed_in(site_admin).get(PAGE).content.decode()
    assert html.index('name="name"') < html.index('name="password"')
    field = re.search(r"<input[^>]*name=\"password\"[^>]*>", html).group(0)
    assert 'type="password"' in field and 'autocomplete="current-password"' in field


@pytest.mark.parametrize(
    ("password", "message"),
    [(None, "This field is required."), ("wrong", "That is not your current password.")],
)
def test_the_page_creates_nothing_without_the_right_password(site_admin, password, message):
    data = {"name": "Entra ID"} | ({"password": password} if password is not None else {})
    response = _signed_in(site_admin).post(PAGE, data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"password": [message]}
    html = response.content.decode()
    assert 'value="Entra ID"' in html, "the typed name is kept"
    if password:
        assert f'value="{password}"' not in html, "the password is never shown again"
    assert not ScimToken.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [({"name": "Okta"}, "required"), ({"name": "Okta", "password": "wrong"}, "not your current password")],
)
def test_the_api_creates_nothing_without_the_right_password(site_admin, body, message):
    response = _api(_signed_in(site_admin), **body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and message in " ".join(error["fields"]["password"])
    assert set(error["fields"]) == {"password"}
    assert not ScimToken.objects.exists()


def test_with_the_right_password_the_api_creates_a_token_that_works_and_never_echoes_it(site_admin):
    created = _api(_signed_in(site_admin), name="Okta", password=PASSWORD)
    assert created.status_code == 201
    assert "password" not in created.json() and PASSWORD not in created.content.decode()
    assert ScimClient(created.json()["token"]).get("Users").status_code == 200


def test_five_wrong_passwords_in_an_hour_refuse_even_the_right_one_counted_with_the_account(site_admin):
    with time_machine.travel(PINNED, tick=False) as traveller:
        client = _signed_in(site_admin)
        for _ in range(2):
            client.post(PAGE, {"name": "guess", "password": "guess"})
        for _ in range(2):
            assert _api(client, name="guess", password="guess").status_code == 400
        # The fifth on the personal token page: one count per person, whichever step asked.
        client.post(reverse("accounts:tokens"), {"name": "guess", "password": "guess"})
        refused = _api(client, name="Okta", password=PASSWORD)
        assert refused.status_code == 429 and refused["Retry-After"] == "3600"
        assert "Too many wrong passwords" in refused.json()["error"]["message"]
        shown = client.post(PAGE, {"name": "Okta", "password": PASSWORD})
        assert shown.context["form"].errors == {
            "password": ["Too many wrong passwords. Try again in an hour."]
        }
        assert not ScimToken.objects.exists() and not AccessToken.objects.exists()
        traveller.shift(dt.timedelta(hours=1, seconds=1))
        assert _api(client, name="Okta", password=PASSWORD).status_code == 201


def test_past_ten_attempts_a_minute_the_password_is_not_even_checked(site_admin):
    with time_machine.travel(PINNED, tick=False):
        client = _signed_in(site_admin)
        for _ in range(10):  # the right password, no name: only allauth's limit counts these
            client.post(PAGE, {"name": "", "password": PASSWORD})
        wrong = client.post(PAGE, {"name": "Okta", "password": "wrong"})
        assert wrong.context["form"].errors == {
            "__all__": ["Too many attempts. Wait a minute and try again."]
        }
        assert "not your current password" not in wrong.content.decode()
        refused = _api(client, name="Okta", password=PASSWORD)
        assert refused.status_code == 429 and refused["Retry-After"] == "60"
        assert not ScimToken.objects.exists()
