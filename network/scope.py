"""Who may see the helper network, and the population a view is about (programme, team, months).

Organisers (``user.is_organiser``) see everyone; a programme organiser sees only their programmes'
members; everyone else gets a 404. Figures by team follow the k-anonymity rule of ``insights.privacy``:
teams with fewer than five people (in the population viewed) are merged into "Other".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from insights.access import may_view
from insights.privacy import OTHER_LABEL, group_labels
from network.models import NO_TEAM_ID
from people.models import Profile, Team
from programmes.models import Programme

NO_TEAM = "No team"


def require_viewer(user) -> None:
    """Raise a 404 for anyone but organisers: the pages' existence is not disclosed."""
    if not may_view(user):
        raise Http404


@dataclass(frozen=True)
class TeamGroups:
    """People per team in the population, and each team's shown label after the small-group merge."""

    sizes: dict[str, int]
    mapping: dict[str, str | None]
    names: dict[int, str] = field(default_factory=dict)  # team id → name, for the teams in ``sizes``

    @property
    def shown(self) -> list[str]:
        labels = sorted({label for label in self.mapping.values() if label and label != OTHER_LABEL})
        return labels + ([OTHER_LABEL] if OTHER_LABEL in self.mapping.values() else [])

    def members_of(self, shown: str) -> list[str]:
        return [team for team, label in self.mapping.items() if label == shown]


@dataclass(frozen=True)
class Scope:
    start: dt.date | None = None  # first day of the first month counted
    end: dt.date | None = None  # first day of the last month counted
    programme: Programme | None = None
    team: str | None = None  # a shown label (team name or "Other")
    groups: TeamGroups = field(default_factory=lambda: TeamGroups({}, {}))


def population(programme=None) -> QuerySet:
    people = User.objects.all()
    if programme is not None:
        people = people.filter(programme_memberships__programme=programme)
    return people


def team_groups(programme=None) -> TeamGroups:
    """People per team (``NO_TEAM`` for those without one or without a profile), then the k-anonymity
    merge. For the organisation: profiles counted per team id on the profile's team index (no join, no
    sort), the teams' names, and the number of accounts (people without a profile have no team) — three
    small queries; for a programme, one query over its members."""
    if programme is None:
        counts = list(Profile.objects.order_by().values_list("team_id").annotate(n=Count("pk")).order_by())
        team_names = dict(Team.objects.order_by().values_list("pk", "name"))
        rows = [{"team_id": team, "team__name": team_names.get(team), "n": n} for team, n in counts]
        without_profile = User.objects.count() - sum(n for _, n in counts)
        rows.append({"team_id": None, "team__name": None, "n": without_profile})
    else:
        rows = (
            population(programme)
            .values("profile__team_id", "profile__team__name")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        rows = [
            {"team_id": r["profile__team_id"], "team__name": r["profile__team__name"], "n": r["n"]}
            for r in rows
        ]
    sizes: dict[str, int] = {}
    names = {NO_TEAM_ID: NO_TEAM}
    for row in rows:
        if not row["n"]:
            continue
        name = row["team__name"] or NO_TEAM
        sizes[name] = sizes.get(name, 0) + row["n"]
        if row["team_id"] is not None:
            names[row["team_id"]] = name
    return TeamGroups(sizes=sizes, mapping=group_labels(sizes), names=names)


def team_q(prefix: str, teams: list[str]) -> Q:
    """People (reached through ``prefix``, e.g. ``user__``) whose team is one of these names."""
    named = [team for team in teams if team != NO_TEAM]
    query = Q(**{f"{prefix}profile__team__name__in": named})
    if NO_TEAM in teams:
        query |= Q(**{f"{prefix}profile__team__isnull": True})
    return query
