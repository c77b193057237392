"""Calendar invites attached to booking e-mails (through notifications.emails.register_attachments).

The invite is built when the e-mail is sent, from the booking as it is then: if it was cancelled or moved
in between, the attachment already says so (CANCEL, or the new time with a higher SEQUENCE).
"""

from __future__ import annotations

from email.mime.text import MIMEText

from officehours.calendar import invite
from officehours.models import Booking, BookingState

INVITE_EVENTS = ("booking.confirmed", "booking.promoted", "booking.rescheduled", "booking.cancelled")


def invite_parts(notification) -> list[MIMEText]:
    booking_id = (notification.context or {}).get("booking_id")
    booking = (
        Booking.objects.select_related("slot__office_hours", "mentor__profile", "mentee__profile")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or notification.recipient_id not in (booking.mentor_id, booking.mentee_id):
        return []
    method = "CANCEL" if booking.state == BookingState.CANCELLED else "REQUEST"
    part = MIMEText(invite(booking, viewer=notification.recipient).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return [part]


def register_invites() -> None:
    from notifications.emails import register_attachments

    for event in INVITE_EVENTS:
        register_attachments(event, invite_parts)
