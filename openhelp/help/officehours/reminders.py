"""Reminders before a session: planned when a booking is made or moved, sent by the background worker.

A reminder row is planned for one booking *sequence*. The task re-reads it when it runs and sends only if
the booking is still confirmed at that same sequence (a cancellation or a reschedule raises the sequence,
so every reminder planned before it goes quiet), and it claims the row with a conditional UPDATE, so a
reminder is sent at most once however often the task runs.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F
from django.urls import reverse

from openhelp.help.officehours.models import (
    DEFAULT_REMINDERS,
    Booking,
    BookingState,
    PersonalCalendar,
    Reminder,
)
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import background_task, enqueue_on_commit
from openhelp.platform.notifications.services import notify

logger = logging.getLogger(__name__)
REMINDER_CHOICES = ((24 * 60, "24 hours before"), (60, "1 hour before"), (15, "15 minutes before"))


def reminder_minutes_for(user_ids: list[int]) -> dict[int, list[int]]:
    chosen = dict(
        PersonalCalendar.objects.filter(user_id__in=user_ids).values_list("user_id", "reminder_minutes")
    )
    return {pk: [int(m) for m in chosen.get(pk, DEFAULT_REMINDERS)] for pk in user_ids}


def plan_reminders(booking: Booking) -> list[Reminder]:
    """Plan each side's reminders for the booking's current sequence (only those still in the future)."""
    moment = now()
    planned = []
    # A retried announcement plans nothing twice.
    existing = set(
        Reminder.objects.filter(booking=booking, sequence=booking.sequence).values_list(
            "recipient_id", "minutes_before"
        )
    )
    for user_id, minutes_list in reminder_minutes_for([booking.mentor_id, booking.mentee_id]).items():
        for minutes in sorted(set(minutes_list)):
            due = booking.start - dt.timedelta(minutes=minutes)
            if due <= moment or (user_id, minutes) in existing:
                continue
            planned.append(
                Reminder(
                    booking=booking,
                    recipient_id=user_id,
                    minutes_before=minutes,
                    sequence=booking.sequence,
                    due_at=due,
                )
            )
    created = Reminder.objects.bulk_create(planned)
    if send_reminder_task.get_backend().supports_defer:
        for reminder in created:
            enqueue_on_commit(send_reminder_task, reminder.pk, run_after=reminder.due_at)
    else:
        logger.warning("Task backend cannot schedule reminders; %s planned but not queued", len(created))
    return created


@background_task()
def send_reminder_task(reminder_id: int) -> str:
    return send_reminder(reminder_id=reminder_id)


def _skip(reminder: Reminder, why: str) -> str:
    Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(skipped_reason=why)
    return f"skipped: {why}"


def send_reminder(*, reminder_id: int) -> str:
    """Send one reminder if it is due and still valid; otherwise say why not. Safe to run any number of times."""
    reminder = (
        Reminder.objects.select_related("booking__mentor", "booking__mentee", "recipient")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None:
        return "skipped: gone"
    if reminder.sent_at is not None:
        return "skipped: already sent"
    booking = reminder.booking
    if booking.state != BookingState.CONFIRMED:
        return _skip(reminder, "cancelled")
    if booking.sequence != reminder.sequence:
        return _skip(reminder, "rescheduled")
    moment = now()
    if moment < reminder.due_at:
        enqueue_on_commit(send_reminder_task, reminder.pk, run_after=reminder.due_at)
        return "early: queued again"
    if moment >= booking.start:
        return _skip(reminder, "too late")
    with transaction.atomic():
        # The claim re-checks the booking in the same statement: a cancellation or reschedule that
        # committed after the reads above still stops the reminder.
        claimed = Reminder.objects.filter(
            pk=reminder.pk,
            sent_at__isnull=True,
            booking__state=BookingState.CONFIRMED,
            booking__sequence=F("sequence"),
        ).update(sent_at=moment)
        if claimed != 1:
            return "skipped: changed or already sent"
        _notify(reminder, booking)
    return "sent"


def _notify(reminder: Reminder, booking: Booking) -> None:
    from openhelp.help.officehours.notices import when_for  # here: notices imports this module

    recipient = reminder.recipient
    is_mentor = recipient.pk == booking.mentor_id
    other = booking.mentee if is_mentor else booking.mentor
    lead = _lead_time(reminder.minutes_before)
    # A mentor with several people in one group slot gets one reminder per slot, not one per person.
    key = (
        f"reminder:slot:{booking.slot_id}:{booking.start:%Y%m%dT%H%M}:{reminder.minutes_before}"
        if is_mentor
        else f"reminder:booking:{booking.pk}:{booking.sequence}:{reminder.minutes_before}"
    )
    notify(
        event="booking.reminder",
        recipients=[recipient],
        title=f"In {lead}: {booking.topic} with {other.display_name}, {when_for(recipient, booking.start)}",
        body=f"Where: {booking.location}",
        url=reverse("officehours:booking", args=[booking.pk]),
        context={
            "booking_id": booking.pk,
            "sequence": booking.sequence,
            "minutes_before": reminder.minutes_before,
        },
        dedupe_key=key,
    )


def _lead_time(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "24 hours" if days == 1 else f"{days} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"
