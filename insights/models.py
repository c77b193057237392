"""Roll-ups behind the organisers' insights: small tables of pre-aggregated counts, one row per day (or
per person-week) and group, so the dashboard reads a bounded number of rows however large the raw data.

They are derived data: ``insights.rollup.refresh_days`` rebuilds any set of days from the raw tables,
receivers mark the days an event touched (``DirtyDay``) and a background task refreshes them.
Groups are stored as plain ids (``team_id``, ``programme_id``, ``skill_id``) rather than foreign keys:
a roll-up never blocks deleting a team and never cascades; stale ids are dropped by the next refresh.
An ask counts on the UTC day it was created; a session on the UTC day it starts (created, if async).
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
    """A histogram of durations (log-spaced minute buckets, see ``insights.buckets``) for percentiles."""

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
