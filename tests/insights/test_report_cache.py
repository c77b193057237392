"""The dashboard reuses a computed report only while the roll-ups it came from are unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openhelp.directory.people.models import Profile
from openhelp.help.mentoring.lifecycle import cancel_session
from openhelp.organisers.insights import figures, rollup
from openhelp.organisers.insights.cache import cache_seconds, cached_report
from openhelp.organisers.insights.figures import Filters
from openhelp.organisers.insights.models import RollupVersion
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cached_report_is_reused_until_the_rollups_change(org):
    run_pending_tasks()
    filters = Filters.default()
    first = cached_report(filters)
    with CaptureQueriesContext(connection) as reused:
        again = cached_report(filters)
    assert again == first
    assert len(reused) == 1, "only the roll-up version is read"

    version = RollupVersion.objects.get().version
    cancel_session(session=org["sessions"]["s7"])
    run_pending_tasks()  # the outbox delivery's refresh bumps the version in its transaction
    assert RollupVersion.objects.get().version > version
    fresh = {k: v for k, v in cached_report(filters).items() if k != "computed_at"}
    assert fresh == figures.report(filters), "recomputed from the new roll-ups"
    assert fresh != {k: v for k, v in first.items() if k != "computed_at"}, "the cancellation shows"
    rollup.rebuild()
    assert {k: v for k, v in cached_report(filters).items() if k != "computed_at"} == fresh


def test_no_cache_when_switched_off(org, settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    run_pending_tasks()
    filters = Filters.default()
    cached_report(filters)
    with CaptureQueriesContext(connection) as computed:
        cached_report(filters)
    assert len(computed) > 5


def _django_experts(report: dict) -> int:
    return next(row["experts"] for row in report["skills"] if row["skill"] == "Django")


def test_experts_open_to_help_are_remembered_while_the_rollups_change(org, clock):
    """What changes on every view of a busy organisation is the roll-up version; the experts open to help
    per skill (a read of every open person's offers) are read again only once ``cache_seconds()`` pass,
    and the report says when they were read."""
    run_pending_tasks()
    filters = Filters.default()
    first = cached_report(filters)
    assert _django_experts(first) == 2
    Profile.objects.filter(display_name="Mia").update(open_to_help=False)
    assert _django_experts(figures.report(filters)) == 1, "the live figure changed"

    clock.shift(dt.timedelta(seconds=cache_seconds() - 10))
    cancel_session(session=org["sessions"]["s7"])
    run_pending_tasks()  # a new roll-up version: the report is computed again
    again = cached_report(filters)
    assert again["speed"] != first["speed"] or again["load"] != first["load"], "recomputed"
    assert _django_experts(again) == 2, "the experts were remembered"
    assert again["computed_at"] == first["computed_at"], "the report is as old as its oldest figure"

    clock.shift(dt.timedelta(seconds=20))  # the remembered experts are older than cache_seconds()
    later = cached_report(filters)
    assert _django_experts(later) == 1
    assert dt.datetime.fromisoformat(later["computed_at"]) > dt.datetime.fromisoformat(first["computed_at"])


def test_the_experts_are_read_on_every_report_when_the_cache_is_off(org, settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    run_pending_tasks()
    filters = Filters.default()
    assert _django_experts(cached_report(filters)) == 2
    Profile.objects.filter(display_name="Mia").update(open_to_help=False)
    assert _django_experts(cached_report(filters)) == 1


def test_a_report_once_read_is_shown_for_the_lag_whatever_the_rollups_do(org, clock, settings):
    settings.INSIGHTS_LAG_SECONDS = 30
    run_pending_tasks()
    filters = Filters.default()
    first = cached_report(filters)
    with CaptureQueriesContext(connection) as reused:
        assert cached_report(filters) == first
    assert len(reused) == 0, "not even the roll-up version is read"

    cancel_session(session=org["sessions"]["s7"])
    run_pending_tasks()  # the roll-ups move
    clock.shift(dt.timedelta(seconds=20))
    assert cached_report(filters) == first, "within the lag: the report as it was read"

    clock.shift(dt.timedelta(seconds=11))
    fresh = {k: v for k, v in cached_report(filters).items() if k != "computed_at"}
    assert fresh == figures.report(filters), "after the lag: from the new roll-ups"
    assert fresh != {k: v for k, v in first.items() if k != "computed_at"}
