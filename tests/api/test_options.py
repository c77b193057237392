"""OPTIONS on every API path, with a valid token: a description of the view, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_access_token


def _api_paths(patterns, prefix: str = "") -> list[str]:
    paths = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            paths += _api_paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            paths.append(route)
    return paths


def _concrete(route: str) -> str:
    # Ids that do not exist: DRF's default metadata crashed before any lookup mattered.
    for converter, value in (("<int:", "1"), ("<slug:", "x"), ("<str:", "x"), ("<uuid:", "0" * 32)):
        while converter in route:
            start = route.index(converter)
            route = route[:start] + value + route[route.index(">", start) + 1 :]
    return "/" + route


API_PATHS = sorted({_concrete(route) for route in _api_paths(get_resolver().url_patterns)})


def test_it_finds_the_api_paths():
    assert "/api/v1/goals/1/" in API_PATHS and "/api/v1/sessions/1/agenda/" in API_PATHS
    assert len(API_PATHS) > 80


@pytest.fixture
def token_client(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


@pytest.mark.parametrize("path", API_PATHS)
def test_it_describes_every_view_on_options(token_client, path):
    response = token_client.options(path)
    assert response.status_code < 500
    if response.status_code == 200:
        body = response.json()
        assert body["name"] and body["schema"].endswith("/api/schema/")
        assert "OPTIONS" in response["Allow"]
