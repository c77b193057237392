"""One login for the whole site: the Django admin goes through allauth (two-factor stage and throttle)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.factories_accounts import verified_user

pytestmark = pytest.mark.django_db
WRONG = "not the password at all"
ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def _frozen_clock():
    # TOTP codes and the login throttle both read the clock.
    with time_machine.travel(dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def site_admin():
    user = verified_user("admin@example.org")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def totp_secret(site_admin) -> str:
    secret = generate_totp_secret()
    TOTP.activate(site_admin, secret)
    return secret


def _is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _admin_login(client: Client, email: str, password: str):
    return client.post(f"{reverse('admin:login')}?next={ADMIN}", {"username": email, "password": password})


def _site_login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _target(response) -> tuple[str, str]:
    """(path, next) of a redirect."""
    url = urlsplit(response["Location"])
    return url.path, parse_qs(url.query)["next"][0]


def _can_use_the_admin(client: Client) -> bool:
    return client.get(ADMIN).status_code == 200


def test_it_sends_the_admin_login_page_to_the_one_login(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/accounts/user/"})
    assert response.status_code == 302
    assert _target(response) == (reverse("account_login"), "/admin/accounts/user/")


def test_it_never_logs_a_two_factor_admin_in_with_the_password_alone(client, site_admin, totp_secret):
    response = _admin_login(client, site_admin.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not _is_logged_in(client)
    assert not _can_use_the_admin(client)


def test_it_asks_a_two_factor_admin_for_the_code_before_the_admin(client, site_admin, totp_secret):
    response = _site_login(client, site_admin.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _can_use_the_admin(client)
    client.post(reverse("mfa_authenticate"), {"code": _code(totp_secret)})
    assert _can_use_the_admin(client)


def test_it_wants_the_second_factor_for_an_admin_session_obtained_any_other_way(
    client, site_admin, totp_secret
):
    client.force_login(site_admin)  # a session that never went through the two-factor stage
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))
    assert not _can_use_the_admin(client)
    client.post(f"{reverse('mfa_reauthenticate')}?next={ADMIN}", {"code": _code(totp_secret)})
    assert _can_use_the_admin(client)


def test_it_lets_an_admin_without_two_factor_in_after_the_one_login(client, site_admin):
    assert not _can_use_the_admin(client)
    _site_login(client, site_admin.email, PASSWORD)
    assert _can_use_the_admin(client)


def test_it_shares_the_throttle_between_the_admin_and_the_site_login(client, site_admin):
    for _ in range(12):
        _admin_login(client, site_admin.email, WRONG)
    _admin_login(client, site_admin.email, PASSWORD)
    assert not _is_logged_in(client)

    for _ in range(5):
        _site_login(client, site_admin.email, WRONG)
    # Locked out on one path, locked out on every path: the admin's form never checks a password.
    _admin_login(client, site_admin.email, PASSWORD)
    assert not _is_logged_in(client)
    response = _site_login(client, site_admin.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert not _is_logged_in(client)


def test_it_refuses_the_admin_to_a_signed_in_person_who_is_not_staff(owner_client):
    assert owner_client.get(reverse("admin:login")).status_code == 403
    response = owner_client.get(ADMIN, follow=True)
    assert response.status_code == 403  # no loop between the admin and the login page


def test_it_never_redirects_off_site_after_the_admin_login(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert _target(response) == (reverse("account_login"), ADMIN)


def test_the_api_offers_no_password_login_of_its_own(client):
    # The browsable API's login (rest_framework.urls) is not mounted; tokens are made from a session.
    assert client.get("/api/auth/login/").status_code == 404
    assert client.get("/api-auth/login/").status_code == 404
    response = client.post(
        reverse("v1:token-list"), {"name": "x", "username": "a@example.org", "password": PASSWORD}
    )
    assert response.status_code in (401, 403)
