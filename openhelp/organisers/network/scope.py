"""Who may see the helper network, and the population a view is about (programme, team, months).

Organisers (``user.is_organiser``) see everyone; a programme organiser sees only their programmes'
members; everyone else gets a 404. Figures by team follow the k-anonymity release of ``openhelp.organisers.insights.privacy``,
the same as the insights dashboard: teams are merged into shown groups (teams with fewer than five people
in the organisation into "Other"), and a programme is shown only when the release allows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from openhelp.directory.programmes.models import Programme
from openhelp.organisers.insights.access import may_view
from openhelp.organisers.insights.population import NO_TEAM
from openhelp.organisers.insights.population import current as current_people
from openhelp.organisers.insights.privacy import OTHER_LABEL
from openhelp.organisers.network.models import NO_TEAM_ID
from openhelp.platform.accounts.models import User


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
    refusal: str | None = None  # why nothing is shown (a withheld or too small population)

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
    """People per team in the population viewed and each team's shown label, from the one k-anonymity
    release of ``openhelp.organisers.insights.privacy`` (read by ``openhelp.organisers.insights.population``): the same groups as the insights
    dashboard, for the organisation and within every programme. A programme the release withholds (too
    small, or one that would let a smaller group be computed from the organisation's figures) maps every
    team to None: nothing is shown (``hidden``)."""
    people = current_people()
    released = people.release
    programme_id = programme.pk if programme is not None else None
    sizes = people.team_sizes(programme_id)
    names = {NO_TEAM_ID: NO_TEAM, **{pk: name for pk, name in people.team_names.items() if name in sizes}}
    refusal = released.refusal(programme=programme_id)
    if refusal is not None:
        return TeamGroups(sizes=sizes, mapping=dict.fromkeys(sizes), names=names, refusal=refusal)
    mapping = {team: released.labels.get(team) for team in sizes}
    return TeamGroups(sizes=sizes, mapping=mapping, names=names)


def team_q(prefix: str, teams: list[str]) -> Q:
    """People (reached through ``prefix``, e.g. ``user__``) whose team is one of these names."""
    named = [team for team in teams if team != NO_TEAM]
    query = Q(**{f"{prefix}profile__team__name__in": named})
    if NO_TEAM in teams:
        query |= Q(**{f"{prefix}profile__team__isnull": True})
    return query
