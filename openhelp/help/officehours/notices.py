"""What each side is told when a booking is made, moved, cancelled or given from the waiting list.

The booking's transaction only queues one task row (``queue_announcement``): it commits or rolls back
with the change itself (an outbox), and keeps the locked transaction short. The worker then writes the
notifications (whose e-mails carry the calendar invite) and plans the reminders. The task re-reads the
booking: an announcement overtaken by a later change (a higher sequence) says nothing, since the later
one will. Notifications are deduplicated by key, so a retried task tells nobody twice. Times are written
in each recipient's own zone.

The e-mails of these events carry a calendar invite (``invite_parts``, registered with
notifications.emails at start-up). It is built when the e-mail is sent, from the booking as it is then:
if it was cancelled or moved in between, the attachment already says so (CANCEL, or the new time with a
higher SEQUENCE).
"""

from __future__ import annotations

import datetime as dt
from email.mime.text import MIMEText

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from openhelp.help.officehours.calendar import invite
from openhelp.help.officehours.models import Booking, BookingState
from openhelp.help.officehours.reminders import plan_reminders
from openhelp.help.officehours.slots import zone
from openhelp.platform.lib.tasks import background_task
from openhelp.platform.notifications.emails import register_attachments
from openhelp.platform.notifications.services import notify

KINDS = ("confirmed", "promoted", "cancelled", "rescheduled")


def queue_announcement(kind: str, booking: Booking, *, actor=None, **extra: str) -> None:
    """Inside the change's transaction: queue telling the people involved about it.

    Enqueued directly rather than on commit: with the database task queue the row is part of the same
    transaction (no announcement without its change, and none lost between commit and enqueue). A task
    backend outside the database could see a task for a change that then rolls back; the task re-reads
    the booking and finds nothing to say.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown announcement {kind!r}")
    announce_task.enqueue(kind, booking.pk, booking.sequence, actor.pk if actor is not None else None, extra)


@background_task()
def announce_task(kind: str, booking_id: int, sequence: int, actor_id: int | None, extra: dict) -> str:
    return announce(kind=kind, booking_id=booking_id, sequence=sequence, actor_id=actor_id, extra=extra)


@transaction.atomic
def announce(
    *, kind: str, booking_id: int, sequence: int, actor_id: int | None = None, extra: dict | None = None
) -> str:
    booking = (
        Booking.objects.select_related("mentor__profile", "mentee__profile", "slot")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return "skipped: gone"
    if booking.sequence != sequence:
        return "skipped: overtaken by a later change"
    if kind != "cancelled" and booking.state != BookingState.CONFIRMED:
        return "skipped: cancelled"
    actor = (
        get_user_model().objects.select_related("profile").filter(pk=actor_id).first() if actor_id else None
    )
    extra = extra or {}
    if kind == "confirmed":
        announce_booked(booking)
    elif kind == "promoted":
        announce_promoted(booking)
    elif kind == "cancelled":
        announce_cancelled(booking, actor=actor or booking.cancelled_by or booking.mentee)
    else:
        previous = dt.datetime.fromisoformat(extra["previous_start"])
        announce_rescheduled(
            booking, actor=actor or booking.mentee, previous_start=previous, reason=extra.get("reason", "")
        )
    return "announced"


def when_for(user, moment: dt.datetime) -> str:
    """'Tue 1 Mar 2025, 10:00 (Europe/Berlin)' in this person's zone (the day as the pages write it)."""
    profile = getattr(user, "profile", None)
    tz_name = profile.timezone if profile is not None else "UTC"
    local = moment.astimezone(zone(tz_name))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({tz_name})"


def _url(booking: Booking) -> str:
    return reverse("officehours:booking", args=[booking.pk])


def _context(booking: Booking, **extra) -> dict:
    return {
        "booking_id": booking.pk,
        "sequence": booking.sequence,
        "start": booking.start.isoformat(),
        "topic": booking.topic,
        **extra,
    }


def _send(event: str, booking: Booking, recipient, *, title: str, body: str, key: str, **extra) -> None:
    notify(
        event=event,
        recipients=[recipient],
        title=title,
        body=body,
        url=_url(booking),
        context=_context(booking, **extra),
        dedupe_key=f"booking:{booking.pk}:{key}",
    )


def announce_booked(booking: Booking) -> None:
    """Both sides: the mentee's confirmation and the mentor's heads-up. Reminders are planned too."""

    mentor, mentee = booking.mentor, booking.mentee
    _send(
        "booking.confirmed",
        booking,
        mentee,
        title=f"Booked: {booking.topic} with {mentor.display_name}, {when_for(mentee, booking.start)}",
        body=f"Where: {booking.location}."
        + (f" Your question: {booking.question}" if booking.question else ""),
        key=f"confirmed:{booking.sequence}",
    )
    _send(
        "booking.confirmed",
        booking,
        mentor,
        title=f"{mentee.display_name} booked your office hours, {when_for(mentor, booking.start)}",
        body=f"Topic: {booking.topic}."
        + (f" Their question: {booking.question}" if booking.question else ""),
        key=f"confirmed:{booking.sequence}",
    )
    plan_reminders(booking)


def announce_promoted(booking: Booking) -> None:

    mentor, mentee = booking.mentor, booking.mentee
    _send(
        "booking.promoted",
        booking,
        mentee,
        title=f"A seat freed up: you are booked with {mentor.display_name}, {when_for(mentee, booking.start)}",
        body=f"You were first on the waiting list. Where: {booking.location}.",
        key=f"promoted:{booking.sequence}",
    )
    _send(
        "booking.confirmed",
        booking,
        mentor,
        title=f"{mentee.display_name} took a freed seat, {when_for(mentor, booking.start)}",
        body=f"From the waiting list. Topic: {booking.topic}",
        key=f"confirmed:{booking.sequence}",
    )
    plan_reminders(booking)


def announce_cancelled(booking: Booking, *, actor) -> None:
    other = booking.other_side(actor)
    late = " (late cancellation)" if booking.late_cancellation else ""
    _send(
        "booking.cancelled",
        booking,
        other,
        title=f"{actor.display_name} cancelled {booking.topic}, {when_for(other, booking.start)}{late}",
        body=f"Reason: {booking.cancel_reason}",
        key=f"cancelled:{booking.sequence}",
        reason=booking.cancel_reason,
    )


def announce_rescheduled(booking: Booking, *, actor, previous_start: dt.datetime, reason: str) -> None:

    other = booking.other_side(actor)
    _send(
        "booking.rescheduled",
        booking,
        other,
        title=(
            f"{actor.display_name} moved {booking.topic} to {when_for(other, booking.start)}"
            f" (was {when_for(other, previous_start)})"
        ),
        body=f"Reason: {reason}. Where: {booking.location}.",
        key=f"rescheduled:{booking.sequence}",
        previous_start=previous_start.isoformat(),
        reason=reason,
    )
    plan_reminders(booking)


# --- The calendar invite attached to the e-mails -----------------------------------------------------------

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
    for event in INVITE_EVENTS:
        register_attachments(event, invite_parts)
