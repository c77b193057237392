"""The help-link roll-up kept by background tasks equals a from-scratch computation, change after change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction

from mentoring.attendance import report_attendance
from mentoring.models import Session, SessionState
from moments.models import Introduction, IntroductionState
from network.models import HelpLink
from network.rollup import rebuild_help_links
from recognition.models import Kudos
from tests.harness.tasks import queued_task_names, run_pending_tasks
from tests.network.conftest import START, held, people_in


def table() -> list[tuple]:
    return sorted(
        HelpLink.objects.values_list(
            "helper_id", "helped_id", "month", "sessions", "kudos", "introductions", "last_at"
        )
    )


def assert_incremental_matches_rebuild() -> list[tuple]:
    run_pending_tasks()
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
        Kudos.objects.create(giver=ben, receiver=ana, public=True)  # ben thanks ana: ana helped ben
        Kudos.objects.create(giver=cem, receiver=ana, public=False)  # private: never counted
        Introduction.objects.create(
            introducer=cem, first=ana, second=ben, note="Meet", state=IntroductionState.CONNECTED
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


def test_it_follows_state_changes_made_by_save_and_by_conditional_updates(commit):
    ana, ben, cem = people_in("Data", 3)
    past = START - dt.timedelta(hours=2)
    with commit():
        reported = Session.objects.create(
            mentor=ana, mentee=ben, title="Call", starts_at=past, ends_at=past + dt.timedelta(minutes=30)
        )
        cancelled_later = held(cem, ben)[0]
        kudos = Kudos.objects.create(giver=ben, receiver=cem, public=False)
        intro = Introduction.objects.create(introducer=ana, first=ben, second=cem, note="Meet")
    assert [row[:2] for row in assert_incremental_matches_rebuild()] == [(cem.pk, ben.pk)]

    with commit():
        # Attendance completes a session with an UPDATE (no Session signal); the Attendance row is heard.
        report_attendance(session=reported, reporter=ben, kind="happened")
        cancelled_later.state = SessionState.CANCELLED
        cancelled_later.save(update_fields=["state", "updated_at"])
        kudos.public = True
        kudos.save()
        intro.state, intro.connected_at = IntroductionState.CONNECTED, START
        intro.save(update_fields=["state", "connected_at"])

    rows = assert_incremental_matches_rebuild()
    assert {(h, d, s, k, i) for h, d, _m, s, k, i, _ in rows} == {
        (ana.pk, ben.pk, 1, 0, 1),
        (ana.pk, cem.pk, 0, 0, 1),
        (cem.pk, ben.pk, 0, 1, 0),
    }


def test_it_follows_deletes_of_records_and_of_people(commit):
    ana, ben, cem, dan = people_in("Data", 4)
    with commit():
        first, second = held(ana, ben, n=2)
        held(dan, cem)
        thanks = Kudos.objects.create(giver=cem, receiver=ana)
        Kudos.objects.create(giver=ben, receiver=dan)
    assert len(assert_incremental_matches_rebuild()) == 4

    with commit():
        first.delete()
        thanks.delete()
        dan.delete()  # cascades to his sessions and kudos

    rows = assert_incremental_matches_rebuild()
    assert [(h, d, s, k) for h, d, _m, s, k, _i, _ in rows] == [(ana.pk, ben.pk, 1, 0)]
    with commit():
        second.delete()
    assert assert_incremental_matches_rebuild() == []


def test_a_rolled_back_change_queues_nothing(commit):
    ana, ben = people_in("Data", 2)
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        held(ana, ben)
        raise RuntimeError
    assert not [name for name in queued_task_names() if name.startswith("network.")]
    with commit():
        held(ana, ben)
    assert [name for name in queued_task_names() if name.startswith("network.")] == [
        "network.tasks.refresh_help_links"
    ]


def test_the_rebuild_command_repairs_a_drifted_table(commit):
    ana, ben = people_in("Data", 2)
    with commit():
        held(ana, ben, n=3)
    run_pending_tasks()
    HelpLink.objects.update(sessions=99)  # as if a change had bypassed every signal
    call_command("rebuild_network", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(HelpLink.objects.values_list("sessions", flat=True)) == [3]
