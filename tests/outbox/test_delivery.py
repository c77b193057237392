"""The outbox itself: recording inside the workflow's transaction only, delivery at least once and
idempotent (twice, or after a crash between handling and moving the cursor), holes in the ids waited
for, a new consumer's start, and pruning."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from openhelp.help.mentoring import lifecycle
from openhelp.help.mentoring.models import SessionState
from openhelp.organisers.insights import consumer as insights_consumer
from openhelp.organisers.insights import rollup
from openhelp.platform.outbox import delivery
from openhelp.platform.outbox.events import NotInTransaction, record
from openhelp.platform.outbox.models import ConsumerCursor, Event
from tests.factories_mentoring import SessionFactory
from tests.harness.outbox import cursors, deliver_events, last_event_id
from tests.insights.test_rollup import snapshot

NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def held_sessions(n: int = 3):
    """Sessions completed through the state machine, so each records ``session.held``."""
    sessions = [
        SessionFactory(starts_at=NOW - dt.timedelta(days=i), state=SessionState.PLANNED) for i in range(n)
    ]
    for session in sessions:
        lifecycle.transition(session, SessionState.COMPLETED)
    return sessions


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(NotInTransaction):
        record("member.added", programme=1, person=1)
    assert not Event.objects.exists()
    with transaction.atomic():
        record("member.added", programme=1, person=1)
    assert Event.objects.get().payload == {"programme": 1, "person": 1}


@pytest.mark.django_db
def test_record_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="Unknown event kind"):
        record("ask.teleported", ask=1)


@pytest.mark.django_db
def test_delivering_twice_gives_the_same_rollups(clock):
    held_sessions()
    assert deliver_events()["insights"] == 3
    once = snapshot()
    assert set(deliver_events().values()) == {0}  # nothing new, for any consumer
    ConsumerCursor.objects.update(last_event_id=0)  # every event again: at least once, idempotent
    deliver_events()
    assert snapshot() == once
    assert set(cursors().values()) == {last_event_id()}


@pytest.mark.django_db
def test_a_crash_after_handling_and_before_moving_the_cursor_is_delivered_again(clock, monkeypatch):
    held_sessions()
    handled = []

    def crash(events):
        insights_consumer.handle(events)  # its writes are made …
        handled.append([event.pk for event in events])
        raise RuntimeError("the worker died")  # … but the cursor does not move with them

    monkeypatch.setitem(
        delivery._CONSUMERS, "insights", delivery.Consumer("insights", crash, insights_consumer.KINDS_READ)
    )
    with pytest.raises(RuntimeError):
        deliver_events()
    assert cursors()["network"] == last_event_id()  # the other consumer was not held back
    assert cursors().get("insights", 0) < last_event_id() and handled
    assert snapshot()["SessionDay"] == []  # the handler's writes were rolled back with the cursor
    monkeypatch.undo()
    deliver_events()  # the same events, handled again
    delivered = snapshot()
    rollup.rebuild()
    assert snapshot() == delivered and delivered["SessionDay"]


@pytest.mark.django_db
def test_delivery_waits_at_a_hole_in_the_ids_until_it_settles(clock):
    with transaction.atomic():
        first = record("member.added", programme=1, person=1)
    # An id taken by a transaction still running (or rolled back): the next visible event is beyond it.
    Event.objects.create(id=first.pk + 2, kind="member.added", payload={"programme": 1, "person": 2})
    delivery.deliver("network")
    assert cursors()["network"] == first.pk  # stopped before the hole
    clock.shift(delivery.SETTLE - dt.timedelta(seconds=1))
    delivery.deliver("network")
    assert cursors()["network"] == first.pk
    Event.objects.create(id=first.pk + 1, kind="member.added", payload={"programme": 1, "person": 3})
    delivery.deliver("network")  # the hole was filled: its transaction committed
    assert cursors()["network"] == first.pk + 2


@pytest.mark.django_db
def test_a_hole_older_than_the_settling_time_is_a_rollback_and_is_passed(clock):
    with transaction.atomic():
        first = record("member.added", programme=1, person=1)
    Event.objects.create(id=first.pk + 2, kind="member.added", payload={"programme": 1, "person": 2})
    clock.shift(delivery.SETTLE)
    delivery.deliver("network")
    assert cursors()["network"] == first.pk + 2


@pytest.mark.django_db
def test_a_new_consumer_starts_at_the_oldest_event_kept(clock):
    assert delivery.deliver("insights") == 0 and cursors() == {}  # nothing to read: no cursor yet
    Event.objects.create(id=500, kind="member.added", payload={"programme": 1, "person": 2})
    assert delivery.deliver("insights") == 1
    assert cursors() == {"insights": 500}


@pytest.mark.django_db
def test_pruning_keeps_what_a_consumer_has_not_read_and_what_is_recent(clock):
    with transaction.atomic():
        old = [record("member.added", programme=1, person=i) for i in range(3)]
    clock.shift(delivery.RETENTION + dt.timedelta(days=1))
    with transaction.atomic():
        recent = record("member.added", programme=1, person=9)
    assert delivery.prune() == 0  # no consumer has read anything yet
    for consumer in delivery.consumers():  # every consumer reads everything, but insights stops early
        if consumer.name != "insights":
            delivery.deliver(consumer.name, settle=dt.timedelta(0))
    ConsumerCursor.objects.create(name="insights", last_event_id=old[1].pk)
    assert delivery.prune() == 2  # the two old events every consumer passed
    assert list(Event.objects.values_list("pk", flat=True)) == [old[2].pk, recent.pk]
