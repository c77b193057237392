"""The dashboard reuses a computed report only while the roll-ups it came from are unchanged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openhelp.help.mentoring.lifecycle import cancel_session
from openhelp.organisers.insights import figures, rollup
from openhelp.organisers.insights.cache import cached_report
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
