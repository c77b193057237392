"""The team-flow roll-up: completed sessions per (programme or organisation, month, helper team, helped
team), plus each team pair's all-months total, so the cross-team flow reads one row per team pair (per
month when a range is chosen) instead of every help link and every person.

**Which team counts: the current one.** The heat map shows today's org chart: when someone changes team,
all their past sessions move with them. So a cell depends on help links *and* on people's teams and
programme memberships, and every path re-derives cells from the current state (never applies a delta):

- ``refresh_for_pairs`` — after ``openhelp.organisers.network.rollup.refresh_pairs`` re-derived some helper → helped pairs,
  the cells (helper's team, helped person's team) of the organisation and of each programme both belong
  to are recomputed from the help-link table;
- ``reconcile`` — compares the teams and memberships the roll-up counted (``TeamFlowPerson``,
  ``TeamFlowMember``) with the live profiles and memberships, recomputes every cell of each team that
  someone left or joined (in the organisation and in the programmes concerned), then records the new
  state. ``openhelp.organisers.network.consumer`` runs it for the team and membership events in the outbox (imports and
  members added in bulk included, and a deleted team moving its people to "no team" by SET NULL);
- ``rebuild_team_flow`` — everything from scratch in one pass over the help links (``rebuild_network``,
  and by ``rebuild_help_links``). The tests prove the incremental paths give the same table.

Like ``refresh_pairs``, a refresh deletes the rows it re-derives first, so on PostgreSQL a concurrent
refresh of the same cells waits on those row locks; two refreshes inserting the same new cell make one
fail on the unique constraint, and the task's retry re-derives it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum

from openhelp.directory.people.models import Profile
from openhelp.directory.programmes.models import Membership
from openhelp.organisers.network.models import (
    ALL_MONTHS,
    NO_TEAM_ID,
    HelpLink,
    TeamFlow,
    TeamFlowMember,
    TeamFlowPerson,
)
from openhelp.platform.accounts.models import User

BATCH = 5_000
CHUNK = 900  # ids per IN (…) list: below SQLite's default limit on variables, with room for the rest
# A reconcile touching more people than this (a first run, a large import) rebuilds everything instead:
# one pass over the help links is then cheaper than re-deriving team after team.
FULL_REBUILD_PEOPLE = 2_000

Cell = tuple[int | None, dt.date, int, int]  # (programme id or None, month, helper team, helped team)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# --- from scratch -----------------------------------------------------------------------------------------


def _derive_all() -> tuple[dict[Cell, int], dict[int, int], dict[int, set[int]]]:
    """Every cell, with the teams and memberships it was counted with (one pass over the help links)."""
    team_of = {
        person: team
        for person, team in Profile.objects.order_by().values_list("user_id", "team_id").iterator(BATCH)
        if team is not None
    }
    programmes_of: dict[int, set[int]] = defaultdict(set)
    for programme, person in (
        Membership.objects.order_by().values_list("programme_id", "user_id").iterator(BATCH)
    ):
        programmes_of[person].add(programme)
    cells: dict[Cell, int] = defaultdict(int)
    links = HelpLink.objects.filter(sessions__gt=0).order_by()
    rows = links.values_list("helper_id", "helped_id", "month", "sessions").iterator(BATCH)
    for helper, helped, month, sessions in rows:
        source, target = team_of.get(helper, NO_TEAM_ID), team_of.get(helped, NO_TEAM_ID)
        cells[(None, month, source, target)] += sessions
        if helper in programmes_of and helped in programmes_of:
            for programme in programmes_of[helper] & programmes_of[helped]:
                cells[(programme, month, source, target)] += sessions
    return cells, team_of, programmes_of


def with_totals(cells: dict[Cell, int]) -> dict[Cell, int]:
    """The month cells plus, for each team pair, its all-months total (month ``ALL_MONTHS``), which the
    flow reads when no month is chosen. Every refresh re-derives whole pairs (all their months), so the
    totals can always be summed from the cells being written."""
    out = {cell: n for cell, n in cells.items() if n}
    for (programme, _month, source, target), n in list(out.items()):
        key = (programme, ALL_MONTHS, source, target)
        out[key] = out.get(key, 0) + n
    return out


def from_scratch() -> dict[Cell, int]:
    """Every row the table should hold, computed from the help links and current teams and memberships
    (no writes)."""
    return with_totals(_derive_all()[0])


def rebuild_team_flow() -> int:
    """Derive the whole roll-up (and the teams and memberships it counted) again; returns the cells."""
    with transaction.atomic():
        TeamFlow.objects.all().delete()
        TeamFlowPerson.objects.all().delete()
        TeamFlowMember.objects.all().delete()
        cells, team_of, programmes_of = _derive_all()
        _insert(cells)
        TeamFlowPerson.objects.bulk_create(
            (TeamFlowPerson(person=person, team=team) for person, team in team_of.items()), batch_size=BATCH
        )
        TeamFlowMember.objects.bulk_create(
            (
                TeamFlowMember(programme_id=programme, person=person)
                for person, programmes in programmes_of.items()
                for programme in programmes
            ),
            batch_size=BATCH,
        )
    return len(cells)


def _insert(cells: dict[Cell, int]) -> None:
    """Write these month cells (of whole team pairs) and their all-months totals."""
    TeamFlow.objects.bulk_create(
        (
            TeamFlow(programme_id=programme, month=month, helper_team=source, helped_team=target, sessions=n)
            for (programme, month, source, target), n in with_totals(cells).items()
        ),
        batch_size=BATCH,
    )


# --- part of the table ------------------------------------------------------------------------------------


def _people_in(field: str, teams: set[int]) -> Q:
    """Help links whose ``field`` (helper_id / helped_id) is a person currently in one of these teams."""
    named = sorted(team for team in teams if team != NO_TEAM_ID)
    parts = []
    if named:
        parts.append(Q(**{f"{field}__in": Profile.objects.filter(team_id__in=named).values("user_id")}))
    if NO_TEAM_ID in teams:
        without = User.objects.filter(Q(profile__isnull=True) | Q(profile__team__isnull=True)).values("pk")
        parts.append(Q(**{f"{field}__in": without}))
    return reduce(or_, parts, Q(pk__in=[]))


def _scope_q(programme: int | None) -> Q:
    return Q(programme__isnull=True) if programme is None else Q(programme_id=programme)


def _derive(
    programme: int | None, *, helper_teams: set[int] | None = None, helped_teams: set[int] | None = None
) -> dict[Cell, int]:
    """The cells of one scope whose helper team / helped team is in these sets (None = any), from the
    help links and the current teams and memberships: one grouped query."""
    links = HelpLink.objects.filter(sessions__gt=0)
    if helper_teams is not None:
        links = links.filter(_people_in("helper_id", helper_teams))
    if helped_teams is not None:
        links = links.filter(_people_in("helped_id", helped_teams))
    if programme is not None:
        members = Membership.objects.filter(programme_id=programme).values("user_id")
        links = links.filter(helper_id__in=members, helped_id__in=members)
    rows = (
        links.order_by()
        .values_list("month", "helper__profile__team_id", "helped__profile__team_id")
        .annotate(n=Sum("sessions"))
    )
    return {
        (programme, month, source or NO_TEAM_ID, target or NO_TEAM_ID): n for month, source, target, n in rows
    }


def _refresh_teams(programme: int | None, teams: set[int]) -> None:
    """Re-derive every cell of the scope in which one of these teams helps or is helped."""
    if not teams:
        return
    TeamFlow.objects.filter(_scope_q(programme)).filter(
        Q(helper_team__in=teams) | Q(helped_team__in=teams)
    ).delete()
    cells = _derive(programme, helper_teams=teams)
    cells.update(_derive(programme, helped_teams=teams))
    _insert(cells)


def _refresh_cells(programme: int | None, pairs: set[tuple[int, int]]) -> None:
    """Re-derive the cells (every month) of these (helper team, helped team) pairs in one scope."""
    for source, target in sorted(pairs):
        TeamFlow.objects.filter(_scope_q(programme), helper_team=source, helped_team=target).delete()
        _insert(_derive(programme, helper_teams={source}, helped_teams={target}))


def is_built() -> bool:
    """False until the first rebuild (e.g. just after deploying onto existing data)."""
    return TeamFlow.objects.exists() or TeamFlowPerson.objects.exists()


def refresh_for_pairs(pairs: Iterable[tuple[int, int]]) -> None:
    """The cells these helper → helped pairs count in, after their help links were re-derived."""
    pairs = {(int(a), int(b)) for a, b in pairs if a is not None and b is not None and a != b}
    people = {person for pair in pairs for person in pair}
    if not people:
        return
    if not is_built():
        rebuild_team_flow()
        return
    team_of: dict[int, int] = {}
    programmes_of: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(people):
        team_of.update(
            Profile.objects.filter(user_id__in=chunk, team__isnull=False).values_list("user_id", "team_id")
        )
        for programme, person in Membership.objects.filter(user_id__in=chunk).values_list(
            "programme_id", "user_id"
        ):
            programmes_of[person].add(programme)
    wanted: dict[int | None, set[tuple[int, int]]] = defaultdict(set)
    for helper, helped in pairs:
        teams = (team_of.get(helper, NO_TEAM_ID), team_of.get(helped, NO_TEAM_ID))
        wanted[None].add(teams)
        for programme in programmes_of[helper] & programmes_of[helped]:
            wanted[programme].add(teams)
    with transaction.atomic():
        for programme, cells in wanted.items():
            _refresh_cells(programme, cells)


# --- teams and memberships --------------------------------------------------------------------------------


def _changes() -> tuple[dict[int, int], dict[int, int], set[tuple[int, int]], set[tuple[int, int]]]:
    """What moved since the roll-up last counted: (person → team counted, person → current team) for
    people whose team differs, and the memberships added and removed. Four anti-joins on indexes."""
    same_person = TeamFlowPerson.objects.filter(person=OuterRef("user_id"), team=OuterRef("team_id"))
    joined = dict(
        Profile.objects.filter(team__isnull=False)
        .exclude(Exists(same_person))
        .values_list("user_id", "team_id")
    )
    same_profile = Profile.objects.filter(user_id=OuterRef("person"), team_id=OuterRef("team"))
    left = dict(TeamFlowPerson.objects.exclude(Exists(same_profile)).values_list("person", "team"))
    same_member = TeamFlowMember.objects.filter(
        programme_id=OuterRef("programme_id"), person=OuterRef("user_id")
    )
    added = set(Membership.objects.exclude(Exists(same_member)).values_list("programme_id", "user_id"))
    same_membership = Membership.objects.filter(
        programme_id=OuterRef("programme_id"), user_id=OuterRef("person")
    )
    removed = set(
        TeamFlowMember.objects.exclude(Exists(same_membership)).values_list("programme_id", "person")
    )
    return left, joined, added, removed


def _teams_counted_and_now(people: set[int], left: dict[int, int], joined: dict[int, int]):
    """(team counted, team now) of these people: the moved ones from the comparison, the others from
    their record (unchanged, so both the same); absent = no team."""
    counted, current = dict(left), dict(joined)
    unchanged = people - set(left) - set(joined)
    for chunk in _chunks(unchanged):
        for person, team in TeamFlowPerson.objects.filter(person__in=chunk).values_list("person", "team"):
            counted[person] = current[person] = team
    return counted, current


def _programmes_of(people: set[int]) -> dict[int, set[int]]:
    """The programmes these people are in now or were counted in."""
    found: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(people):
        now = Membership.objects.filter(user_id__in=chunk).values_list("programme_id", "user_id")
        before = TeamFlowMember.objects.filter(person__in=chunk).values_list("programme_id", "person")
        for programme, person in [*now, *before]:
            found[person].add(programme)
    return found


def _record(moved: set[int], joined: dict[int, int], added: set, removed: set) -> None:
    for chunk in _chunks(moved):
        TeamFlowPerson.objects.filter(person__in=chunk).delete()
    TeamFlowPerson.objects.bulk_create(TeamFlowPerson(person=p, team=t) for p, t in joined.items())
    for programme, person in removed:
        TeamFlowMember.objects.filter(programme_id=programme, person=person).delete()
    TeamFlowMember.objects.bulk_create(TeamFlowMember(programme_id=p, person=u) for p, u in added)


def reconcile() -> int:
    """Bring the roll-up in line with people's current teams and programme memberships; returns how many
    people it re-counted. Idempotent: it compares states, so a late, repeated or lost run does no harm.

    Someone who moved from team A to B changes every cell of A and of B, in the organisation and in each
    programme they are (or were) in; a member added to or removed from a programme changes that
    programme's cells of their team. Those cells are re-derived from the help links."""
    with transaction.atomic():
        if not is_built():
            rebuild_team_flow()  # the first run after deploying onto existing data
            return 0
        left, joined, added, removed = _changes()
        moved = set(left) | set(joined)
        everyone = moved | {person for _, person in added | removed}
        if not everyone:
            return 0
        if len(everyone) > FULL_REBUILD_PEOPLE:
            rebuild_team_flow()
            return len(everyone)
        counted, current = _teams_counted_and_now(everyone, left, joined)
        programmes_of = _programmes_of(moved)
        wanted: dict[int | None, set[int]] = defaultdict(set)
        for person in moved:
            teams = {counted.get(person, NO_TEAM_ID), current.get(person, NO_TEAM_ID)}
            for programme in [None, *programmes_of[person]]:
                wanted[programme] |= teams
        for programme, person in added | removed:
            wanted[programme] |= {counted.get(person, NO_TEAM_ID), current.get(person, NO_TEAM_ID)}
        for programme, teams in wanted.items():
            _refresh_teams(programme, teams)
        _record(moved, joined, added, removed)
    return len(everyone)
