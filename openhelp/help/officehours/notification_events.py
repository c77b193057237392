"""The office-hours events (imported at start-up by NotificationsConfig.ready)."""

from openhelp.platform.notifications.events import register

register(
    "booking.confirmed",
    label="Office-hours booking confirmed",
    description="Someone booked your office hours, or your booking is confirmed; with a calendar invite.",
)
register(
    "booking.cancelled",
    label="Office-hours booking cancelled",
    description="The other person cancelled a booking, with their reason; the calendar event is removed.",
)
register(
    "booking.rescheduled",
    label="Office-hours booking moved",
    description="The other person moved a booking to a new time; the calendar event is updated.",
)
register(
    "booking.promoted",
    label="You got a seat from the waiting list",
    description="A seat freed up in a full slot you were waiting for, and it is yours.",
)
register(
    "booking.reminder",
    label="Reminder before a session",
    description="Before an office-hours session or a scheduled call, at the times you choose.",
)
register(
    "booking.times_proposed",
    label="Times proposed for your call",
    description="The expert helping with your ask proposed times; pick the one that suits you.",
)
