"""The insights roll-ups read the outbox (consumer ``insights``): each batch of domain events becomes
the set of UTC days it touched, and ``rollup.refresh_days`` re-derives those days (and their ISO weeks)
from the raw tables in the delivery's transaction, with the cursor.

Re-deriving is what makes delivery idempotent: handling an event twice recomputes the same days from the
same state. Where a change moved something away (a session's previous start, a person's previous team),
the day it left is in the event's payload or still in the roll-ups (``days_of_person``), since the
roll-ups are only rewritten here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from openhelp.community.moments.models import Moment
from openhelp.help.asks.models import Ask
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.organisers.insights import rollup
from openhelp.organisers.insights.models import AskDay, PersonWeek, SessionDay
from openhelp.organisers.insights.rollup import utc_day
from openhelp.platform.outbox.kinds import KINDS
from openhelp.platform.outbox.models import Event

NAME = "insights"
ASK_KINDS = {kind for kind in KINDS if kind.startswith("ask.")}
SESSION_KINDS = {kind for kind in KINDS if kind.startswith("session.")}
PEOPLE_KINDS = {"person.imported", "profile.team_changed"}
OTHER_KINDS = {"moment.logged", "moment.deleted", "team.deleted", "person.deleted"}
KINDS_READ = ASK_KINDS | SESSION_KINDS | PEOPLE_KINDS | OTHER_KINDS
CHUNK = 500


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _moment(value: dt.datetime | str | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)


class _Touched:
    """What a batch of events touched: ids to look up (a query per kind of id) and days already known."""

    def __init__(self) -> None:
        self.asks: set[int] = set()
        self.sessions: set[int] = set()
        self.moments: set[int] = set()
        self.people: set[int] = set()
        self.days: set[dt.date] = set()
        self.parties: set[int] = set()  # everyone whose week rows these events can change

    def add(self, event: Event) -> None:
        payload, kind = event.payload, event.kind
        if kind in ASK_KINDS:
            self.asks.add(payload["ask"])
        elif kind in SESSION_KINDS:
            self.sessions.add(payload["session"])
            previous = _moment(payload.get("previous_starts_at"))
            self.days |= {utc_day(previous)} if previous else set()
        elif kind == "moment.logged":
            self.moments.add(payload["moment"])
        elif kind == "moment.deleted":
            self.days.add(utc_day(_moment(payload["created_at"])))
            self.parties.add(payload["author"])
        elif kind in PEOPLE_KINDS and payload.get("team") != payload.get("previous_team"):
            self.people.add(payload["person"])
        elif kind == "person.deleted":
            self.people.add(payload["person"])  # their weeks are still in the roll-ups until refreshed here
        elif kind == "team.deleted":
            self.people.update(payload.get("members", ()))
            self.days |= _days_of_team(payload["team"])

    def all_days(self) -> set[dt.date]:
        """Every day touched; ``parties`` is complete once this ran."""
        days = set(self.days)
        for chunk in _chunks(self.asks):
            for created, mentee in Ask.objects.filter(pk__in=chunk).values_list("created_at", "mentee_id"):
                days.add(utc_day(created))
                self.parties.add(mentee)
        for chunk in _chunks(self.sessions):
            rows = Session.objects.filter(pk__in=chunk).values_list(
                "starts_at", "created_at", "mentor_id", "mentee_id"
            )
            for start, created, mentor, mentee in rows:
                days.add(utc_day(start or created))
                self.parties |= {mentor, mentee}
        for chunk in _chunks(self.moments):
            for created, author in Moment.objects.filter(pk__in=chunk).values_list("created_at", "author_id"):
                days.add(utc_day(created))
                self.parties.add(author)
        for person in sorted(self.people):
            days |= days_of_person(person)
        self.parties |= self.people
        return days


def touched_by(events: list[Event]) -> tuple[set[dt.date], set[int]]:
    """Every day whose roll-up rows these events can change, and everyone whose week rows they can change
    (a handful of queries per batch)."""
    touched = _Touched()
    for event in events:
        touched.add(event)
    return touched.all_days(), touched.parties


def days_of_person(user_id: int) -> set[dt.date]:
    """Every day of every week this person appears in the roll-ups, plus the days of their cancelled
    sessions as mentee (counted by the mentee's team but absent from ``PersonWeek``): two queries."""
    weeks = PersonWeek.objects.filter(user_id=user_id).values_list("week", flat=True).distinct()
    days = {week + dt.timedelta(days=i) for week in weeks for i in range(7)}
    cancelled = Session.objects.filter(mentee_id=user_id, state=SessionState.CANCELLED)
    days |= {utc_day(start or created) for start, created in cancelled.values_list("starts_at", "created_at")}
    return days


def _days_of_team(team_id: int) -> set[dt.date]:
    """The days counted under a deleted team (its rows are re-derived as "no team")."""
    days = set(AskDay.objects.filter(team_id=team_id).values_list("day", flat=True).distinct())
    days |= set(SessionDay.objects.filter(team_id=team_id).values_list("day", flat=True).distinct())
    for week in PersonWeek.objects.filter(team_id=team_id).values_list("week", flat=True).distinct():
        days |= {week + dt.timedelta(days=i) for i in range(7)}
    return days


def handle(events: list[Event]) -> None:
    days, parties = touched_by(events)
    rollup.refresh_days(days, people=parties)
