"""The helper network: who helped whom (a roll-up kept in step by background tasks), the latest computed
knowledge nodes, and each person's consent to be named in them.

``HelpLink`` is derived data: ``openhelp.organisers.network.rollup.rebuild_help_links`` recomputes it from the sessions, kudos
and introductions it comes from, and the tests prove the incremental path gives the same table.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from openhelp.platform.lib.clock import now


class HelpLink(models.Model):
    """Help that ``helper`` gave ``helped`` in one calendar month (UTC).

    Sources: a completed session (mentor → mentee), a public kudos (its receiver helped its giver) and a
    connected introduction (the introducer helped each of the two people introduced).
    """

    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helped = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month (UTC) the help happened in.")
    sessions = models.PositiveIntegerField(default=0)
    kudos = models.PositiveIntegerField(default=0)
    introductions = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["month", "helper_id", "helped_id"]
        constraints = [
            models.UniqueConstraint(fields=["helper", "helped", "month"], name="help_link_one_row_per_month"),
            models.CheckConstraint(condition=~models.Q(helper=models.F("helped")), name="help_link_not_self"),
        ]
        indexes = [models.Index(fields=["month"]), models.Index(fields=["helped", "helper"])]

    def __str__(self) -> str:
        return f"{self.helper_id} → {self.helped_id} ({self.month:%Y-%m})"

    @property
    def interactions(self) -> int:
        return self.sessions + self.kudos + self.introductions


class KnowledgeSnapshot(models.Model):
    """One computation of the knowledge nodes; only the latest is kept."""

    computed_at = models.DateTimeField(default=now)
    duration_ms = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0, help_text="People with at least one help link.")
    links = models.PositiveIntegerField(default=0, help_text="Distinct helper → helped pairs.")
    sample_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="Betweenness was estimated from this many sampled sources (k)."
    )
    seed = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"Knowledge nodes at {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def is_sampled(self) -> bool:
        return self.sample_size is not None


class KnowledgeNode(models.Model):
    """One person's standing in a snapshot. Names are shown only with their ``KnowledgeNodeConsent``."""

    snapshot = models.ForeignKey(KnowledgeSnapshot, on_delete=models.CASCADE, related_name="nodes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reliance = models.PositiveIntegerField(help_text="Distinct people this person helped.")
    interactions = models.PositiveIntegerField(help_text="Sessions, kudos and introductions, all counted.")
    brokerage = models.FloatField(help_text="Betweenness centrality (0–1) in the undirected helper graph.")
    teams_helped = models.PositiveIntegerField(help_text="Distinct teams of the people helped.")

    class Meta:
        ordering = ["-reliance", "-interactions", "user_id"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "user"], name="knowledge_node_once")]
        indexes = [
            models.Index(fields=["snapshot", "-reliance"]),
            models.Index(fields=["snapshot", "-brokerage"]),
        ]

    def __str__(self) -> str:
        return f"Node {self.user_id} in snapshot {self.snapshot_id}"


class KnowledgeNodeConsent(models.Model):
    """Whether this person's name may be shown when organisers list knowledge nodes (off unless chosen)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_node_consent"
    )
    named = models.BooleanField(
        default=False, help_text="Show my name when the organisers' insights list knowledge nodes."
    )
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Knowledge-node consent of {self.user_id}: {'named' if self.named else 'not named'}"


NO_TEAM_ID = 0  # the team key of people without a team (or without a profile) in the team-flow roll-up
ALL_MONTHS = dt.date(1, 1, 1)  # the month of a team pair's all-months total in the team-flow roll-up


class TeamFlow(models.Model):
    """Sessions a helper team gave a helped team in one calendar month, organisation-wide
    (``programme`` empty) or among one programme's members (both people members of it).

    Derived from ``HelpLink.sessions`` and people's **current** team: ``openhelp.organisers.network.teamflow`` re-derives the
    cells a change touched (a help link, a person changing team, a programme member added or removed) and
    ``rebuild_team_flow`` recomputes the table from scratch. Teams are keys (``Team`` ids, 0 = no team), not
    foreign keys, so a deleted team's rows wait for the refresh that moves its people to "no team".
    Only non-zero cells are stored, and for each team pair its total over all months (month
    ``ALL_MONTHS``), so that the flow of all time reads one row per team pair.
    """

    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(
        help_text="First day of the month (UTC), as in HelpLink; 0001-01-01 = all months."
    )
    helper_team = models.BigIntegerField(help_text="Team id of the helpers (0 = no team).")
    helped_team = models.BigIntegerField(help_text="Team id of the people helped (0 = no team).")
    sessions = models.PositiveIntegerField()

    class Meta:
        ordering = ["programme_id", "month", "helper_team", "helped_team"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "helper_team", "helped_team"],
                condition=models.Q(programme__isnull=True),
                name="team_flow_one_org_cell",
            ),
            models.UniqueConstraint(
                fields=["programme", "month", "helper_team", "helped_team"],
                condition=models.Q(programme__isnull=False),
                name="team_flow_one_programme_cell",
            ),
        ]
        indexes = [
            # Covers the flow's read: one scope's rows of a month range (or the all-months totals) in
            # team-pair order, summed without a visit to the table.
            models.Index(
                fields=["programme", "month", "helper_team", "helped_team", "sessions"], name="team_flow_read"
            ),
            # The refreshes' "every cell of these teams".
            models.Index(fields=["programme", "helper_team"], name="team_flow_helper_team"),
            models.Index(fields=["programme", "helped_team"], name="team_flow_helped_team"),
        ]

    def __str__(self) -> str:
        return f"{self.helper_team} → {self.helped_team} ({self.month:%Y-%m}, programme {self.programme_id})"


class TeamFlowPerson(models.Model):
    """The team a person was counted in by ``TeamFlow`` (people with a team only; absent = no team).

    ``person`` is a plain id, not a foreign key, so that a deleted person's record survives them: the
    refresh compares these rows with the current profiles and re-derives the teams of everyone who moved.
    """

    person = models.BigIntegerField(unique=True)
    team = models.BigIntegerField()

    def __str__(self) -> str:
        return f"Person {self.person} counted in team {self.team}"


class TeamFlowMember(models.Model):
    """A programme membership as ``TeamFlow`` counted it (compared with the live memberships)."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    person = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "person"], name="team_flow_member_once")]
        indexes = [models.Index(fields=["person"], name="team_flow_member_person")]

    def __str__(self) -> str:
        return f"Person {self.person} counted in programme {self.programme_id}"
