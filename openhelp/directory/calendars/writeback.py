"""Bookings written into the connected calendars of the people in them (consumer ``calendars.writeback``).

The consumer turns each ``booking.*`` event into one task per (booking, connected person). The task asks
office hours (``ports.bookings()``) for the booking as it is *now* and makes the calendar match: PUT the
event (created with If-None-Match: *, at a name derived from its stable UID) while the booking is
confirmed, DELETE it once cancelled. Because the task re-derives from the current state and the UID is
the resource's name, a retry, a duplicate delivery or tasks running out of order never leave a second
event or a stale time behind.
"""

from __future__ import annotations

from urllib.parse import quote

from openhelp.directory.calendars import caldav, ports
from openhelp.directory.calendars.models import CalendarConnection, ConnectionStatus, WrittenEvent
from openhelp.directory.calendars.sync import client_for
from openhelp.platform.lib.tasks import background_task, enqueue_on_commit
from openhelp.platform.outbox.models import Event

NAME = "calendars.writeback"
KINDS_READ = {"booking.confirmed", "booking.rescheduled", "booking.cancelled"}
PERMANENT = {"auth", "forbidden", "blocked"}  # retrying cannot help; the person must act
ATTEMPTS_AGAINST_RACES = 3


def handle(events: list[Event]) -> None:
    """Queue one write-back per booking and connected person (in the delivery's transaction)."""
    wanted: set[tuple[int, int]] = set()
    for event in events:
        booking_id = event.payload.get("booking")
        for role in ("mentor", "mentee"):
            user_id = event.payload.get(role)
            if booking_id and user_id:
                wanted.add((int(booking_id), int(user_id)))
    if not wanted:
        return
    connected = dict(
        CalendarConnection.objects.filter(user_id__in={user for _, user in wanted})
        .exclude(write_calendar_url="")
        .values_list("user_id", "pk")
    )
    for booking_id, user_id in sorted(wanted):
        if user_id in connected:
            enqueue_on_commit(write_booking_task, booking_id, connected[user_id])


def event_url(calendar_url: str, uid: str) -> str:
    name = quote(uid.split("@")[0], safe="") + ".ics"
    return calendar_url.rstrip("/") + "/" + name


def write_booking(booking_id: int, connection_id: int) -> str:
    """Make the connection's write calendar hold the booking as it is now; returns what was done."""
    connection = CalendarConnection.objects.filter(pk=connection_id).exclude(write_calendar_url="").first()
    if connection is None:
        return "skipped"
    outcome = "unchanged"
    try:
        client = client_for(connection)
        for _ in range(ATTEMPTS_AGAINST_RACES):
            wanted = ports.bookings().booking_event(booking_id=booking_id, user_id=connection.user_id)
            written = WrittenEvent.objects.filter(connection=connection, booking_id=booking_id).first()
            if wanted is None or not wanted.active:
                if written is not None:
                    client.delete(written.href)
                    written.delete()
                    return "deleted"
                return outcome
            if written is not None and written.sequence == wanted.sequence:
                return outcome
            href = (
                written.href if written is not None else event_url(connection.write_calendar_url, wanted.uid)
            )
            client.put(href, wanted.ics, create=written is None)
            WrittenEvent.objects.update_or_create(
                connection=connection,
                booking_id=booking_id,
                defaults={"uid": wanted.uid, "href": href, "sequence": wanted.sequence},
            )
            outcome = "written"
            # Loop: the booking may have moved or been cancelled while we wrote; the next round checks.
    except caldav.CalDAVError as error:
        CalendarConnection.objects.filter(pk=connection.pk).update(
            status=ConnectionStatus.FAILING, last_error=f"Writing a booking: {error.message}"[:300]
        )
        if error.code in PERMANENT:
            return "failed"
        raise
    return outcome


@background_task()
def write_booking_task(booking_id: int, connection_id: int) -> str:
    return write_booking(booking_id, connection_id)
