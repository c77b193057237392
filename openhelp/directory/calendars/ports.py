"""What write-back needs from office hours, which sits above this app — declared here, wired in config.

A booking belongs to ``openhelp.help.officehours``; this app may not import it. Write-back therefore asks,
through the module ``settings.CALENDAR_BOOKINGS`` names (``openhelp.help.officehours.for_calendars``), for the
current version of a booking as one person's calendar should hold it. Asking for the current state (not
replaying an event's payload) is what makes a late or repeated write-back harmless.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol, cast

from django.conf import settings


@dataclass(frozen=True)
class BookingEvent:
    uid: str  # stable for the booking's life
    sequence: int  # raised by every reschedule and by the cancellation
    active: bool  # False once cancelled: the event is deleted
    ics: bytes  # a VCALENDAR holding the one VEVENT (no METHOD, no attendees: no server-side invitations)


class Bookings(Protocol):
    def booking_event(self, *, booking_id: int, user_id: int) -> BookingEvent | None:
        """The booking as ``user_id``'s calendar shows it; None when it is gone or not theirs."""


def bookings() -> Bookings:
    return cast(Bookings, importlib.import_module(settings.CALENDAR_BOOKINGS))
