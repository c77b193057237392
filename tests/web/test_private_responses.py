"""No shared cache, and no browser's disk, keeps what a signed-in person was shown: every answer to a session
or a token says ``Cache-Control: private, no-store`` unless its view chose its own caching. Before, private
pages and API answers carried no caching rule at all (found in the security review; docs/security.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from openhelp.platform.core.middleware import PrivateResponsesMiddleware
from tests.factories import make_access_token
from tests.factories_mentoring import SessionFactory

pytestmark = pytest.mark.django_db
PRIVATE = PrivateResponsesMiddleware.VALUE


def _addresses_without_arguments() -> list[str]:
    """Every GET address of the site that takes no argument (pages, downloads, API lists, HTMX parts)."""
    found: list[str] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, prefix + route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                found.append("/" + (prefix + route).replace("^", "").replace("$", ""))

    walk(get_resolver(), "")
    return sorted({a for a in found if "logout" not in a and not a.startswith("/admin/")})


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get("Cache-Control", "")


def test_every_address_answers_a_signed_in_person_with_private_no_store(owner_client):
    leaky = []
    for address in _addresses_without_arguments():
        response = owner_client.get(address)
        if response.status_code < 500 and not _no_store(response):
            leaky.append(f"{address} ({response.status_code}): {response.get('Cache-Control')!r}")
    assert leaky == []


def test_a_session_page_its_htmx_part_and_the_api_are_private(owner, owner_client):
    session = SessionFactory(mentee=owner)
    page = owner_client.get(f"/sessions/{session.pk}/")
    part = owner_client.get(f"/sessions/{session.pk}/", headers={"HX-Request": "true"})
    api = Client(headers={"Authorization": f"Bearer {make_access_token(owner)[1]}"})
    for response in (page, part, api.get(f"/api/v1/sessions/{session.pk}/"), api.get("/api/v1/me/")):
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE


def test_a_token_that_does_not_work_is_answered_privately_too():
    response = Client(headers={"Authorization": "Bearer not-a-token"}).get("/api/v1/me/")
    assert response.status_code == 401 and response["Cache-Control"] == PRIVATE


def test_a_view_that_chose_its_own_caching_keeps_it(owner_client, owner):
    owner_client.get("/office-hours/calendar/")  # makes the personal calendar
    calendar = owner.personal_calendar
    feed = Client().get(f"/office-hours/calendar/{calendar.feed_key}/{calendar.feed_secret}.ics")
    assert feed.status_code == 200 and feed["Cache-Control"] == "private, max-age=300"


def test_an_anonymous_public_answer_is_left_alone(anonymous_client):
    assert "Cache-Control" not in anonymous_client.get("/api/schema/")
