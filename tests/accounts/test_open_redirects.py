"""``next`` on logging in and out goes only to a page of this site (probed from outside; allauth checks it
with Django's ``url_has_allowed_host_and_scheme``). The theme switch has its own test
(``web/test_style_page.py::test_it_redirects_only_to_a_page_of_this_site``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories_accounts import verified_user

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
]
PASSWORD = "a long and unusual passphrase"


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_logging_in_never_sends_the_person_elsewhere(next_url):
    verified_user(email="ada@example.org", password=PASSWORD)
    response = Client().post(
        reverse("account_login") + "?next=" + next_url,
        {"login": "ada@example.org", "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_logging_out_never_sends_the_person_elsewhere(owner_client, next_url):
    response = owner_client.post(reverse("account_logout"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_page_of_this_site_is_followed(owner_client):
    response = owner_client.post(reverse("account_logout"), {"next": "/library/"})
    assert response["Location"] == "/library/"
