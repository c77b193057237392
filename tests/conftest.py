"""Shared fixtures: the people every view is tested from (owner, outsider, organiser, anonymous)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, ProfileFactory, UserFactory

# The browser fixtures are defined once, here, for every folder: a session-scoped Playwright imported into
# several conftests would start several Playwright loops in one process, which Playwright refuses.
from tests.harness.browser import browser, browser_context, page, shot  # noqa: F401 - fixtures


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # The page fixture reads this to keep a screenshot and the HTML of a failing journey.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    user = UserFactory(email="owner@example.org", with_profile=False)
    ProfileFactory(user=user, display_name="Olivia Owner")
    return user


@pytest.fixture
def outsider(db):
    user = UserFactory(email="outsider@example.org", with_profile=False)
    ProfileFactory(user=user, display_name="Oscar Outsider")
    return user


@pytest.fixture
def organiser(db):
    user = UserFactory(email="organiser@example.org", is_organiser=True, with_profile=False)
    ProfileFactory(user=user, display_name="Orla Organiser")
    return user


@pytest.fixture
def anonymous_client():
    return Client()


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner):
    return _client_for(owner)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def organiser_client(organiser):
    return _client_for(organiser)


@pytest.fixture
def password():
    return PASSWORD
