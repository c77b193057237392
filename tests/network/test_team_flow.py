"""The cross-team flow read from the ``TeamFlow`` roll-up: hand-computed figures, and the roll-up kept by
background tasks equals a from-scratch computation (and the old computation from every help link)
after sessions, team moves, programme members coming and going, and deletions."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from mentoring.models import Session, SessionState
from network import teamflow
from network.flow import team_flow, team_flow_from_links
from network.models import ALL_MONTHS, NO_TEAM_ID, TeamFlow, TeamFlowMember, TeamFlowPerson
from network.rollup import rebuild_help_links
from network.scope import Scope, team_groups
from network.tasks import reconcile_team_flow
from people.models import Profile, Team
from programmes.models import Membership, Programme
from programmes.services import add_members
from recognition.models import Kudos
from tests.harness.tasks import queued_task_names, run_pending_tasks
from tests.network.conftest import START, held, people_in

JUNE = dt.date(2025, 6, 1)
JANUARY = dt.datetime(2025, 1, 15, 10, 0, tzinfo=dt.UTC)
MARCH = dt.datetime(2025, 3, 10, 10, 0, tzinfo=dt.UTC)


def matrix(programme=None, **filters) -> tuple[list[str], list[list[int]], int]:
    groups = team_groups(programme)
    flow = team_flow(scope=Scope(programme=programme, groups=groups, **filters))
    return flow.labels, [row.cells for row in flow.rows], flow.total


def move(user, team_name: str | None) -> None:
    profile = Profile.objects.get(user=user)  # a fresh instance, as a form or the API would load
    profile.team = Team.objects.get(name=team_name) if team_name else None
    profile.save()


@pytest.fixture
def org(commit):
    """Data 6, Design 5, Ops 2 and 3 people without a team (Ops + no team = "Other", 5 people)."""
    data, design = people_in("Data", 6), people_in("Design", 5)
    ops, nobody = people_in("Ops", 2), people_in(None, 3)
    with commit():
        held(data[0], design[0], n=3)  # June
        held(data[0], design[1], n=4, when=JANUARY)
        held(design[1], data[1], n=2)
        held(ops[0], data[2])
        held(data[3], ops[1])
        held(nobody[0], design[2], n=2, when=MARCH)
        held(data[4], data[5])  # inside one team
        Kudos.objects.create(giver=design[3], receiver=data[0], public=True)  # not a session: no cell
    run_pending_tasks()
    return data, design, ops, nobody


def test_hand_computed_flow_by_current_team_month_team_filter_and_programme(org, commit):
    data, design, ops, nobody = org
    assert matrix() == (["Data", "Design", "Other"], [[1, 7, 1], [2, 0, 0], [1, 2, 0]], 14)
    assert matrix(start=JUNE, end=JUNE) == (["Data", "Design", "Other"], [[1, 3, 1], [2, 0, 0], [1, 0, 0]], 8)
    assert matrix(team="Design")[2] == 11  # 7 to Design, 2 from it, 2 from Other
    # The roll-up holds team ids per month; no team is 0; the kudos made no cell.
    data_id, design_id = Team.objects.get(name="Data").pk, Team.objects.get(name="Design").pk
    org_rows = set(
        TeamFlow.objects.filter(programme=None).values_list("month", "helper_team", "helped_team", "sessions")
    )
    assert (dt.date(2025, 1, 1), data_id, design_id, 4) in org_rows
    assert (dt.date(2025, 3, 1), NO_TEAM_ID, design_id, 2) in org_rows
    assert sum(row[3] for row in org_rows if row[0] != ALL_MONTHS) == 14
    # ...and each pair's total over all months, which the flow reads when no month is chosen.
    assert (ALL_MONTHS, data_id, design_id, 7) in org_rows
    assert sum(row[3] for row in org_rows if row[0] == ALL_MONTHS) == 14

    # Current-team semantics: data[3] moves to Design and takes their past session with them.
    with commit():
        move(data[3], "Design")
    run_pending_tasks()
    assert matrix() == (["Data", "Design", "Other"], [[1, 7, 0], [2, 0, 1], [1, 2, 0]], 14)

    # A programme counts its members only; data[0] is in two programmes.
    guild = Programme.objects.create(name="Guild", slug="guild")
    everyone = Programme.objects.create(name="Everyone", slug="everyone")
    with commit():
        for user in [*data, *design]:  # Data 5 (+ data[3] now in Design: Design 6)
            Membership.objects.create(programme=guild, user=user)
        for user in [*data, *design, *ops, *nobody]:
            Membership.objects.create(programme=everyone, user=user)
    run_pending_tasks()
    assert matrix(guild) == (["Data", "Design"], [[1, 7], [2, 0]], 10)
    assert matrix(everyone) == matrix()

    # A member leaves: Data has four people in the guild and one outside it, whose figures the
    # organisation's Data row minus the guild's would give: the guild is withheld (docs/privacy.md).
    with commit():
        Membership.objects.filter(programme=guild, user=data[0]).delete()
    run_pending_tasks()
    assert matrix(guild) == ([], [], 0)
    assert team_flow(scope=Scope(programme=guild, groups=team_groups(guild))).hidden
    assert matrix(everyone) == matrix()  # everyone is still a member of this one


def snapshot() -> set[tuple]:
    return set(
        TeamFlow.objects.values_list("programme_id", "month", "helper_team", "helped_team", "sessions")
    )


def assert_incremental_matches_from_scratch() -> None:
    """After the queued tasks ran: the table equals a from-scratch computation, the records of what it
    counted equal the live teams and memberships, and the flow read from it equals the old computation
    from every help link, for the organisation and each programme, each filter."""
    run_pending_tasks()
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL").values_list("task_path", "traceback")
    assert not list(failed)
    assert snapshot() == {(*cell, n) for cell, n in teamflow.from_scratch().items()}
    assert set(TeamFlowPerson.objects.values_list("person", "team")) == set(
        Profile.objects.filter(team__isnull=False).values_list("user_id", "team_id")
    )
    assert set(TeamFlowMember.objects.values_list("programme_id", "person")) == set(
        Membership.objects.values_list("programme_id", "user_id")
    )
    for programme in [None, *Programme.objects.all()]:
        groups = team_groups(programme)
        for start, end in [(None, None), (JUNE, JUNE), (dt.date(2025, 1, 1), dt.date(2025, 5, 1))]:
            for team in [None, *groups.shown]:
                scope = Scope(start=start, end=end, programme=programme, team=team, groups=groups)
                assert team_flow(scope=scope) == team_flow_from_links(scope=scope), (programme, start, team)


def test_incremental_equals_from_scratch_after_a_series_of_changes(org, commit, organiser):
    data, design, ops, nobody = org
    guild = Programme.objects.create(name="Guild", slug="guild")
    lab = Programme.objects.create(name="Lab", slug="lab")
    with commit():
        for user in [*data, *design[:3], nobody[0]]:
            Membership.objects.create(programme=guild, user=user)
        for user in [*data[:3], *design, *ops]:  # data[0..2] are in both programmes
            Membership.objects.create(programme=lab, user=user)
    assert_incremental_matches_from_scratch()

    # Sessions completed (by save) and cancelled.
    with commit():
        planned = Session.objects.create(
            mentor=design[0], mentee=data[1], title="Later", state=SessionState.PLANNED
        )
        cancelled = held(data[1], design[2], n=2)[0]
        held(nobody[1], ops[0], when=JANUARY)
    assert_incremental_matches_from_scratch()
    with commit():
        planned.state, planned.completed_at = SessionState.COMPLETED, START
        planned.save()
        cancelled.state = SessionState.CANCELLED
        cancelled.save(update_fields=["state", "updated_at"])
    assert_incremental_matches_from_scratch()

    # People moving team: into another team, out of every team, from no team into one.
    with commit():
        move(data[0], "Design")
        move(design[1], None)
        move(nobody[0], "Ops")
    assert_incremental_matches_from_scratch()

    # Members added one by one and in bulk (add_members inserts without signals: the periodic reconcile).
    with commit():
        Membership.objects.filter(programme=guild, user=data[2]).delete()
        Membership.objects.create(programme=guild, user=ops[1])
    assert_incremental_matches_from_scratch()
    with commit():
        Membership.objects.create(programme=lab, user=organiser, role="organiser")
    assert_incremental_matches_from_scratch()
    with commit():
        add_members(programme=lab, users=[nobody[1], nobody[2], design[4]], actor=organiser)
    assert "network.tasks.reconcile_team_flow" not in queued_task_names()  # bulk_create: no signal
    reconcile_team_flow.enqueue()  # what the ten-minute periodic job does
    assert_incremental_matches_from_scratch()

    # Team changes with no signal at all (a bulk update), then a deleted team (SET NULL, no signal).
    Profile.objects.filter(user__in=design[2:4]).update(team=Team.objects.get(name="Data"))
    reconcile_team_flow.enqueue()
    assert_incremental_matches_from_scratch()
    with commit():
        Team.objects.get(name="Ops").delete()
    assert_incremental_matches_from_scratch()

    # A person deleted: their help links go, and their team loses them.
    with commit():
        data[1].delete()
    assert_incremental_matches_from_scratch()
    # ...and a programme deleted with its cells.
    lab_id = lab.pk
    assert TeamFlow.objects.filter(programme_id=lab_id).exists()
    with commit():
        lab.delete()
    assert_incremental_matches_from_scratch()
    assert not TeamFlow.objects.filter(programme_id=lab_id).exists()


def test_a_large_reconcile_rebuilds_and_gives_the_same_table(org, commit, monkeypatch):
    data, design, *_ = org
    monkeypatch.setattr(teamflow, "FULL_REBUILD_PEOPLE", 1)
    with commit():
        move(data[0], "Design")
        move(design[0], "Data")
    assert_incremental_matches_from_scratch()


def test_the_first_refresh_after_deploying_builds_the_roll_up(commit):
    ana, ben, *_ = people_in("Data", 5)
    with commit():
        held(ana, ben, n=2)
    run_pending_tasks()
    TeamFlow.objects.all().delete()
    TeamFlowPerson.objects.all().delete()  # as just after the migration, on existing data
    groups = team_groups()
    before = team_flow(scope=Scope(groups=groups))  # read from the help links until the roll-up exists
    assert before.total == 2 and before == team_flow_from_links(scope=Scope(groups=groups))
    reconcile_team_flow.enqueue()
    assert_incremental_matches_from_scratch()
    assert snapshot() != set()


def test_only_team_and_membership_changes_queue_a_reconcile(commit):
    (ana,) = people_in("Data", 1)
    Team.objects.create(name="Ops", slug="ops")
    programme = Programme.objects.create(name="Guild", slug="guild")
    run_pending_tasks()

    def queued() -> list[str]:
        return [name for name in queued_task_names() if name == "network.tasks.reconcile_team_flow"]

    with commit():
        profile = Profile.objects.get(user=ana)
        profile.headline = "Happy to help"
        profile.save()
    assert queued() == []
    with commit():
        move(ana, "Ops")
        move(ana, "Data")
        Membership.objects.create(programme=programme, user=ana)
    assert queued() == ["network.tasks.reconcile_team_flow"]  # one per transaction


def test_rebuild_help_links_rebuilds_the_flow_too(org):
    TeamFlow.objects.update(sessions=99)  # as if a change had bypassed every signal
    rebuild_help_links()
    assert_incremental_matches_from_scratch()


def test_team_sizes_count_people_without_a_team_or_a_profile(org):
    from django.db.models import Count

    from accounts.models import User

    User.objects.create(email="no-profile@example.org", password="!")  # noqa: S106
    rows = User.objects.values("profile__team__name").annotate(n=Count("pk", distinct=True))
    expected = {(row["profile__team__name"] or "No team"): row["n"] for row in rows}
    assert team_groups().sizes == expected == {"Data": 6, "Design": 5, "Ops": 2, "No team": 4}


def test_the_reconcile_runs_every_ten_minutes_for_changes_without_signals():
    from core.periodic import registered_jobs

    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["network.team_flow"].task is reconcile_team_flow
    assert jobs["network.team_flow"].every == dt.timedelta(minutes=10)
