"""The cross-team flow read from the ``TeamFlow`` roll-up: hand-computed figures, and the roll-up kept from
the outbox equals a from-scratch computation (and the old computation from every help link) after
sessions, team moves (one by one and by import), programme members coming and going, and deletions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from openhelp.directory.people.models import Profile, Team
from openhelp.directory.people.services import delete_teams, update_profile
from openhelp.directory.programmes.models import Membership, Programme
from openhelp.directory.programmes.services import add_members
from openhelp.help.mentoring import lifecycle
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.organisers.imports.services import apply_import
from openhelp.organisers.network import teamflow
from openhelp.organisers.network.flow import team_flow, team_flow_from_links
from openhelp.organisers.network.models import (
    ALL_MONTHS,
    NO_TEAM_ID,
    TeamFlow,
    TeamFlowMember,
    TeamFlowPerson,
)
from openhelp.organisers.network.rollup import rebuild_help_links
from openhelp.organisers.network.scope import Scope, team_groups
from openhelp.platform.accounts.services import delete_account
from openhelp.platform.outbox.events import record
from tests.harness.outbox import deliver_events, kinds_recorded, last_event_id
from tests.harness.tasks import queued_task_names, run_pending_tasks
from tests.network.conftest import START, held, join, leave, people_in, thanked

JUNE = dt.date(2025, 6, 1)
JANUARY = dt.datetime(2025, 1, 15, 10, 0, tzinfo=dt.UTC)
MARCH = dt.datetime(2025, 3, 10, 10, 0, tzinfo=dt.UTC)


def matrix(programme=None, **filters) -> tuple[list[str], list[list[int]], int]:
    groups = team_groups(programme)
    flow = team_flow(scope=Scope(programme=programme, groups=groups, **filters))
    return flow.labels, [row.cells for row in flow.rows], flow.total


def move(user, team_name: str | None) -> None:
    profile = Profile.objects.get(user=user)  # a fresh instance, as a form or the API would load
    update_profile(profile=profile, team=Team.objects.get(name=team_name) if team_name else None)


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
        thanked(design[3], data[0])  # not a session: no cell
    run_pending_tasks()  # the delivery queued by the commit
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
    deliver_events()
    assert matrix() == (["Data", "Design", "Other"], [[1, 7, 0], [2, 0, 1], [1, 2, 0]], 14)

    # A programme counts its members only; data[0] is in two programmes.
    guild = Programme.objects.create(name="Guild", slug="guild")
    everyone = Programme.objects.create(name="Everyone", slug="everyone")
    with commit():
        for user in [*data, *design]:  # Data 5 (+ data[3] now in Design: Design 6)
            join(guild, user)
        for user in [*data, *design, *ops, *nobody]:
            join(everyone, user)
    deliver_events()
    assert matrix(guild) == (["Data", "Design"], [[1, 7], [2, 0]], 10)
    assert matrix(everyone) == matrix()

    # A member leaves: Data has four people in the guild and one outside it, whose figures the
    # organisation's Data row minus the guild's would give: the guild is withheld (docs/privacy.md).
    with commit():
        leave(guild, data[0])
    deliver_events()
    assert matrix(guild) == ([], [], 0)
    assert team_flow(scope=Scope(programme=guild, groups=team_groups(guild))).hidden
    assert matrix(everyone) == matrix()  # everyone is still a member of this one


def snapshot() -> set[tuple]:
    return set(
        TeamFlow.objects.values_list("programme_id", "month", "helper_team", "helped_team", "sessions")
    )


def assert_incremental_matches_from_scratch() -> None:
    """After delivery: the table equals a from-scratch computation, the records of what it
    counted equal the live teams and memberships, and the flow read from it equals the old computation
    from every help link, for the organisation and each programme, each filter."""
    deliver_events()
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
            join(guild, user)
        for user in [*data[:3], *design, *ops]:  # data[0..2] are in both programmes
            join(lab, user)
    assert_incremental_matches_from_scratch()

    # Sessions opened, completed and cancelled through the session state machine.
    with commit():
        planned = Session.objects.create(
            mentor=design[0], mentee=data[1], title="Later", state=SessionState.PLANNED
        )
        dropped = Session.objects.create(
            mentor=data[1], mentee=design[2], title="Not", state=SessionState.PLANNED
        )
        held(nobody[1], ops[0], when=JANUARY)
    assert_incremental_matches_from_scratch()
    with commit():
        lifecycle.transition(planned, SessionState.COMPLETED, moment=START)
        lifecycle.cancel_session(session=dropped)
    assert_incremental_matches_from_scratch()

    # People moving team: into another team, out of every team, from no team into one.
    with commit():
        move(data[0], "Design")
        move(design[1], None)
        move(nobody[0], "Ops")
    assert_incremental_matches_from_scratch()

    # Members added and removed one by one, and in bulk (one event per member added).
    with commit():
        leave(guild, data[2])
        join(guild, ops[1])
    assert_incremental_matches_from_scratch()
    with commit():
        join(lab, organiser, role="organiser")
    assert_incremental_matches_from_scratch()
    with commit():
        add_members(programme=lab, users=[nobody[1], nobody[2], design[4]], actor=organiser)
    assert_incremental_matches_from_scratch()

    # Team changes by a people import (bulk writes, one event per person), then a deleted team.
    rows = "".join(f"{u.email},{u.profile.display_name},Data\n" for u in design[2:4])
    apply_import("email,name,team\n" + rows, actor=organiser)
    assert_incremental_matches_from_scratch()
    with commit():
        delete_teams(teams=[Team.objects.get(name="Ops")], actor=organiser)
    assert_incremental_matches_from_scratch()

    # A person deleted: their help links go, and their team loses them; also someone without a team.
    delete_account(user=data[1])
    assert_incremental_matches_from_scratch()
    delete_account(user=nobody[1])
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
    deliver_events()
    TeamFlow.objects.all().delete()
    TeamFlowPerson.objects.all().delete()  # as just after the migration, on existing data
    groups = team_groups()
    before = team_flow(scope=Scope(groups=groups))  # read from the help links until the roll-up exists
    assert before.total == 2 and before == team_flow_from_links(scope=Scope(groups=groups))
    with transaction.atomic():  # the next event read: here a member added
        record("member.added", programme=Programme.objects.create(name="G", slug="g").pk, person=ana.pk)
    assert_incremental_matches_from_scratch()
    assert snapshot() != set()


def test_only_team_changes_are_recorded_and_one_delivery_is_queued_per_transaction(commit):
    (ana,) = people_in("Data", 1)
    Team.objects.create(name="Ops", slug="ops")
    programme = Programme.objects.create(name="Guild", slug="guild")
    run_pending_tasks()
    before = last_event_id()

    def queued() -> list[str]:
        return [
            name
            for name in queued_task_names()
            if name == "openhelp.platform.outbox.tasks.deliver_events_task"
        ]

    with commit():
        update_profile(profile=Profile.objects.get(user=ana), headline="Happy to help")
    assert kinds_recorded(after=before) == [] and queued() == []
    with commit(), transaction.atomic():
        move(ana, "Ops")
        move(ana, "Data")
        join(programme, ana)
    assert kinds_recorded(after=before) == ["profile.team_changed", "profile.team_changed", "member.added"]
    assert queued() == ["openhelp.platform.outbox.tasks.deliver_events_task"]  # one per transaction


def test_rebuild_help_links_rebuilds_the_flow_too(org):
    TeamFlow.objects.update(sessions=99)  # as if a change had bypassed every event
    rebuild_help_links()
    assert_incremental_matches_from_scratch()


def test_team_sizes_count_people_without_a_team_or_a_profile(org):
    from django.db.models import Count

    from openhelp.platform.accounts.models import User

    User.objects.create(email="no-profile@example.org", password="!")  # noqa: S106
    rows = User.objects.values("profile__team__name").annotate(n=Count("pk", distinct=True))
    expected = {(row["profile__team__name"] or "No team"): row["n"] for row in rows}
    assert team_groups().sizes == expected == {"Data": 6, "Design": 5, "Ops": 2, "No team": 4}


def test_no_periodic_reconcile_is_left_only_delivery_and_the_knowledge_nodes():
    from openhelp.platform.core.periodic import registered_jobs

    jobs = {job.name for job in registered_jobs()}
    assert "network.team_flow" not in jobs and "insights.refresh_recent" not in jobs
    assert {"outbox.deliver", "network.knowledge_nodes"} <= jobs
