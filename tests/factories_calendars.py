"""Connected calendars for tests: a connection straight to a calendar (discovery is tested on its own)."""

from __future__ import annotations

from openhelp.directory.calendars.models import CalendarConnection, ConnectionStatus


def connect_directly(
    user, *, server_url: str, username: str, password: str, calendar_url: str, write: bool = True
):
    """A connection reading busy times from ``calendar_url`` and (with ``write``) writing bookings into it."""
    return CalendarConnection.objects.create(
        user=user,
        server_url=server_url,
        username=username,
        password=password,
        password_hint=password[-4:],
        calendars=[{"url": calendar_url, "name": "Work"}],
        busy_calendar_url=calendar_url,
        write_calendar_url=calendar_url if write else "",
        status=ConnectionStatus.OK,
    )
