"""The help-link roll-up kept from the outbox equals a from-scratch computation, change after change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction

from openhelp.community.moments.introductions import answer
from openhelp.community.moments.models import Introduction, IntroductionState
from openhelp.help.mentoring import lifecycle
from openhelp.help.mentoring.attendance import report_attendance
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.organisers.network.models import HelpLink
from openhelp.organisers.network.rollup import rebuild_help_links
from openhelp.platform.accounts.services import delete_account
from openhelp.platform.outbox.events import record
from tests.harness.outbox import deliver_events
from tests.harness.tasks import queued_task_names, run_pending_tasks
from tests.network.conftest import START, held, people_in, thanked


def table() -> list[tuple]:
    return sorted(
        HelpLink.objects.values_list(
            "helper_id", "helped_id", "month", "sessions", "kudos", "introductions", "last_at"
        )
    )


def assert_incremental_matches_rebuild() -> list[tuple]:
    deliver_events()
    incremental = table()
    rebuild_help_links()
    assert table() == incremental
    return incremental


def test_it_counts_completed_sessions_public_kudos_and_connected_introductions(commit):
    ana, ben, cem = people_in("Data", 3)
    with commit():
        held(ana, ben, n=2)
        held(ana, ben, when=START + dt.timedelta(days=40))  # next month: its own row
        Session.objects.create(mentor=ana, mentee=cem, title="Later", state=SessionState.PLANNED)
        thanked(ben, ana)  # ben thanks ana: ana helped ben
        thanked(cem, ana, public=False)  # private: never counted
        intro = Introduction.objects.create(
            introducer=cem, first=ana, second=ben, note="Meet", state=IntroductionState.CONNECTED
        )
        record(
            "introduction.connected", introduction=intro.pk, introducer=cem.pk, first=ana.pk, second=ben.pk
        )

    rows = assert_incremental_matches_rebuild()

    june, july = dt.date(2025, 6, 1), dt.date(2025, 7, 1)
    summary = {(h, d, m): (s, k, i) for h, d, m, s, k, i, _ in rows}
    assert summary == {
        (ana.pk, ben.pk, june): (2, 1, 0),
        (ana.pk, ben.pk, july): (1, 0, 0),
        (cem.pk, ana.pk, june): (0, 0, 1),
        (cem.pk, ben.pk, june): (0, 0, 1),
    }


def test_it_follows_the_workflows_that_change_sessions_and_introductions(commit):
    ana, ben, cem = people_in("Data", 3)
    past = START - dt.timedelta(hours=2)
    with commit():
        reported = Session.objects.create(
            mentor=ana, mentee=ben, title="Call", starts_at=past, ends_at=past + dt.timedelta(minutes=30)
        )
        dropped = Session.objects.create(mentor=cem, mentee=ben, title="Call", starts_at=past)
        held(cem, ben)
        thanked(ben, cem, public=False)
        intro = Introduction.objects.create(introducer=ana, first=ben, second=cem, note="Meet")
    assert [row[:2] for row in assert_incremental_matches_rebuild()] == [(cem.pk, ben.pk)]

    with commit():
        report_attendance(session=reported, reporter=ben, kind="happened")  # completes it
        lifecycle.cancel_session(session=dropped)
        answer(introduction=intro, person=ben, accept=True)
        answer(introduction=intro, person=cem, accept=True)  # both accepted: connected

    rows = assert_incremental_matches_rebuild()
    assert {(h, d, s, k, i) for h, d, _m, s, k, i, _ in rows} == {
        (ana.pk, ben.pk, 1, 0, 1),
        (ana.pk, cem.pk, 0, 0, 1),
        (cem.pk, ben.pk, 1, 0, 0),
    }


def test_it_follows_a_deleted_account(commit):
    ana, ben, cem, dan = people_in("Data", 4)
    with commit():
        held(ana, ben, n=2)
        held(dan, cem)
        thanked(cem, ana)
        thanked(ben, dan)
    assert len(assert_incremental_matches_rebuild()) == 4
    delete_account(user=dan)  # his sessions and kudos go with him
    rows = assert_incremental_matches_rebuild()
    assert [(h, d, s, k) for h, d, _m, s, k, _i, _ in rows] == [
        (ana.pk, ben.pk, 2, 0),
        (ana.pk, cem.pk, 0, 1),
    ]


def test_a_rolled_back_change_records_nothing_and_queues_nothing(commit):
    ana, ben = people_in("Data", 2)
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        held(ana, ben)
        raise RuntimeError
    assert not [name for name in queued_task_names() if name.startswith("openhelp.platform.outbox.")]
    assert set(deliver_events().values()) == {0} and not HelpLink.objects.exists()
    with commit():
        held(ana, ben)
    assert [name for name in queued_task_names() if name.startswith("openhelp.platform.outbox.")] == [
        "openhelp.platform.outbox.tasks.deliver_events_task"
    ]
    run_pending_tasks()
    assert list(HelpLink.objects.values_list("helper_id", "helped_id", "sessions")) == [(ana.pk, ben.pk, 1)]


def test_the_rebuild_command_repairs_a_drifted_table(commit):
    ana, ben = people_in("Data", 2)
    with commit():
        held(ana, ben, n=3)
    run_pending_tasks()
    HelpLink.objects.update(sessions=99)  # as if a change had bypassed every event
    call_command("rebuild_network", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(HelpLink.objects.values_list("sessions", flat=True)) == [3]
