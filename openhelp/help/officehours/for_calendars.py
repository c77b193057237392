"""Bookings as connected calendars see them: the ``openhelp.directory.calendars.ports.Bookings`` protocol
(``settings.CALENDAR_BOOKINGS``). Calendars sit below office hours, so they ask here rather than import.

The event is the one of the personal feed (``calendar.booking_event`` without private details: no
question, and no ORGANIZER/ATTENDEE, which would make a CalDAV server send invitations of its own).
"""

from __future__ import annotations

from openhelp.directory.calendars.ports import BookingEvent
from openhelp.help.officehours import calendar
from openhelp.help.officehours.models import Booking, BookingState
from openhelp.platform.lib.clock import now


def booking_event(*, booking_id: int, user_id: int) -> BookingEvent | None:
    booking = (
        Booking.objects.select_related("mentor__profile", "mentee__profile").filter(pk=booking_id).first()
    )
    if booking is None or user_id not in (booking.mentor_id, booking.mentee_id):
        return None
    viewer = booking.mentor if user_id == booking.mentor_id else booking.mentee
    cal = calendar._calendar(None)
    cal.add_component(calendar.booking_event(booking, viewer=viewer, private_details=False, stamp=now()))
    return BookingEvent(
        uid=calendar.uid(booking),
        sequence=booking.sequence,
        active=booking.state == BookingState.CONFIRMED,
        ics=cal.to_ical(),
    )
