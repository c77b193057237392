"""Who a company login lets in, and as whom: the subject is the key, accounts are linked only when the
IdP vouches for the address, just-in-time accounts only when allowed, password login off where SSO is
required."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.urls import reverse

from openhelp.integrations.sso.models import Status
from tests.factories import PASSWORD, TeamFactory, UserFactory
from tests.factories_accounts import verified_user
from tests.factories_sso import oidc_provider, saml_provider
from tests.sso import fake_oidc
from tests.sso.conftest import (
    BOB,
    logged_in_user_id,
    post_saml_response,
    saml_request_from,
    start_company_login,
)

pytestmark = pytest.mark.django_db
CLIENT_ID = "open-to-help"


@pytest.fixture(scope="module")
def fake():
    fake, server = fake_oidc.serve()
    yield fake
    server.shutdown()


@pytest.fixture(autouse=True)
def _the_test_idp_is_allowed(settings, fake):
    """It listens on loopback, which company login reaches only when an administrator allows the host."""
    settings.OUTBOUND_ALLOWED_HOSTS = [urlsplit(fake.base_url).netloc]


def _oidc_login(client, fake, claims: dict, *, email: str = "alice@acme.test"):
    fake.userinfo = claims
    fake.id_token = fake.sign(audience=CLIENT_ID, sub=claims["sub"])
    location = start_company_login(client, email)
    state = parse_qs(urlparse(location).query)["state"][0]
    url = reverse("openid_connect_callback", kwargs={"provider_id": "acme-oidc"})
    return client.get(url, {"code": "c", "state": state})


def _alice(**extra) -> dict:
    return {"sub": "sub-alice", "email": "alice@acme.test", "email_verified": True, "name": "Alice", **extra}


def test_the_subject_is_the_key_not_the_email(client, fake):
    oidc_provider(discovery_url=fake.base_url, jit_allowed=True)
    _oidc_login(client, fake, _alice())
    first = logged_in_user_id(client)
    client.logout()
    _oidc_login(client, fake, _alice(email="alice.archer@acme.test"))
    assert logged_in_user_id(client) == first
    assert SocialAccount.objects.count() == 1


def test_a_first_login_is_refused_without_just_in_time_accounts(client, fake):
    oidc_provider(discovery_url=fake.base_url, jit_allowed=False)
    response = _oidc_login(client, fake, _alice())
    assert response.status_code == 403
    assert "do not create one" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_just_in_time_accounts_are_only_for_the_providers_domains(client, saml_idp):
    saml_provider(metadata_xml=saml_idp.metadata_xml(), jit_allowed=True)
    saml_request = saml_request_from(start_company_login(client, "alice@acme.test"))
    saml_response, acs_url = saml_idp.respond(saml_request, uid=BOB)  # bob@elsewhere.test
    response = post_saml_response(client, saml_response, acs_url)
    assert response.status_code == 403
    assert logged_in_user_id(client) is None


def test_an_existing_account_is_linked_when_the_idp_verified_the_address(client, fake):
    oidc_provider(discovery_url=fake.base_url)
    person = verified_user("alice@acme.test")
    zone_before = person.profile.timezone
    manager = UserFactory(email="boss@acme.test")
    _oidc_login(client, fake, _alice(department="Data", manager_email="boss@acme.test", zoneinfo="Not/AZone"))
    assert logged_in_user_id(client) == str(person.pk)
    person.profile.refresh_from_db()
    assert person.profile.team.name == "Data"
    assert person.profile.manager == manager
    assert person.profile.timezone == zone_before  # an unknown zone is skipped, never an error


def test_an_existing_account_is_not_linked_when_the_address_is_not_verified(client, fake):
    oidc_provider(discovery_url=fake.base_url, jit_allowed=True)
    verified_user("alice@acme.test")
    response = _oidc_login(client, fake, _alice(email_verified=False))
    assert response.status_code == 403
    assert logged_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_an_existing_team_is_reused_case_insensitively(client, fake):
    oidc_provider(discovery_url=fake.base_url, jit_allowed=True)
    team = TeamFactory(name="Data", slug="data")
    _oidc_login(client, fake, _alice(department="data"))
    assert SocialAccount.objects.get().user.profile.team == team


def test_a_switched_off_provider_is_not_offered_nor_accepted(client, fake):
    provider = oidc_provider(discovery_url=fake.base_url, jit_allowed=True)
    fake.userinfo = _alice()
    fake.id_token = fake.sign(audience=CLIENT_ID, sub="sub-alice")
    location = start_company_login(client, "alice@acme.test")
    provider.status = Status.DISABLED
    provider.save()
    url = reverse("openid_connect_callback", kwargs={"provider_id": "acme-oidc"})
    response = client.get(url, {"code": "c", "state": parse_qs(urlparse(location).query)["state"][0]})
    assert response.status_code == 403 and logged_in_user_id(client) is None
    response = client.post(reverse("sso:company-login"), {"email": "alice@acme.test"})
    assert "No company login is set up for acme.test" in response.content.decode()


def test_an_unknown_domain_is_told_to_use_a_password(client):
    response = client.post(reverse("sso:company-login"), {"email": "someone@nowhere.test"})
    assert response.status_code == 200
    assert "No company login is set up for nowhere.test" in response.content.decode()


@pytest.mark.parametrize("sso_required", [True, False])
def test_sso_required_turns_password_login_off_for_its_domains(client, fake, sso_required):
    oidc_provider(discovery_url=fake.base_url, sso_required=sso_required)
    verified_user("alice@acme.test")
    response = client.post(reverse("account_login"), {"login": "alice@acme.test", "password": PASSWORD})
    if sso_required:
        assert response.status_code == 200
        assert "requires logging in with your company account (Acme)" in response.content.decode()
        assert logged_in_user_id(client) is None
    else:
        assert response.status_code == 302
        assert logged_in_user_id(client) is not None


def test_sso_required_refuses_a_password_reset(client, fake):
    oidc_provider(discovery_url=fake.base_url, sso_required=True)
    verified_user("alice@acme.test")
    response = client.post(reverse("account_reset_password"), {"email": "alice@acme.test"})
    assert response.status_code == 200
    assert "cannot be reset here" in response.content.decode()
    assert not mail.outbox


def test_other_domains_keep_password_login_when_sso_is_required(client, fake):
    oidc_provider(discovery_url=fake.base_url, sso_required=True)
    other = verified_user("pat@example.org")
    client.post(reverse("account_login"), {"login": "pat@example.org", "password": PASSWORD})
    assert logged_in_user_id(client) == str(other.pk)


def test_the_login_page_offers_the_company_login(client):
    response = client.get(reverse("account_login"))
    content = response.content.decode()
    assert "Continue with your company account" in content
    assert reverse("sso:company-login") in content
