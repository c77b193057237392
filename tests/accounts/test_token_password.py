"""Creating a personal access token takes the person's current password, on the page and over the API: a
signed-in session alone (left open, stolen) must not turn itself into lasting access. The checks and limits
are the ones deleting the account has (``accounts.services.check_current_password``), counted together."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openhelp.platform.accounts.models import AccessToken
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
API = "/api/v1/tokens/"
PINNED = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)  # the hour's window, whatever the clock says


def _page(client: Client, **data):
    return client.post(reverse("accounts:tokens"), data)


def _api(client: Client, **data):
    return client.post(API, data, content_type="application/json")


def test_the_page_asks_for_the_password_after_the_name(owner_client):
    html = owner_client.get(reverse("accounts:tokens")).content.decode()
    name, password = html.index('name="name"'), html.index('name="password"')
    assert name < password, "the name first, then the password"
    field = re.search(r"<input[^>]*name=\"password\"[^>]*>", html).group(0)
    assert 'type="password"' in field and 'autocomplete="current-password"' in field
    assert '<label for="id_password">Your password</label>' in html


@pytest.mark.parametrize(
    ("password", "message"),
    [(None, "This field is required."), ("wrong", "That is not your current password.")],
)
def test_the_page_creates_nothing_without_the_right_password(owner, owner_client, password, message):
    data = {"name": "calendar sync"} | ({"password": password} if password is not None else {})
    response = _page(owner_client, **data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"password": [message]}
    html = response.content.decode()
    assert 'value="calendar sync"' in html, "the typed name is kept"
    if password:
        assert f'value="{password}"' not in html, "the password is never shown again"
    assert not AccessToken.objects.filter(user=owner).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "ci"}, "required"),
        ({"name": "ci", "password": "wrong"}, "That is not your current password."),
    ],
)
def test_the_api_creates_nothing_without_the_right_password(owner, owner_client, body, message):
    response = _api(owner_client, **body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and message in " ".join(error["fields"]["password"])
    assert set(error["fields"]) == {"password"}
    assert "wrong" not in response.content.decode()
    assert not AccessToken.objects.filter(user=owner).exists()


def test_the_api_takes_the_password_as_typed_and_never_answers_with_it(owner, owner_client):
    padded = _api(owner_client, name="ci", password=f" {PASSWORD} ")
    assert padded.status_code == 400, "spaces are part of a password, not trimmed away"
    created = _api(owner_client, name="ci", password=PASSWORD)
    assert created.status_code == 201
    assert "password" not in created.json() and PASSWORD not in created.content.decode()
    key = created.json()["key"]
    assert (
        Client().get("/api/v1/notifications/", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    )


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_five_wrong_passwords_in_an_hour_refuse_even_the_right_one_on_the_page_and_the_api(owner):
    with time_machine.travel(PINNED, tick=False) as traveller:
        page = _signed_in(owner)  # signed in at the pinned time, so the session is not expired there
        for _ in range(3):
            _page(page, name="guess", password="guess")
        for _ in range(2):
            assert _api(page, name="guess", password="guess").status_code == 400
        refused = _api(page, name="ci", password=PASSWORD)
        assert refused.status_code == 429 and refused["Retry-After"] == "3600"
        assert "Too many wrong passwords" in refused.json()["error"]["message"]
        shown = _page(page, name="ci", password=PASSWORD)
        assert shown.context["form"].errors == {
            "password": ["Too many wrong passwords. Try again in an hour."]
        }
        assert 'value="ci"' in shown.content.decode()
        assert not AccessToken.objects.filter(user=owner).exists()
        traveller.shift(dt.timedelta(hours=1, seconds=1))
        assert _api(page, name="ci", password=PASSWORD).status_code == 201


def test_past_ten_attempts_a_minute_the_password_is_not_even_checked(owner):
    with time_machine.travel(PINNED, tick=False):
        owner_client = _signed_in(owner)
        for _ in range(10):  # the right password, no name: only allauth's limit counts these
            _page(owner_client, name="", password=PASSWORD)
        wrong = _page(owner_client, name="ci", password="wrong")
        assert wrong.context["form"].errors == {
            "__all__": ["Too many attempts. Wait a minute and try again."]
        }
        assert "not your current password" not in wrong.content.decode(), "no way to tell right from wrong"
        assert 'value="ci"' in wrong.content.decode()
        refused = _api(owner_client, name="ci", password=PASSWORD)
        assert refused.status_code == 429 and refused["Retry-After"] == "60"
        assert not AccessToken.objects.filter(user=owner).exists()


# --- Accounts without a password (made by the company login or provisioning) ------------------------------


def _company_login_client(user, *, signed_in_at: float | None) -> Client:
    """A session as the company login leaves it: allauth records how and when the session signed in."""
    client = Client()
    client.force_login(user)
    if signed_in_at is not None:
        session = client.session
        session["account_authentication_methods_user"] = str(user.pk)
        session["account_authentication_methods"] = [
            {"method": "socialaccount", "provider": "oidc", "at": signed_in_at}
        ]
        session.save()
    return client


@pytest.fixture
def sso_person(owner):
    owner.set_unusable_password()
    owner.save(update_fields=["password"])
    return owner


@time_machine.travel(PINNED, tick=False)
def test_someone_without_a_password_confirms_with_a_recent_sign_in_on_the_page(sso_person):
    just_now = PINNED.timestamp() - 60
    client = _company_login_client(sso_person, signed_in_at=just_now)
    assert 'name="password"' not in client.get(reverse("accounts:tokens")).content.decode()

    response = _page(client, name="calendar sync")

    assert response.status_code == 302
    assert AccessToken.objects.filter(user=sso_person, name="calendar sync").exists()


@pytest.mark.parametrize("signed_in_at", [None, PINNED.timestamp() - 301], ids=["no-record", "too-old"])
@time_machine.travel(PINNED, tick=False)
def test_someone_without_a_password_and_no_recent_sign_in_is_told_to_sign_in_again(sso_person, signed_in_at):
    client = _company_login_client(sso_person, signed_in_at=signed_in_at)

    page = _page(client, name="calendar sync")
    api = _api(client, name="ci")

    assert page.status_code == 200
    assert "sign out, sign in again" in page.context["form"].non_field_errors()[0]
    assert 'value="calendar sync"' in page.content.decode(), "the typed name is kept"
    assert api.status_code == 403
    assert "sign in again" in api.json()["error"]["message"]
    assert not AccessToken.objects.filter(user=sso_person).exists()


@time_machine.travel(PINNED, tick=False)
def test_someone_without_a_password_creates_a_token_over_the_api_after_signing_in(sso_person):
    client = _company_login_client(sso_person, signed_in_at=PINNED.timestamp() - 10)

    response = _api(client, name="ci")

    assert response.status_code == 201, response.json()
    assert AccessToken.objects.filter(user=sso_person, name="ci").exists()


def test_the_pages_say_up_front_how_someone_without_a_password_confirms(sso_person):
    client = _company_login_client(sso_person, signed_in_at=None)
    for page in (reverse("accounts:tokens"), reverse("accounts:delete")):
        html = client.get(page).content.decode()
        assert "a sign-in in the last five minutes confirms this" in html, page
        assert 'name="password"' not in html, page
