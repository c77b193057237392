"""Connecting a calendar, choosing its calendars, syncing now and disconnecting: the person's workflows.

Connecting talks to the server (discovery) before anything is stored, so a wrong password, an address
that is not CalDAV or one we refuse to call is told at once, next to the field it concerns. Every
attempt counts against a small hourly limit: the form would otherwise let anyone probe addresses or
guess passwords through us.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from openhelp.directory.calendars import caldav
from openhelp.directory.calendars.models import BusyInterval, CalendarConnection, ConnectionStatus
from openhelp.directory.calendars.tasks import sync_connection_task
from openhelp.platform.lib import ratelimit
from openhelp.platform.lib.tasks import enqueue_on_commit

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

FIELD_OF_ERROR = {
    "auth": "password",
    "forbidden": "username",
    "blocked": "server_url",
    "unreachable": "server_url",
    "not_caldav": "server_url",
    "no_calendars": "server_url",
}


def connect_attempts_per_hour() -> int:
    return int(getattr(settings, "CALENDAR_CONNECT_ATTEMPTS_PER_HOUR", 10))


def _attempts_key(user: User) -> str:
    return f"calendars:connect:{user.pk}"


def connect(*, user: User, server_url: str, username: str, password: str) -> CalendarConnection:
    """Discover the account's calendars and keep the connection (replacing an earlier one).

    ValidationError naming the field at fault when the server cannot be used."""
    server_url, username = (server_url or "").strip(), (username or "").strip()
    errors = {}
    if not server_url:
        errors["server_url"] = ["Enter the address of your CalDAV server."]
    if not username:
        errors["username"] = ["Enter your user name."]
    if not password:
        errors["password"] = ["Enter an app password."]
    if errors:
        raise ValidationError(errors)
    if ratelimit.remaining(_attempts_key(user), limit=connect_attempts_per_hour()) <= 0:
        raise ValidationError("Too many attempts to connect a calendar. Try again in an hour.")
    ratelimit.count(_attempts_key(user), window_seconds=3600)
    try:
        calendars = caldav.Client(username=username, password=password).discover(server_url)
    except caldav.CalDAVError as error:
        raise ValidationError({FIELD_OF_ERROR.get(error.code, "server_url"): [error.message]}) from error
    found = [{"url": calendar.url, "name": calendar.name} for calendar in calendars]
    with transaction.atomic():
        BusyInterval.objects.filter(connection__user=user).delete()
        connection, _ = CalendarConnection.objects.update_or_create(
            user=user,
            defaults={
                "server_url": server_url,
                "username": username,
                "password": password,
                "password_hint": password[-4:],
                "calendars": found,
                "busy_calendar_url": "",
                "write_calendar_url": "",
                "status": ConnectionStatus.CHOOSE,
                "last_error": "",
                "sync_token": "",
                "ctag": "",
                "last_synced_at": None,
                "last_full_sync_at": None,
            },
        )
    return connection


def choose_calendars(*, user: User, busy_calendar_url: str, write_calendar_url: str) -> CalendarConnection:
    """Pick the calendar busy times are read from and the one bookings are written into (either may be
    empty: not read, not written). A changed busy calendar starts its cache afresh; a sync is queued."""
    connection = CalendarConnection.objects.filter(user=user).first()
    if connection is None:
        raise ValidationError("Connect a calendar first.")
    known = {item["url"] for item in connection.calendars}
    errors = {}
    if busy_calendar_url and busy_calendar_url not in known:
        errors["busy_calendar_url"] = ["Choose one of the calendars we found."]
    if write_calendar_url and write_calendar_url not in known:
        errors["write_calendar_url"] = ["Choose one of the calendars we found."]
    if not busy_calendar_url and not write_calendar_url:
        errors["busy_calendar_url"] = ["Choose at least one calendar to read busy times from or to write to."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if busy_calendar_url != connection.busy_calendar_url:
            BusyInterval.objects.filter(connection=connection).delete()
            connection.sync_token, connection.ctag, connection.last_full_sync_at = "", "", None
        connection.busy_calendar_url = busy_calendar_url
        connection.write_calendar_url = write_calendar_url
        connection.status = ConnectionStatus.OK
        connection.save()
        if busy_calendar_url:
            enqueue_on_commit(sync_connection_task, connection.pk)
    return connection


def request_sync(*, user: User) -> CalendarConnection:
    """The "sync now" button: queue a sync of the person's busy calendar."""
    connection = CalendarConnection.objects.filter(user=user).exclude(busy_calendar_url="").first()
    if connection is None:
        raise ValidationError("Choose a calendar to read busy times from first.")
    key = f"calendars:sync-now:{user.pk}"
    if ratelimit.remaining(key, limit=1) <= 0:
        raise ValidationError("A sync was just requested; it runs in the background within a minute.")
    ratelimit.count(key, window_seconds=60)
    enqueue_on_commit(sync_connection_task, connection.pk)
    return connection


@transaction.atomic
def disconnect(*, user: User) -> bool:
    """Forget the connection, its password and its busy times; bookings are no longer written."""
    deleted, _ = CalendarConnection.objects.filter(user=user).delete()
    return deleted > 0
