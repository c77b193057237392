"""The one place the application asks for the current time (so tests can travel with time-machine)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def local_now(tz_name: str) -> dt.datetime:
    return now().astimezone(ZoneInfo(tz_name))


def start_of_week(moment: dt.datetime, tz_name: str) -> dt.datetime:
    """Monday 00:00 of the week that contains ``moment``, in the person's zone, returned as an aware time."""
    local = moment.astimezone(ZoneInfo(tz_name))
    monday = (local - dt.timedelta(days=local.weekday())).date()
    return dt.datetime.combine(monday, dt.time.min, tzinfo=ZoneInfo(tz_name))
