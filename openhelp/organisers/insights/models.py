"""Roll-ups behind the organisers' insights: small tables of pre-aggregated counts, one row per day (or
per person-week) and group, so the dashboard reads a bounded number of rows however large the raw data.

They are derived data: ``openhelp.organisers.insights.rollup.refresh_days`` rebuilds any set of days from the raw tables,
``openhelp.organisers.insights.consumer`` refreshes the days each domain event in the outbox touched (``DirtyDay`` marks are
from before the outbox; the periodic task drains any left).
Groups are stored as plain ids (``team_id``, ``programme_id``, ``skill_id``) rather than foreign keys:
a roll-up never blocks deleting a team and never cascades; stale ids are dropped by the next refresh.
An ask counts on the UTC day it was created; a session on the UTC day it starts (created, if async).

Some tables are derived from the others, in the same transaction as every refresh, so that the
unfiltered dashboard reads few rows at any size: organisation-wide day totals (``SkillTotalDay``,
``DurationTotalDay``), distinct active people over any range of weeks (``ActiveWeek``), and the mentors'
load over the standard periods (``LoadDistribution``, ``RecentLoad``).
"""

from __future__ import annotations

from django.db import models

DURATION_METRICS = (("accept", "Time to acceptance"), ("help", "Time to help"))


class DirtyDay(models.Model):
    """A day whose roll-ups an event changed. Rows are appended (never updated), so a refresh deletes
    only the rows it read and a mark made during the refresh is kept for the next one."""

    day = models.DateField()
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Dirty {self.day}"


class AskDay(models.Model):
    """Published asks by the day they were created and the mentee's team / the ask's programme."""

    day = models.DateField()
    team_id = models.IntegerField(null=True)
    programme_id = models.IntegerField(null=True)
    made = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0, help_text="Ended unmatched or expired.")
    completed = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "team_id", "programme_id"])]

    def __str__(self) -> str:
        return f"Asks {self.day}"


class SkillDay(models.Model):
    """The same per skill (an ask with three skills counts once for each)."""

    day = models.DateField()
    skill_id = models.IntegerField()
    team_id = models.IntegerField(null=True)
    programme_id = models.IntegerField(null=True)
    made = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    accept_minutes = models.BigIntegerField(default=0, help_text="Sum over accepted asks.")

    class Meta:
        # Covering: the ledger's grouped sums read the index alone.
        indexes = [
            models.Index(
                fields=[
                    "day",
                    "skill_id",
                    "team_id",
                    "programme_id",
                    "made",
                    "accepted",
                    "unmatched",
                    "accept_minutes",
                ]
            )
        ]

    def __str__(self) -> str:
        return f"Skill {self.skill_id} {self.day}"


class DurationDay(models.Model):
    """A histogram of durations (log-spaced minute buckets, see ``openhelp.organisers.insights.buckets``) for percentiles."""

    day = models.DateField()
    team_id = models.IntegerField(null=True)
    programme_id = models.IntegerField(null=True)
    metric = models.CharField(max_length=8, choices=DURATION_METRICS)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "metric", "bucket", "team_id", "programme_id", "count"])]

    def __str__(self) -> str:
        return f"{self.metric} {self.day} bucket {self.bucket}"


class SessionDay(models.Model):
    """Sessions by the day they start, the mentee's team and the programme; debrief outcomes and ratings.
    Feedback text is never copied: only how many debriefs carry some."""

    day = models.DateField()
    team_id = models.IntegerField(null=True)
    programme_id = models.IntegerField(null=True)
    held = models.PositiveIntegerField(default=0, help_text="Not cancelled.")
    completed = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    with_outcome = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_1 = models.PositiveIntegerField(default=0)
    rating_2 = models.PositiveIntegerField(default=0)
    rating_3 = models.PositiveIntegerField(default=0)
    rating_4 = models.PositiveIntegerField(default=0)
    rating_5 = models.PositiveIntegerField(default=0)
    feedback_texts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "team_id", "programme_id"])]

    def __str__(self) -> str:
        return f"Sessions {self.day}"


class PersonWeek(models.Model):
    """One person's activity in one ISO week (Monday): for distinct-people counts and mentor load."""

    week = models.DateField(help_text="The Monday.")
    user_id = models.IntegerField()
    team_id = models.IntegerField(null=True)
    programme_id = models.IntegerField(null=True)
    mentor_sessions = models.PositiveIntegerField(default=0, help_text="Not cancelled, as mentor.")
    mentee_sessions = models.PositiveIntegerField(default=0)
    asks = models.PositiveIntegerField(default=0)
    moments = models.PositiveIntegerField(default=0, help_text="Only on rows without a programme.")

    class Meta:
        indexes = [
            models.Index(
                fields=[
                    "week",
                    "team_id",
                    "programme_id",
                    "user_id",
                    "mentor_sessions",
                    "mentee_sessions",
                    "asks",
                ]
            ),
            models.Index(fields=["user_id", "week"]),
        ]

    def __str__(self) -> str:
        return f"Person {self.user_id} week {self.week}"


