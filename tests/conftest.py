"""Shared fixtures: the people every view is tested from (owner, outsider, organiser, anonymous).

Hunting clock dependence: ``--clock=2026-12-06T23:30:00Z`` (or ``OTH_TEST_CLOCK=2026-12-06T23:30:00Z`` in the
environment) starts every test at that instant with time-machine, the clock ticking on from there
(``tick=True``), so a test that only passes at some hours of the day fails every time. A test that travels
itself still wins (time-machine nests). Useful instants: 23:30 UTC (another date in Europe and in the
Americas), and the daylight-saving changes in Europe, 2027-03-28T00:30:00Z and 2027-10-31T00:30:00Z.
pytest-randomly shuffles the order of every run; the seed is printed in the header, ``--randomly-seed=<n>``
replays an order and ``-p no:randomly`` turns shuffling off::

    OTH_TEST_CLOCK=2027-10-31T00:30:00Z .venv/bin/python -m pytest -q tests
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.core.management import call_command
from django.db import connections
from django.test import Client
from pytest_django.plugin import blocking_manager_key

from tests.factories import PASSWORD, ProfileFactory, UserFactory

# The browser fixtures are defined once, here, for every folder: a session-scoped Playwright imported into
# several conftests would start several Playwright loops in one process, which Playwright refuses.
from tests.harness.browser import (  # noqa: F401 - fixtures
    browser,
    browser_context,
    page,
    policy_problems,
    shot,
)

CLOCK_ENV = "OTH_TEST_CLOCK"


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get(CLOCK_ENV, ""),
        help=f"start every test at this ISO 8601 instant, e.g. 2026-12-06T23:30:00Z (also ${CLOCK_ENV})",
    )


def _test_clock(config) -> dt.datetime | None:
    value = config.getoption("--clock")
    if not value:
        return None
    instant = dt.datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--clock / {CLOCK_ENV} needs an offset, e.g. {value}Z")
    return instant


def pytest_configure(config):
    _test_clock(config)  # a malformed instant stops the run before any test


def pytest_report_header(config):
    instant = _test_clock(config)
    return [f"clock: every test starts at {instant.isoformat()}"] if instant else []


def _truncates_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(marker is not None and marker.kwargs.get("transaction")) or bool(
        fixtures & {"transactional_db", "live_server"}
    )


def pytest_collection_modifyitems(items):
    """A test that truncates the database (``transaction=True``, ``transactional_db``, ``live_server``)
    puts back what the migrations seeded (the languages, …) as it ends. pytest-django runs such tests
    last, which hid it; in random order the tests after one of them failed for want of a language.
    Django's ``serialized_rollback`` keeps a copy of the seeded rows, but only reloads it when the next
    such test starts, so the copy is reloaded here after the flush too."""
    for item in items:
        if _truncates_database(item):
            marker = item.get_closest_marker("django_db")
            kwargs = marker.kwargs if marker is not None else {}
            # Prepended: the closest marker wins, and a test's own decorator would come before an appended one.
            item.add_marker(
                pytest.mark.django_db(**{**kwargs, "transaction": True, "serialized_rollback": True}),
                append=False,
            )


# What the migrations seeded, as Django serialized it when it created the test database. Kept here
# because the connection that holds Django's own copy is not always the one a later test sees (Playwright's
# sync API runs the browser journeys in a greenlet, with its own context and so its own connections).
_SEEDED: dict[str, str] = {}


@pytest.fixture(scope="session", autouse=True)
def _seeded_rows(django_db_setup, django_db_blocker):
    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            _SEEDED[connection.alias] = contents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After every fixture of the test is torn down (the database flush included, whatever order the
    # fixtures were set up in), put the seeded rows back — unless the session is ending, when the
    # test database is already gone.
    result = yield
    if nextitem is not None and _truncates_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            for alias, contents in _SEEDED.items():
                # Empty again first: a flush that was not told about the copy re-creates content types and
                # permissions with new ids, which the copy's rows would collide with.
                call_command(
                    "flush", database=alias, interactive=False, verbosity=0, inhibit_post_migrate=True
                )
                connections[alias].creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture(autouse=True)
def _test_clock_travel(request):
    instant = _test_clock(request.config)
    if instant is None:
        yield
        return
    with time_machine.travel(instant, tick=True):
        yield


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
