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

import gc
import os

import pytest
import time_machine
from django.test import Client, TransactionTestCase
from django.urls import reverse

from tests.factories import PASSWORD, ProfileFactory, UserFactory, make_owner, person_named
from tests.harness import database

# The browser fixtures are defined once, here, for every folder: a session-scoped Playwright imported into
# several conftests would start several Playwright loops in one process, which Playwright refuses.
from tests.harness.browser import (  # noqa: F401 - fixtures
    browser,
    browser_context,
    full_browser_page,
    page,
    playwright_driver,
    policy_problems,
    shot,
)
from tests.harness.clock import CLOCK_ENV, clock_instant


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get(CLOCK_ENV, ""),
        help=f"start every test at this ISO 8601 instant, e.g. 2026-12-06T23:30:00Z (also ${CLOCK_ENV})",
    )


def pytest_configure(config):
    clock_instant(config)  # a malformed instant stops the run before any test
    from django.conf import settings

    # One delivery per commit, at once, as the tests expect; gathering is tested in tests/outbox/test_gather.py.
    settings.OUTBOX_GATHER_SECONDS = 0
    # A report reflects the roll-ups at once; the lag is tested in tests/insights/test_report_cache.py.
    settings.INSIGHTS_LAG_SECONDS = 0


def pytest_report_header(config):
    instant = clock_instant(config)
    return [f"clock: every test starts at {instant.isoformat()}"] if instant else []


def _empty_and_reseed(self) -> None:
    """TransactionTestCase's teardown for every test that commits (``transaction=True``,
    ``transactional_db``, ``live_server``): empty what it wrote and put the seeded rows back, instead of
    Django's flush of every table (tests/harness/database.py, ``empty_and_reseed``)."""
    for alias in self._databases_names(include_mirrors=False):
        database.empty_and_reseed(alias)


TransactionTestCase._fixture_teardown = _empty_and_reseed


# Tests that take seconds each (a browser, a live server, a subprocess) start first, so the run does not
# end with one process finishing a long journey while the others idle. Their order among themselves and
# everyone else's stays random (pytest-randomly shuffles first; this only moves the long ones forward).
LONG_MARKERS = ("browser", "live")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in LONG_MARKERS))


def pytest_collection_finish(session):
    # What is loaded by now (Django, the project, every test module and collected test) lives until the
    # process ends; frozen, the garbage collector stops walking it on each full collection, five of which
    # pytest also runs at exit: measured, 3.6-4.3 s of garbage collection in a process that ran 692 tests
    # became 2.8-3.3 s.
    gc.freeze()


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Replaces pytest-django's: one migration into a cached template, a clone per worker
    (tests/harness/database.py). ``--reuse-db`` keeps the clone after the run; ``--create-db`` rebuilds
    the template; ``--no-migrations`` is not supported (the seeded rows come from migrations)."""
    from pytest_django.fixtures import _get_databases_for_setup

    if request.config.getvalue("nomigrations"):
        raise pytest.UsageError("--no-migrations: the test databases are cloned from a migrated template")
    aliases, _ = _get_databases_for_setup(request.session.items)
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    verbosity = request.config.option.verbose
    clones = []
    with django_db_blocker.unblock():
        for alias in sorted(aliases):
            old_name, _ = database.setup_from_template(
                alias=alias, worker=worker, rebuild=request.config.getvalue("create_db"), verbosity=verbosity
            )
            clones.append((alias, old_name))
    yield
    with django_db_blocker.unblock():
        for alias, old_name in clones:
            database.teardown_clone(alias=alias, old_name=old_name, keep=request.config.getvalue("reuse_db"))


@pytest.fixture(autouse=True)
def _test_clock_travel(request):
    instant = clock_instant(request.config)
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
    return make_owner()


@pytest.fixture
def outsider(db):
    return person_named("outsider@example.org", "Oscar Outsider")


@pytest.fixture
def organiser(db):
    user = UserFactory(email="organiser@example.org", is_organiser=True, with_profile=False)
    ProfileFactory(user=user, display_name="Orla Organiser")
    return user


@pytest.fixture
def site_admin(db):
    """A superuser: the one role that sets up company login and SCIM (``User.is_site_admin``)."""
    user = UserFactory(
        email="admin@example.org", is_organiser=True, is_staff=True, is_superuser=True, with_profile=False
    )
    ProfileFactory(user=user, display_name="Ada Admin")
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
def site_admin_client(site_admin):
    """A site administrator who has just confirmed the password (allauth's reauthentication), as changing
    company login and SCIM tokens asks; ``sso/test_reauthentication.py`` tests a session that did not."""
    client = _client_for(site_admin)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, "the reauthentication was refused"
    return client


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block's on-commit callbacks, as a real commit would (an enqueued task
    lands in the queue, where ``tests.harness.tasks.run_pending_tasks`` runs it)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
