"""Roll-ups kept from the outbox equal a from-scratch rebuild, after workflows of every kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from openhelp.community.moments.services import delete_moment
from openhelp.directory.people.services import delete_teams, update_profile
from openhelp.help.asks import lifecycle
from openhelp.help.asks.models import AskState
from openhelp.help.asks.services import update_ask
from openhelp.help.mentoring import lifecycle as session_lifecycle
from openhelp.help.mentoring import services as session_services
from openhelp.help.mentoring.debriefs import record_debrief
from openhelp.organisers.imports.services import apply_import
from openhelp.organisers.insights import rollup
from openhelp.organisers.insights.models import (
    ActiveWeek,
    AskDay,
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
from tests.factories import TeamFactory
from tests.harness.outbox import deliver_events, kinds_recorded, last_event_id
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
    deliver_events()
    kept = snapshot()
    rollup.rebuild()
    assert kept == snapshot()


def move_session(session, to: dt.datetime) -> None:
    """What a booking moved or an agreed time changed does to its session (mentoring.services)."""
    before = session.starts_at
    session.starts_at, session.ends_at = to, to + dt.timedelta(minutes=30)
    session_services.save_session(session, ["starts_at", "ends_at"], starts_at=before)


def test_a_workflow_queues_one_delivery_and_the_result_equals_a_rebuild(org):
    before = snapshot()
    session_lifecycle.cancel_session(session=org["sessions"]["s6"])
    assert "openhelp.platform.outbox.tasks.deliver_events_task" in queued_task_names()
    run_pending_tasks()  # the delivery queued after the commit
    assert snapshot() != before
    incremental_equals_rebuild()


def test_after_cancellations_moves_debriefs_edits_and_deletions(org):
    asks, sessions = org["asks"], org["sessions"]
    ed, _eve, _eli, emi = org["mentees"]
    django, sql = org["skills"]
    lifecycle.transition(asks["a2"], AskState.CANCELLED)
    session_lifecycle.cancel_session(session=sessions["s6"])
    move_session(sessions["s7"], at(5))  # another day and week: both must be refreshed
    record_debrief(session=sessions["s1"], actor=ed, rating=1)
    update_ask(ask=asks["a4"], actor=emi, skills=[django, sql])  # an unmatched ask can still change
    delete_moment(moment=ed.moments.first(), actor=ed)
    update_profile(profile=org["max"].profile, team=TeamFactory(name="Team D"))  # all his days move
    incremental_equals_rebuild()
    assert SessionDay.objects.get(day=dt.date(2026, 3, 19)).cancelled == 1


def test_team_change_reaches_a_cancelled_session_alone_in_its_week(org):
    eli = org["mentees"][2].profile  # mentee of the cancelled s3: only SessionDay counts it, by her team
    update_profile(profile=eli, team=TeamFactory(name="Team E"))
    incremental_equals_rebuild()


def test_an_import_and_a_deleted_team_reach_the_roll_ups(org, organiser):
    ed, eve, *_ = org["mentees"]
    rows = f"{ed.email},Ed,Team Z\n{eve.email},Eve,Team Z\n"
    apply_import("email,name,team\n" + rows, actor=organiser)  # bulk writes, one event per person
    incremental_equals_rebuild()
    assert PersonWeek.objects.filter(user_id=ed.pk).values("team_id").distinct().count() == 1
    delete_teams(teams=[org["teams"][0]], actor=organiser)  # its people move to "no team"
    incremental_equals_rebuild()


def test_delivery_is_idempotent_and_a_rollback_records_nothing(org):
    lifecycle.transition(org["asks"]["a2"], AskState.CANCELLED)
    deliver_events()
    delivered = snapshot()
    rollup.refresh_days([dt.date(2026, 3, 3), dt.date(2026, 3, 17)])
    assert snapshot() == delivered
    mark = last_event_id()
    with pytest.raises(RuntimeError), transaction.atomic():
        session_lifecycle.cancel_session(session=org["sessions"]["s5"])
        raise RuntimeError
    assert kinds_recorded(after=mark) == []
    deliver_events()
    assert snapshot() == delivered
