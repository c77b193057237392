"""Gathered delivery: the commits of one ``OUTBOX_GATHER_SECONDS`` window queue one delivery, at its end."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django_tasks_db.models import DBTaskResult, get_date_max

from openhelp.platform.outbox.events import record
from openhelp.platform.outbox.models import ConsumerCursor, Event
from openhelp.platform.outbox.tasks import deliver_events_task
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def _commit_an_event() -> None:
    with transaction.atomic():
        record("member.added", programme=1, user=1)


def _deliveries() -> list[dt.datetime | None]:
    """When each queued delivery may run (None: at once)."""
    rows = DBTaskResult.objects.filter(task_path=deliver_events_task.module_path).order_by("run_after")
    return [None if row.run_after == get_date_max() else row.run_after for row in rows]


def test_the_commits_of_one_window_queue_one_delivery_at_its_end(settings):
    settings.OUTBOX_GATHER_SECONDS = 5
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            _commit_an_event()
            clock.shift(dt.timedelta(seconds=1))
        assert _deliveries() == [START + dt.timedelta(seconds=5)]

        clock.shift(dt.timedelta(seconds=3))  # 6 s in: the window is over, the next commit opens another
        _commit_an_event()
        assert _deliveries() == [START + dt.timedelta(seconds=5), START + dt.timedelta(seconds=11)]


def test_without_gathering_every_commit_queues_its_delivery_at_once(settings):
    settings.OUTBOX_GATHER_SECONDS = 0
    with time_machine.travel(START, tick=False):
        _commit_an_event()
        _commit_an_event()
    assert _deliveries() == [None, None]


def test_the_worker_delivers_the_window_once_it_is_over(settings):
    settings.OUTBOX_GATHER_SECONDS = 5
    with time_machine.travel(START, tick=False) as clock:
        _commit_an_event()
        _commit_an_event()
        last = Event.objects.order_by("-id").values_list("id", flat=True).first()
        assert run_pending_tasks() == 0  # the window is still open
        clock.shift(dt.timedelta(seconds=5))
        assert run_pending_tasks() == 1  # one delivery, for both events
    cursors = ConsumerCursor.objects.values_list("last_event_id", flat=True)
    assert set(cursors) == {last}
