"""The provider page's "Check the set-up" over the REST API: the same checks as JSON, site administrators
only."""

from __future__ import annotations

import socket

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape

from openhelp.integrations.sso.models import Status
from tests.factories import make_access_token
from tests.factories_sso import oidc_provider
from tests.sso import fake_oidc

pytestmark = pytest.mark.django_db


def _check(pk: int) -> str:
    return reverse("api:sso-provider-check", kwargs={"pk": pk})


@pytest.fixture
def idp():
    fake, server = fake_oidc.serve()
    with override_settings(OUTBOUND_ALLOWED_HOSTS=[f"127.0.0.1:{server.server_port}"]):
        yield fake
    server.shutdown()


def test_a_site_admin_gets_the_pages_results_as_json(site_admin, site_admin_client, idp, settings):
    settings.SITE_URL = "https://help.acme.test"
    provider = oidc_provider(discovery_url=idp.base_url)
    api = Client(headers={"Authorization": f"Bearer {make_access_token(site_admin)[1]}"})
    response = api.post(_check(provider.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is True
    assert [result["ok"] for result in body["results"]] == [True, True, True, True]
    messages = [result["message"] for result in body["results"]]
    assert f"Discovery document read; issuer {idp.base_url}." in messages
    assert "1 signing key(s) published." in messages
    assert body["service_provider"] == {
        "redirect_uri": "https://help.acme.test/accounts/oidc/acme-oidc/login/callback/"
    }
    page = site_admin_client.post(reverse("sso:provider-check", kwargs={"pk": provider.pk})).content.decode()
    assert all(escape(message) in page for message in messages), "the page says the same"


def test_a_problem_is_a_result_not_an_error(site_admin_client):
    provider = oidc_provider(discovery_url="", client_secret="", domains=(), status=Status.DRAFT)
    response = site_admin_client.post(_check(provider.pk))
    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert response.json()["results"] == [
        {"ok": False, "message": "No e-mail domain routes to this provider yet."},
        {"ok": False, "message": "No discovery URL yet."},
    ]


def test_an_unreachable_idp_is_reported(site_admin_client):
    provider = oidc_provider(discovery_url="http://127.0.0.1:9/")  # not an allowed outbound host
    [domains, discovery] = site_admin_client.post(_check(provider.pk)).json()["results"]
    assert domains["ok"] and not discovery["ok"]
    assert discovery["message"].startswith("The discovery document could not be read")


@pytest.mark.parametrize("who", ["owner_client", "outsider_client", "organiser_client"])
def test_people_who_are_not_site_admins_get_404(request, who):
    provider = oidc_provider(discovery_url="https://idp.example/")
    response = request.getfixturevalue(who).post(_check(provider.pk))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_no_such_provider_is_404(site_admin_client):
    assert site_admin_client.post(_check(99_999)).status_code == 404


def test_anonymous_gets_401():
    provider = oidc_provider(discovery_url="https://idp.example/")
    response = Client().post(_check(provider.pk))
    assert response.status_code == 401 and "WWW-Authenticate" in response


def test_an_idp_whose_name_does_not_resolve_is_said_in_plain_words(site_admin_client, monkeypatch):
    """Not urllib3's chain of exceptions: the host and what is wrong with it."""

    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    provider = oidc_provider(discovery_url="https://login.exmaple.org/realms/acme")
    [_domains, discovery] = site_admin_client.post(_check(provider.pk)).json()["results"]
    assert discovery == {
        "ok": False,
        "message": "The discovery document could not be read: login.exmaple.org could not be found: no such "
        "name in DNS (check the spelling).",
    }


def test_an_internal_idp_names_the_allow_list(site_admin_client):
    provider = oidc_provider(discovery_url="http://127.0.0.1:9/")
    [_domains, discovery] = site_admin_client.post(_check(provider.pk)).json()["results"]
    assert discovery["message"] == (
        "The discovery document could not be read: 127.0.0.1 resolves to 127.0.0.1, which is not a public "
        "address. An administrator can allow an internal host with OUTBOUND_ALLOWED_HOSTS."
    )
