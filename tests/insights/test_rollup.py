"""Roll-ups kept by receivers + background tasks equal a from-scratch rebuild, also after edits."""

from __future__ import annotations

import datetime as dt

import pytest

from asks import lifecycle
from asks.models import AskState
from insights import rollup
from insights.models import (
    ActiveWeek,
    AskDay,
    DirtyDay,
    DurationDay,
    DurationTotalDay,
    LoadDistribution,
    MomentDay,
    PersonWeek,
    RecentLoad,
    SessionDay,
    SkillDay,
    SkillTotalDay,
)
from insights.tasks import refresh_insights_task
from mentoring.models import SessionState
from tests.factories import TeamFactory
from tests.harness.tasks import queued_task_names, run_pending_tasks
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict:
    out = {}
    derived = (SkillTotalDay, DurationTotalDay, ActiveWeek, LoadDistribution, RecentLoad)
    for model in (AskDay, SkillDay, DurationDay, SessionDay, MomentDay, PersonWeek, *derived):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        out[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)  # None beside ints
    return out


def incremental_equals_rebuild() -> None:
    run_pending_tasks()
    assert not DirtyDay.objects.exists()
    kept = snapshot()
    rollup.rebuild()
    assert kept == snapshot()


def test_events_queue_a_refresh_and_the_result_equals_a_rebuild(org):
    assert refresh_insights_task.module_path in queued_task_names()
    incremental_equals_rebuild()
    assert AskDay.objects.exists() and SessionDay.objects.exists() and PersonWeek.objects.exists()


def test_after_edits_cancellations_and_deletions(org):
    run_pending_tasks()
    asks, sessions = org["asks"], org["sessions"]
    lifecycle.transition(asks["a2"], AskState.CANCELLED)  # an UPDATE: seen through its AskEvent
    sessions["s2"].state = SessionState.CANCELLED
    sessions["s2"].save()
    moved = sessions["s7"]
    moved.starts_at = at(5)  # moves to another day and week: both must be refreshed
    moved.save()
    sessions["s1"].debrief.rating = 1
    sessions["s1"].debrief.save()
    sessions["s4"].debrief.delete()
    asks["a3"].skills.add(org["skills"][0])
    asks["a4"].delete()
    ed = org["mentees"][0]
    ed.moments.first().delete()
    profile = org["max"].profile
    profile.team = TeamFactory(name="Team D")  # every day Max took part in changes team
    profile.save()
    incremental_equals_rebuild()
    assert SessionDay.objects.filter(day=dt.date(2026, 3, 10)).get().cancelled == 1


def test_team_change_reaches_a_cancelled_session_alone_in_its_week(org):
    run_pending_tasks()
    eli = org["mentees"][2].profile  # mentee of the cancelled s3: only SessionDay counts it, by her team
    eli.team = TeamFactory(name="Team E")
    eli.save()
    incremental_equals_rebuild()


def test_refresh_is_idempotent_and_a_rollback_marks_nothing(org):
    from django.db import transaction

    run_pending_tasks()
    before = snapshot()
    rollup.refresh_days([dt.date(2026, 3, 3), dt.date(2026, 3, 17)])
    assert snapshot() == before
    with pytest.raises(RuntimeError), transaction.atomic():
        org["sessions"]["s5"].delete()
        raise RuntimeError
    assert not DirtyDay.objects.exists()


def test_the_periodic_safety_net_catches_a_change_no_receiver_saw(org):
    from insights.tasks import SAFETY_NET_DAYS, refresh_recent_insights_task
    from mentoring.models import Session

    run_pending_tasks()
    recent = org["sessions"]["s7"]
    assert (dt.date(2026, 3, 29) - rollup.utc_day(recent.starts_at)).days < SAFETY_NET_DAYS
    kept = snapshot()
    # A bare UPDATE sends no signal, so no receiver marks its day: the roll-ups stay as they were …
    Session.objects.filter(pk=recent.pk).update(state=SessionState.CANCELLED)
    run_pending_tasks()
    assert snapshot() == kept
    # … until the periodic task recomputes the recent days, which gives what a full rebuild gives.
    refresh_recent_insights_task.call()
    caught = snapshot()
    assert caught != kept
    rollup.rebuild()
    assert caught == snapshot()
