"""Background work of connected calendars: sync one connection, and the periodic sync of all of them."""

from __future__ import annotations

from openhelp.directory.calendars.models import CalendarConnection
from openhelp.directory.calendars.sync import sync_connection
from openhelp.platform.lib.tasks import background_task


@background_task()
def sync_connection_task(connection_id: int) -> str:
    return sync_connection(connection_id)


@background_task()
def sync_all_task() -> int:
    """Queue a sync of every connection with a busy calendar (periodic, ``calendars.sync``)."""
    ids = list(CalendarConnection.objects.exclude(busy_calendar_url="").values_list("pk", flat=True))
    for pk in ids:
        sync_connection_task.enqueue(pk)
    return len(ids)
