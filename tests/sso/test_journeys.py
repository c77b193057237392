"""Company login in real Chromium, end to end: the login page's "Continue with your company account",
the IdP's own pages, back to Open to Help logged in with a new account (just-in-time).

The pages come from ``browser_context`` rather than the ``page`` fixture: that fixture requires our
security headers on every document, and the IdPs' login pages are not ours.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from tests.factories_sso import oidc_provider, saml_provider
from tests.sso.conftest import ALICE, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _continue_with_company_account(page, email: str) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("Work e-mail").fill(email)
    page.get_by_role("button", name="Continue with your company account").click()


def test_it_logs_in_through_a_real_openid_connect_provider(
    browser_context, live_server, oidc_idp, shot, settings
):
    settings.OUTBOUND_ALLOWED_HOSTS = [urlsplit(oidc_idp).netloc]  # an IdP on loopback, allowed by its host
    oidc_provider(
        discovery_url=oidc_idp, client_id=OIDC_CLIENT_ID, client_secret=OIDC_CLIENT_SECRET, jit_allowed=True
    )
    page = browser_context.new_page()
    _continue_with_company_account(page, "carol@acme.test")
    page.locator("input[name=login]").fill("oidc-carol")
    page.locator("input[name=password]").fill("anything")
    shot(page, "idp-login")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/**")
    page.wait_for_load_state()
    shot(page, "logged-in")
    account = SocialAccount.objects.select_related("user__profile__team").get(uid="oidc-carol")
    assert account.user.email == "carol@acme.test"
    assert account.user.profile.team.name == "Design"
    assert account.user.profile.timezone == "America/Toronto"
    assert page.get_by_role("heading", name="Today").is_visible()
    assert page.get_by_text("Carol Chen").first.is_visible()


def test_it_logs_in_through_a_real_saml_idp(browser_context, live_server, saml_idp_server, shot):
    saml_provider(metadata_xml=saml_idp_server.metadata_xml(), jit_allowed=True)
    page = browser_context.new_page()
    _continue_with_company_account(page, "alice@acme.test")
    shot(page, "idp")
    page.get_by_role("button", name="Log in as alice@acme.test").click()
    page.get_by_role("button", name="Continue to the application").click()
    page.wait_for_url(live_server.url + "/**")
    page.wait_for_load_state()
    shot(page, "logged-in")
    account = SocialAccount.objects.get(uid=ALICE)
    assert account.user.email == "alice@acme.test"
    assert page.get_by_role("heading", name="Today").is_visible()
