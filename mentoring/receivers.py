"""Keeping sessions in step with the asks and bookings they come from.

Every change that matters is already written down by its owner as a timeline row: an ask's ``AskEvent``
(accepted, scheduled, rescheduled, unscheduled, completed, cancelled) and a booking's ``BookingEvent``
(booked, promoted from the waiting list, rescheduled, cancelled), from several modules and code paths.
Listening to those two rows covers every path without touching the locking code that writes them.

The ask receiver runs no query itself: it asks for ``mentoring.services`` to run once the
transaction commits (a rolled-back accept leaves no session behind); ``robust`` keeps a failure there
from turning a successful accept into an error page. The booking receiver queues
``mentoring.tasks.sync_booking_session_task`` instead, inside the booking's own transaction like its
announcement (officehours.notices): with the database task queue the task row commits or rolls back
with the booking, and the request that books — the busiest write path — neither waits for the session
nor makes it. The worker makes or updates it moments later; opening the session from the booking page
makes it on the spot if the worker has not run yet.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save

ASK_KINDS = {"accepted", "follow_up", "scheduled", "rescheduled", "unscheduled"}
ASK_STATES = {"accepted", "scheduled", "completed", "cancelled"}


def _ask_event_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    if instance.kind not in ASK_KINDS and instance.to_state not in ASK_STATES:
        return
    ask_id = instance.ask_id

    def run() -> None:
        from mentoring.services import sync_from_ask

        sync_from_ask(ask_id=ask_id)

    transaction.on_commit(run, robust=True)


def _booking_event_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    from mentoring.tasks import sync_booking_session_task

    sync_booking_session_task.enqueue(instance.booking_id)


def connect() -> None:
    from asks.models import AskEvent
    from officehours.models import BookingEvent

    post_save.connect(_ask_event_saved, sender=AskEvent, dispatch_uid="mentoring.ask_event")
    post_save.connect(_booking_event_saved, sender=BookingEvent, dispatch_uid="mentoring.booking_event")
