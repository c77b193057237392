"""Who is in which team and programme, read once per report, and the k-anonymous ``Release`` of it.

The one place organisers' figures (insights and the helper network) learn which sets of people they may
show: ``openhelp.organisers.insights.privacy.release`` over every account's (team, programmes). Cost: people per team
(grouped on the profile's team index), the number of accounts, the teams' names and one row per
programme membership, so it grows with memberships, not with activity.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from openhelp.directory.people.models import Profile, Team
from openhelp.directory.programmes.models import Membership
from openhelp.organisers.insights.privacy import MIN_GROUP_SIZE, Release, release
from openhelp.platform.accounts.models import User

NO_TEAM = "No team"


@dataclass(frozen=True)
class People:
    release: Release
    team_names: dict[int, str]  # team id → name (the label ``release`` knows it by)
    members: dict[tuple[int, str], int]  # (programme id, team name) → members

    def team_label(self, team_id: int | None) -> str:
        """The name a team id is known by (``NO_TEAM`` for none; a placeholder for an unknown id)."""
        if team_id is None:
            return NO_TEAM
        name = self.team_names.get(team_id, NO_TEAM)
        # A real team called "No team" shares its group with the people without a team: its own filter
        # would select fewer people than that group, so it is not a group it can be shown as.
        return f"#{team_id}" if name == NO_TEAM else name

    def shown_group(self, team_id: int | None) -> str | None:
        """The group a team's people are counted in (teams nobody is in now count as no team)."""
        name = self.team_names.get(team_id, NO_TEAM) if team_id is not None else NO_TEAM
        labels = self.release.labels
        return labels.get(name) if name in labels else labels.get(NO_TEAM)

    def team_sizes(self, programme: int | None = None) -> dict[str, int]:
        """People per team name, in the organisation or among a programme's members."""
        if programme is None:
            return {name: n for name, n in self.release.team_sizes.items() if n}
        return {name: n for (p, name), n in self.members.items() if p == programme and n}


def current(*, min_size: int = MIN_GROUP_SIZE) -> People:
    """Everyone's team and programmes now (accounts without a profile or a team count as ``NO_TEAM``)."""
    names = dict(Team.objects.order_by().values_list("pk", "name"))
    # COUNT(*), not COUNT(id): PostgreSQL then reads the team index alone instead of every profile row.
    per_team = Profile.objects.order_by().values_list("team_id").annotate(n=Count("*")).order_by()
    sizes: Counter = Counter()
    for team_id, n in per_team:
        sizes[names.get(team_id, NO_TEAM) if team_id is not None else NO_TEAM] += n
    sizes[NO_TEAM] += User.objects.count() - sum(sizes.values())  # accounts without a profile
    programmes_of: dict[int, set[int]] = defaultdict(set)
    team_of: dict[int, str] = {}
    rows = Membership.objects.order_by().values_list("user_id", "programme_id", "user__profile__team_id")
    for user_id, programme_id, team_id in rows:
        programmes_of[user_id].add(programme_id)
        team_of[user_id] = names.get(team_id, NO_TEAM) if team_id is not None else NO_TEAM
    patterns: Counter = Counter()
    members: Counter = Counter()
    for user_id, programmes in programmes_of.items():
        team = team_of[user_id]
        patterns[(team, frozenset(programmes))] += 1
        sizes[team] -= 1  # counted with their programmes instead
        for programme in programmes:
            members[(programme, team)] += 1
    for team, n in sizes.items():
        if n > 0:
            patterns[(team, frozenset())] += n
    return People(release=release(patterns, min_size=min_size), team_names=names, members=dict(members))