class SkillTotalDay(models.Model):
    """``SkillDay`` summed over every team and programme: what the unfiltered ledger reads (one row per
    day and skill instead of one per day, skill, team and programme). Derived from ``SkillDay``."""

    day = models.DateField()
    skill_id = models.IntegerField()
    made = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    accept_minutes = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["day", "skill_id", "made", "accepted", "unmatched", "accept_minutes"])
        ]

    def __str__(self) -> str:
        return f"Skill {self.skill_id} {self.day} (all)"


class DurationTotalDay(models.Model):
    """``DurationDay`` summed over every team and programme (the unfiltered view), with the day's ISO week
    so the weekly percentiles are summed by the database. Derived."""

    day = models.DateField()
    week = models.DateField(help_text="The Monday of the day.")
    metric = models.CharField(max_length=8, choices=DURATION_METRICS)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "week", "metric", "bucket", "count"])]

    def __str__(self) -> str:
        return f"{self.metric} {self.day} bucket {self.bucket} (all)"


ROLE_MENTEE, ROLE_MENTOR, ROLE_ANYONE = 1, 2, 3
ROLES = ((ROLE_MENTEE, "Mentee"), (ROLE_MENTOR, "Mentor"), (ROLE_ANYONE, "Anyone"))
WHOLE_ORGANISATION = 0  # ``scope`` of rows that count every programme (and none)


class ActiveWeek(models.Model):
    """Exact distinct-people counts over any range of weeks, derived from ``PersonWeek``.

    ``count`` people of ``team_id`` were active in ``role`` in ``week`` (within ``scope``: 0 = the whole
    organisation, else one programme) and were last active in that role and scope before it in
    ``previous_week`` (None: never before). The people active at least once in weeks [a, b] are then
    Σ count over a ≤ week ≤ b with previous_week < a or None (each person counted at their first active
    week of the range), and the people active in one week are Σ count over that week.
    """

    scope = models.IntegerField(help_text="0 = whole organisation, else a programme id.")
    team_id = models.IntegerField(null=True)
    role = models.PositiveSmallIntegerField(choices=ROLES)
    week = models.DateField(help_text="The Monday.")
    previous_week = models.DateField(null=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["scope", "week", "team_id", "role", "previous_week", "count"])]

    def __str__(self) -> str:
        return f"Active {self.get_role_display()} week {self.week} (after {self.previous_week})"


class LoadDistribution(models.Model):
    """How many mentors held how many sessions over a standard period (``openhelp.organisers.insights.figures.standard_periods``),
    by scope (0 = whole organisation, else a programme) and mentor's team (None = every team): exactly what
    the top-10 % share and the Gini need, which do not add up over arbitrary ranges. Kept by the refresh
    task for the current standard periods; a period whose weeks change is deleted in the same transaction.
    The row ``scope=0, team_id=None, sessions=0`` marks a period as computed (absent rows = no mentors)."""

    first_week = models.DateField()
    last_week = models.DateField()
    scope = models.IntegerField()
    team_id = models.IntegerField(null=True, help_text="None = every team.")
    sessions = models.PositiveIntegerField(help_text="Sessions one mentor held over the period.")
    mentors = models.PositiveIntegerField(help_text="Mentors who held exactly that many.")

    class Meta:
        indexes = [
            models.Index(fields=["first_week", "last_week", "scope", "team_id", "sessions", "mentors"])
        ]

    def __str__(self) -> str:
        return f"{self.mentors} mentors with {self.sessions} sessions, {self.first_week}–{self.last_week}"


class RecentLoad(models.Model):
    """Mentors who held sessions in both of the last two full weeks of a standard period (candidates for
    a burnout alert, which compares them with the capacity read live), by scope (0 = whole organisation,
    else a programme) and team (None = every team). Kept with ``LoadDistribution``; the row with
    ``user_id=0`` marks the pair of weeks as computed."""

    first_week = models.DateField()
    second_week = models.DateField()
    scope = models.IntegerField()
    team_id = models.IntegerField(null=True, help_text="None = every team.")
    user_id = models.IntegerField()
    first = models.PositiveIntegerField(help_text="Sessions as mentor in the first week.")
    second = models.PositiveIntegerField(help_text="Sessions as mentor in the second week.")

    class Meta:
        indexes = [models.Index(fields=["first_week", "second_week", "scope", "team_id", "user_id"])]

    def __str__(self) -> str:
        return f"Mentor {self.user_id}: {self.first}, {self.second} sessions from {self.first_week}"


class MomentDay(models.Model):
    """Moments logged by day and the author's team (moments belong to no programme)."""

    day = models.DateField()
    team_id = models.IntegerField(null=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "team_id", "count"])]

    def __str__(self) -> str:
        return f"Moments {self.day}"


class RollupVersion(models.Model):
    """One row, bumped in the same transaction as every roll-up change: the key of the report cache, so a
    cached dashboard is never older than the roll-ups it was computed from."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"insights roll-ups, version {self.version}"
