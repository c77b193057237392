"""Health: the last success and failure per provider; site administrators told when logins keep failing
or the SAML signing certificate expires within 30 days (once per certificate, once per streak)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openhelp.integrations.sso import services
from openhelp.platform.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories_sso import oidc_provider, saml_provider
from tests.sso.saml_idp import SamlIdp

pytestmark = pytest.mark.django_db


def _attention(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, event="sso.attention").values_list("title", flat=True)
    )


def test_site_admins_are_told_once_when_logins_keep_failing(site_admin, organiser, owner):
    staff = UserFactory(is_staff=True)
    provider = oidc_provider(discovery_url="https://idp.example/")
    for attempt in range(5):
        services.record_login_failure(provider=provider, reason=f"Invalid id_token {attempt}")
    assert _attention(site_admin) == ["Company login with Acme is failing"]
    # Only site administrators can open the provider's page, so only they are told.
    assert _attention(organiser) == _attention(staff) == _attention(owner) == []
    services.record_login_success(provider=provider)
    provider.refresh_from_db()
    assert provider.failures_in_a_row == 0 and provider.last_failure_reason == "Invalid id_token 4"


def test_two_failures_are_not_yet_a_problem(site_admin):
    provider = oidc_provider(discovery_url="https://idp.example/")
    services.record_login_failure(provider=provider, reason="x")
    services.record_login_failure(provider=provider, reason="x")
    assert _attention(site_admin) == []


def test_a_certificate_near_expiry_is_announced_once(site_admin, saml_idp):
    provider = saml_provider(metadata_xml=saml_idp.metadata_xml())
    expires = provider.cert_expires_at
    with time_machine.travel(expires - dt.timedelta(days=31)):
        assert services.check_health() == []
    with time_machine.travel(expires - dt.timedelta(days=29, hours=1)):
        assert services.check_health() == [provider.pk]
        services.check_health()
    assert _attention(site_admin) == ["The Acme SAML signing certificate expires in 29 days"]


def test_a_short_lived_certificate_shows_on_the_provider(saml_idp):
    idp = SamlIdp("http://idp.short.test")
    provider = saml_provider(metadata_xml=idp.metadata_xml())
    assert provider.cert_expires_at is not None
    assert provider.cert_expires_at - dt.datetime.now(dt.UTC) < dt.timedelta(days=366)
