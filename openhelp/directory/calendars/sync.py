"""Keeping the cache of busy intervals: a full refresh of the window, or only what changed.

The window runs from a day ago to ``CALENDAR_SYNC_WEEKS`` ahead (the office-hours horizon). Each sync
asks the calendar for its state first: an unchanged sync token (or, without one, an unchanged ctag) means
nothing to do; a new sync token means a ``sync-collection`` report of just the changed and deleted
resources, whose rows are replaced. A full refresh (a ``calendar-query`` over the window, every row
replaced) runs the first time, when the server forgot our token, when it offers no token and the ctag
moved, and once a day so the window moves on (a recurring event's instances further out appear).
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from openhelp.directory.calendars import caldav
from openhelp.directory.calendars.expansion import busy_in
from openhelp.directory.calendars.models import (
    BusyInterval,
    CalendarConnection,
    ConnectionStatus,
    WrittenEvent,
)
from openhelp.directory.people.models import Profile
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.secrets import UNREADABLE_HINT, is_unreadable

logger = logging.getLogger(__name__)
FULL_REFRESH_EVERY = dt.timedelta(hours=24)


def sync_weeks() -> int:
    return int(getattr(settings, "CALENDAR_SYNC_WEEKS", 8))


def window(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return moment - dt.timedelta(days=1), moment + dt.timedelta(weeks=sync_weeks())


def client_for(connection: CalendarConnection) -> caldav.Client:
    """A client with the stored app password; a ``CalDAVError`` ("auth") without asking the server when no
    configured key opens that password (recorded on the connection like a refused one, so the page says it)."""
    if is_unreadable(connection.password):
        raise caldav.CalDAVError(
            "auth", f"The stored app password {UNREADABLE_HINT}: connect the calendar again."
        )
    return caldav.Client(username=connection.username, password=connection.password)


def own_uid_test(connection: CalendarConnection):
    """Whether a UID is one of the booking events we write (never counted as busy)."""
    host = urlsplit(settings.SITE_URL).hostname or "open-to-help"
    written = set(WrittenEvent.objects.filter(connection=connection).values_list("uid", flat=True))
    return lambda uid: uid in written or (uid.startswith("booking-") and uid.endswith("@" + host))


def sync_connection(connection_id: int) -> str:
    """Bring one connection's busy intervals up to date; returns what was done ("full", "changes",
    "unchanged", "failed" or "skipped"). Failures are recorded on the connection, not raised: the next
    periodic run tries again."""
    connection = CalendarConnection.objects.filter(pk=connection_id).first()
    if connection is None or not connection.busy_calendar_url:
        return "skipped"
    moment = now()
    url = connection.busy_calendar_url
    try:
        client = client_for(connection)
        token, ctag = client.state(url)
        full_due = (
            connection.last_full_sync_at is None
            or connection.last_full_sync_at <= moment - FULL_REFRESH_EVERY
        )
        if not full_due and token and connection.sync_token:
            if token == connection.sync_token:
                return _done(connection, moment, "unchanged")
            try:
                changes = client.changes_since(url, connection.sync_token)
            except caldav.SyncTokenExpired:
                return _full(connection, client, moment, token, ctag)
            if not _apply_changes(connection, changes, moment):
                return "skipped"
            return _done(connection, moment, "changes", token=changes.token or token, ctag=ctag)
        if not full_due and not token and ctag and ctag == connection.ctag:
            return _done(connection, moment, "unchanged")
        return _full(connection, client, moment, token, ctag)
    except caldav.CalDAVError as error:
        CalendarConnection.objects.filter(pk=connection.pk).update(
            status=ConnectionStatus.FAILING, last_error=error.message[:300]
        )
        logger.info(
            "Calendar sync failed for connection %s: %s (%s)", connection.pk, error.code, error.message
        )
        return "failed"


def _timezone(connection: CalendarConnection) -> str:
    return (
        Profile.objects.filter(user_id=connection.user_id).values_list("timezone", flat=True).first() or "UTC"
    )


def _rows(
    connection: CalendarConnection, resource: caldav.Resource, start, end, tz_name, ours
) -> list[BusyInterval]:
    if not resource.data:
        return []
    return [
        BusyInterval(
            connection=connection,
            user_id=connection.user_id,
            href=resource.href[:1000],
            uid=busy.uid[:500],
            starts_at=busy.starts_at,
            ends_at=busy.ends_at,
        )
        for busy in busy_in(resource.data, start=start, end=end, tz_name=tz_name, skip_uid=ours)
    ]


def _full(connection, client, moment, token: str, ctag: str) -> str:
    start, end = window(moment)
    resources = client.events_between(connection.busy_calendar_url, start, end)
    tz_name, ours = _timezone(connection), own_uid_test(connection)
    rows = [row for resource in resources for row in _rows(connection, resource, start, end, tz_name, ours)]
    with transaction.atomic():
        if not _still_reading(connection):
            return "skipped"
        BusyInterval.objects.filter(connection=connection).delete()
        BusyInterval.objects.bulk_create(rows)
        CalendarConnection.objects.filter(pk=connection.pk).update(last_full_sync_at=moment)
    return _done(connection, moment, "full", token=token, ctag=ctag)


def _still_reading(connection: CalendarConnection) -> bool:
    """Lock the connection and check it still reads the same calendar: a disconnect or another choice
    made while we were fetching wins over what we fetched."""
    return (
        CalendarConnection.objects.select_for_update()
        .filter(pk=connection.pk, busy_calendar_url=connection.busy_calendar_url)
        .exists()
    )


def _apply_changes(connection, changes: caldav.Changes, moment) -> bool:
    start, end = window(moment)
    tz_name, ours = _timezone(connection), own_uid_test(connection)
    touched = [item.href[:1000] for item in changes.changed] + [href[:1000] for href in changes.deleted]
    rows = [
        row for resource in changes.changed for row in _rows(connection, resource, start, end, tz_name, ours)
    ]
    with transaction.atomic():
        if not _still_reading(connection):
            return False
        BusyInterval.objects.filter(connection=connection, href__in=touched).delete()
        BusyInterval.objects.bulk_create(rows)
    return True


def _done(connection, moment, outcome: str, *, token: str | None = None, ctag: str | None = None) -> str:
    changes: dict = {"status": ConnectionStatus.OK, "last_error": "", "last_synced_at": moment}
    if token is not None:
        changes["sync_token"] = token[:500]
    if ctag is not None:
        changes["ctag"] = ctag[:500]
    CalendarConnection.objects.filter(pk=connection.pk).update(**changes)
    return outcome
