"""REST API for office hours: blocks (CRUD), slots in a zone, bookings (create with Idempotency-Key,
its calendar invitation, cancel, reschedule), the waiting list, time off and the calendar feed.

Others' blocks and bookings answer 404. A full slot, an overlap or a cap is a 409 whose `code` says which
(slot_full, overlap, cap_reached, taken, …); bad input is a 400 naming the field; a lock that stayed busy
too long is a 503 with Retry-After. The rules are the services', exactly as on the web.
"""

from openhelp.help.officehours.api.blocks import (
    OfficeHoursDetailView,
    OfficeHoursListView,
    SlotsView,
    TimeOffDetailView,
    TimeOffListView,
)
from openhelp.help.officehours.api.bookings import (
    BookingCancelView,
    BookingDetailView,
    BookingInviteView,
    BookingListView,
    BookingRescheduleView,
    WaitlistEntryView,
    WaitlistView,
)
from openhelp.help.officehours.api.calendar import CalendarRotateView, CalendarView

__all__ = [
    "BookingCancelView",
    "BookingDetailView",
    "BookingInviteView",
    "BookingListView",
    "BookingRescheduleView",
    "CalendarRotateView",
    "CalendarView",
    "OfficeHoursDetailView",
    "OfficeHoursListView",
    "SlotsView",
    "TimeOffDetailView",
    "TimeOffListView",
    "WaitlistEntryView",
    "WaitlistView",
]
