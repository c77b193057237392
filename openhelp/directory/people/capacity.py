"""Capacity left this week: how many of the sessions a person offers are still free.

Later features (asks, office-hours bookings) know how many sessions a person has taken on; this module
does not import them. Instead each one registers a *capacity source* at start-up (in its AppConfig.ready)::

    from openhelp.directory.people.capacity import register_capacity_source

    def sessions_from_bookings(profile_ids, week_start, week_end):
        return {profile_id: sessions_used, ...}   # one query for all profiles

    register_capacity_source(sessions_from_bookings)

``capacity_left`` adds the sources up. With no source registered (asks and bookings arrive in later
features; each registers its own), every person has used 0 sessions. Each source runs one query for a
whole page of profiles, so a page costs a constant number of queries however many people it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from openhelp.directory.people.models import Profile
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.sql import InIds

CapacitySource = Callable[[list[int], dt.datetime, dt.datetime], dict[int, int]]

_sources: list[CapacitySource] = []


def register_capacity_source(func: CapacitySource) -> CapacitySource:
    """Add a source of sessions used; usable as a decorator. Registering twice counts once."""
    if func not in _sources:
        _sources.append(func)
    return func


def unregister_capacity_source(func: CapacitySource) -> None:
    if func in _sources:
        _sources.remove(func)


def owners(profile_ids: list[int]) -> QuerySet:
    """The user ids of these profiles, as a subquery for a source's ``<user column>__in``.

    A source filters its own rows by this rather than by ``<user>__profile__id``: the join through the
    profile made SQLite start from every row of the week (or every user) and look up each one's profile,
    about 100 ms at 100,000 people; by user id it reads the few rows of these people through the user
    column's index (10–16 ms), and PostgreSQL plans both alike."""
    return Profile.objects.filter(InIds("id", profile_ids)).values("user_id")


def current_week(moment: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 UTC to the next Monday 00:00 UTC (end excluded) around ``moment``.

    One week for everybody keeps a page to one query per source; a person far from UTC sees their week
    roll over a few hours early or late, which is accepted for a weekly budget.
    """
    moment = (moment or now()).astimezone(dt.UTC)
    monday = moment.date() - dt.timedelta(days=moment.weekday())
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=dt.UTC)
    return start, start + dt.timedelta(days=7)


@dataclass(frozen=True)
class Capacity:
    sessions_per_week: int | None
    minutes_per_week: int | None
    sessions_used: int = 0

    @property
    def sessions_left(self) -> int | None:
        if self.sessions_per_week is None:
            return None
        return max(self.sessions_per_week - self.sessions_used, 0)

    @property
    def is_full(self) -> bool:
        return self.sessions_left == 0

    @property
    def text(self) -> str:
        """'2 of 3 sessions left', 'No sessions left this week', 'Up to 90 minutes a week' or ''."""
        if self.sessions_per_week is not None:
            if self.sessions_left == 0:
                return "No sessions left this week"
            noun = "session" if self.sessions_per_week == 1 else "sessions"
            return f"{self.sessions_left} of {self.sessions_per_week} {noun} left"
        if self.minutes_per_week:
            return f"Up to {self.minutes_per_week} minutes a week"
        return ""

    def __str__(self) -> str:
        return self.text


def sessions_used(profile_ids: list[int], *, moment: dt.datetime | None = None) -> dict[int, int]:
    week_start, week_end = current_week(moment)
    totals = dict.fromkeys(profile_ids, 0)
    if not profile_ids:
        return totals
    for source in _sources:
        for profile_id, used in source(profile_ids, week_start, week_end).items():
            if profile_id in totals:
                totals[profile_id] += used
    return totals


def capacity_left(profiles: Iterable, *, moment: dt.datetime | None = None) -> dict[int, Capacity]:
    """Profile id → Capacity for every given profile, in one query per registered source."""
    profiles = list(profiles)
    used = sessions_used([profile.pk for profile in profiles], moment=moment)
    return {
        profile.pk: Capacity(
            sessions_per_week=profile.sessions_per_week,
            minutes_per_week=profile.minutes_per_week,
            sessions_used=used[profile.pk],
        )
        for profile in profiles
    }


def capacity_for(profile, *, moment: dt.datetime | None = None) -> Capacity:
    return capacity_left([profile], moment=moment)[profile.pk]
