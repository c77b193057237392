"""Cross-team flow: completed sessions from the helper's team to the helped person's team.

A fixed number of queries whatever the data size: people per team (for the k-anonymity merge, made by
the filter form), each person's team, and the help-link rows of the months asked for. Both axes are
merged with the same mapping, so "Other" always covers at least five people, and the cells add up to
the true total of the population viewed.
"""

from __future__ import annotations

from dataclasses import dataclass

from network.models import HelpLink
from network.scope import NO_TEAM, Scope, population
from people.models import Profile

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
    hidden: bool  # the whole population is under the group size: nothing can be shown

    @property
    def max_cell(self) -> int:
        return max((value for row in self.rows for value in row.cells), default=0)


def team_flow(*, scope: Scope) -> Flow:
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
    # Summed in Python over (helper, helped, sessions) with a person → team map: on SQLite this is several
    # times faster than grouping in SQL through two user → profile → team joins (bench/network.py).
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
    if scope.team:
        cells = {key: value for key, value in cells.items() if scope.team in key}
    labels = scope.groups.shown
    rows = [FlowRow(team=a, cells=[cells.get((a, b), 0) for b in labels], total=0) for a in labels]
    rows = [FlowRow(team=row.team, cells=row.cells, total=sum(row.cells)) for row in rows]
    column_totals = [sum(row.cells[i] for row in rows) for i in range(len(labels))]
    hidden = bool(mapping) and all(label is None for label in mapping.values())
    return Flow(
        labels=labels, rows=rows, column_totals=column_totals, total=sum(column_totals), hidden=hidden
    )
