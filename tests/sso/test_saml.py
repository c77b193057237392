"""SAML 2.0 through allauth against a pysaml2 IdP that signs with SHA-256: the good response logs in;
tampered, wrong audience, expired and replayed responses are refused."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from openhelp.integrations.sso.models import IdentityProvider
from tests.factories_sso import saml_provider
from tests.sso.conftest import (
    ALICE,
    logged_in_user_id,
    post_saml_response,
    saml_request_from,
    start_company_login,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(saml_idp):
    return saml_provider(metadata_xml=saml_idp.metadata_xml(), jit_allowed=True)


def _login(client, saml_idp, *, uid=ALICE, tamper=None, audience=None):
    saml_request = saml_request_from(start_company_login(client, "alice@acme.test"))
    saml_response, acs_url = saml_idp.respond(saml_request, uid=uid, audience=audience)
    if tamper is not None:
        xml = base64.b64decode(saml_response).decode()
        saml_response = base64.b64encode(tamper(xml).encode()).decode()
    return post_saml_response(client, saml_response, acs_url), saml_response, acs_url


def test_it_logs_in_and_creates_the_account_keyed_by_the_name_id(client, saml_idp, provider):
    response, _, _ = _login(client, saml_idp)
    assert response.status_code == 302, response.content[:1000]
    account = SocialAccount.objects.get(uid=ALICE)
    assert str(account.user_id) == logged_in_user_id(client)
    assert account.user.email == "alice@acme.test"
    assert account.user.profile.display_name == "Alice Archer"
    assert account.user.profile.team.name == "Platform"
    assert account.user.profile.timezone == "Europe/Lisbon"
    provider.refresh_from_db()
    assert provider.last_success_at is not None and provider.failures_in_a_row == 0


def test_it_refuses_a_tampered_assertion(client, saml_idp, provider):
    response, _, _ = _login(
        client, saml_idp, tamper=lambda xml: xml.replace("alice@acme.test", "mallory@acme.test")
    )
    assert logged_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    provider.refresh_from_db()
    assert provider.failures_in_a_row == 1 and "ignature" in provider.last_failure_reason


def test_it_refuses_an_assertion_for_another_audience(client, saml_idp, provider):
    saml_idp.trust_sp(entity_id="https://other.example/sp", acs_url="https://other.example/acs")
    _login(client, saml_idp, audience="https://other.example/sp")
    assert logged_in_user_id(client) is None
    provider.refresh_from_db()
    assert "udience" in provider.last_failure_reason


def test_it_refuses_an_expired_response(client, saml_idp, provider):
    saml_request = saml_request_from(start_company_login(client, "alice@acme.test"))
    saml_response, acs_url = saml_idp.respond(saml_request, uid=ALICE)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)):
        post_saml_response(client, saml_response, acs_url)
    assert logged_in_user_id(client) is None
    assert IdentityProvider.objects.get(pk=provider.pk).failures_in_a_row == 1


def test_it_refuses_a_replayed_response(client, saml_idp, provider):
    response, saml_response, acs_url = _login(client, saml_idp)
    assert logged_in_user_id(client) is not None
    client.logout()
    post_saml_response(client, saml_response, acs_url)
    assert logged_in_user_id(client) is None
    stranger = Client(HTTP_HOST="localhost")
    post_saml_response(stranger, saml_response, acs_url)
    assert logged_in_user_id(stranger) is None
