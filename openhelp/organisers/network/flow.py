"""Cross-team flow: completed sessions from the helper's team to the helped person's team.

Read from the ``TeamFlow`` roll-up (``openhelp.organisers.network.teamflow``): sessions per month and (helper team, helped
team), kept for the organisation and for each programme's members, by people's **current** team. The cost
is bounded by the number of teams and months, not people or links: people per team (for the k-anonymity
merge, made by the filter form, which also names the team ids), then the roll-up's rows of the months asked
for (each team pair's all-months total when no month is chosen), summed per team pair by the database. Both axes are
merged with the same mapping, so "Other" always covers at least five people, and the cells add up to the
true total of the population viewed. ``team_flow_from_links`` is the same figure computed from every help link and person (the method
used before the roll-up existed): the tests and bench/network.py check the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Sum

from openhelp.directory.people.models import Profile
from openhelp.organisers.network.models import ALL_MONTHS, HelpLink, TeamFlow
from openhelp.organisers.network.scope import NO_TEAM, Scope, population
from openhelp.organisers.network.teamflow import is_built

CHUNK = 20_000


@dataclass(frozen=True)
class FlowRow:
    team: str
    cells: list[int]
    total: int


@dataclass(frozen=True)
class Flow:
    labels: list[str]  # row and column order
    rows: list[FlowRow]
    column_totals: list[int]
    total: int
    hidden: bool  # the population may not be shown (insights.privacy): nothing is
    reason: str = ""  # why, when hidden

    @property
    def max_cell(self) -> int:
        return max((value for row in self.rows for value in row.cells), default=0)


def team_flow(*, scope: Scope) -> Flow:
    if not is_built():
        # Not built yet (just after deploying onto existing data, until the first reconcile or
        # ``rebuild_network``): the slow, exact way, rather than an empty heat map.
        return team_flow_from_links(scope=scope)
    rows = TeamFlow.objects.all()
    if scope.programme is not None:
        rows = rows.filter(programme=scope.programme)
    else:
        rows = rows.filter(programme__isnull=True)
    if scope.start or scope.end:
        rows = rows.filter(month__gt=ALL_MONTHS)
        if scope.start:
            rows = rows.filter(month__gte=scope.start)
        if scope.end:
            rows = rows.filter(month__lte=scope.end)
        pairs = rows.order_by().values_list("helper_team", "helped_team").annotate(n=Sum("sessions"))
    else:  # one row per team pair, its total over all months: nothing to sum
        pairs = rows.filter(month=ALL_MONTHS).order_by().values_list("helper_team", "helped_team", "sessions")
    labels = scope.groups.shown
    position = {label: i for i, label in enumerate(labels)}
    mapping = scope.groups.mapping
    # Each team id's row/column (None = not shown). A team id missing from ``names`` has nobody in the
    # population (a deleted team whose people the next reconcile moves to "no team"): it is dropped, as a
    # group not in the people counts always is.
    index_of = {team: position.get(mapping.get(name)) for team, name in scope.groups.names.items()}
    matrix = [[0] * len(labels) for _ in labels]
    with connection.cursor() as cursor:  # tens of thousands of (int, int, int): no per-row converters
        cursor.execute(*pairs.query.get_compiler(using=pairs.db).as_sql())
        for helper_team, helped_team, sessions in cursor.fetchall():
            source, target = index_of.get(helper_team), index_of.get(helped_team)
            if source is not None and target is not None:
                matrix[source][target] += sessions
    return _flow(scope, matrix)


def team_flow_from_links(*, scope: Scope) -> Flow:
    """The same figure from every help link of the period and every person's team (no roll-up)."""
    links = HelpLink.objects.filter(sessions__gt=0)
    if scope.start:
        links = links.filter(month__gte=scope.start)
    if scope.end:
        links = links.filter(month__lte=scope.end)
    profiles = Profile.objects.order_by()
    if scope.programme is not None:
        members = population(scope.programme)
        links = links.filter(helper__in=members, helped__in=members)
        profiles = profiles.filter(user__in=members)
    team_of = dict(profiles.values_list("user_id", "team__name").iterator(CHUNK))
    mapping = scope.groups.mapping
    cells: dict[tuple[str, str], int] = {}
    rows = links.order_by().values_list("helper_id", "helped_id", "sessions").iterator(CHUNK)
    for helper, helped, sessions in rows:
        source = mapping.get(team_of.get(helper) or NO_TEAM)
        target = mapping.get(team_of.get(helped) or NO_TEAM)
        if source is None or target is None:
            continue
        cells[(source, target)] = cells.get((source, target), 0) + sessions
    labels = scope.groups.shown
    return _flow(scope, [[cells.get((a, b), 0) for b in labels] for a in labels])


def _flow(scope: Scope, matrix: list[list[int]]) -> Flow:
    """The figure from the merged matrix (rows: helper team, columns: helped team, in ``shown`` order);
    a team filter keeps the row and the column of that team."""
    labels = scope.groups.shown
    if scope.team:
        keep = labels.index(scope.team) if scope.team in labels else -1
        matrix = [
            [value if keep in (i, j) else 0 for j, value in enumerate(cells)]
            for i, cells in enumerate(matrix)
        ]
    rows = [
        FlowRow(team=label, cells=cells, total=sum(cells))
        for label, cells in zip(labels, matrix, strict=True)
    ]
    column_totals = [sum(column) for column in zip(*matrix, strict=True)] if labels else []
    mapping = scope.groups.mapping
    hidden = bool(mapping) and all(label is None for label in mapping.values())
    return Flow(
        labels=labels,
        rows=rows,
        column_totals=column_totals,
        total=sum(column_totals),
        hidden=hidden,
        reason=(scope.groups.refusal or "") if hidden else "",
    )
