"""Changing plans: cancel or reschedule a booking (either side, with a reason), under the same lock.

A freed seat goes to the first person on the slot's waiting list in the same transaction, so a seat is
never free-but-promised or promised twice. Every change raises the booking's ``sequence``: calendar
clients take the highest as the truth, and reminders planned for an older sequence are skipped.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import F

from openhelp.directory.programmes.rules import late_cancel_window
from openhelp.help.officehours import booking as booking_service
from openhelp.help.officehours import limits, waitlist
from openhelp.help.officehours.ask_scheduling import move_ask, unschedule_ask
from openhelp.help.officehours.errors import NotChangeable, SeatTaken
from openhelp.help.officehours.models import Booking, BookingEvent, BookingState, OfficeHours, Slot
from openhelp.help.officehours.notices import announce, queue_announcement
from openhelp.help.officehours.sessions import sync_booking_session_task
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.locking import locked_transaction
from openhelp.platform.outbox.events import record


def _require_party(booking: Booking, actor) -> None:
    if actor is None or actor.pk not in (booking.mentor_id, booking.mentee_id):
        raise PermissionDenied("Only the mentor and the person who booked can change this booking.")


def late_window(programme=None) -> dt.timedelta:
    """How close to the start a change counts as late: the site's window, or the block's programme's."""
    return late_cancel_window(programme)


def _fresh(booking: Booking, moment: dt.datetime) -> Booking:
    fresh = Booking.objects.select_related("slot__office_hours__mentor__profile", "mentor", "mentee").get(
        pk=booking.pk
    )
    if fresh.state != BookingState.CONFIRMED:
        raise NotChangeable("This booking was already cancelled.")
    if fresh.start <= moment:
        raise NotChangeable("This session has already started, so it can no longer be changed.")
    return fresh


def cancel_booking(*, booking: Booking, actor, reason: str | None) -> Booking:
    """Cancel with a reason; the other side is told. Within the late window it is recorded as late."""
    _require_party(booking, actor)
    reason = booking_service.clean_reason(reason)
    waiting = waitlist.waitlist_user_ids(booking.slot_id)
    people = {booking.mentor_id, booking.mentee_id, *waiting}
    with locked_transaction(user_ids=people):
        moment = now()
        fresh = _fresh(booking, moment)
        late = fresh.start - moment < late_window(fresh.slot.office_hours.programme)
        Booking.objects.filter(pk=fresh.pk, state=BookingState.CONFIRMED).update(
            state=BookingState.CANCELLED,
            sequence=F("sequence") + 1,
            cancelled_at=moment,
            cancelled_by=actor,
            cancel_reason=reason,
            late_cancellation=late,
            updated_at=moment,
        )
        BookingEvent.objects.create(
            booking=fresh,
            kind=BookingEvent.Kind.CANCELLED,
            actor=actor,
            from_start=fresh.start,
            reason=reason,
            late=late,
        )
        record(
            "booking.cancelled",
            actor=actor,
            booking=fresh.pk,
            mentee=fresh.mentee_id,
            mentor=fresh.mentor_id,
            starts_at=fresh.start,
        )
        sync_booking_session_task.enqueue(fresh.pk)  # the session follows, in the worker
        promoted = waitlist.promote_waiting(slot=fresh.slot, locked_ids=people, moment=moment)
        booking_service.release_if_empty(fresh.slot_id)
        if fresh.ask_id:
            unschedule_ask(ask_id=fresh.ask_id, actor=actor, reason=reason)
        fresh.refresh_from_db()
        queue_announcement("cancelled", fresh, actor=actor)
        for new in promoted:
            queue_announcement("promoted", new)
    return fresh


def reschedule_booking(
    *, booking: Booking, actor, office_hours: OfficeHours, start: dt.datetime | None, reason: str | None
) -> Booking:
    """Move a booking to another slot of the same mentor; same booking, new time, history kept.

    The seat it leaves goes to the waiting list; the other side is told; reminders are planned afresh.
    """
    _require_party(booking, actor)
    reason = booking_service.clean_reason(reason)
    limits.check_booking(actor)
    if office_hours.mentor_id != booking.mentor_id:
        raise ValidationError({"office_hours": ["Choose another slot of the same mentor."]})
    slot = booking_service.bookable_slot(office_hours, start)
    waiting = waitlist.waitlist_user_ids(booking.slot_id)
    people = {booking.mentor_id, booking.mentee_id, *waiting}
    try:
        with locked_transaction(user_ids=people):
            moment = now()
            fresh = _fresh(booking, moment)
            if fresh.slot.office_hours_id == office_hours.pk and fresh.start == slot.start:
                raise ValidationError({"start": ["That is the time it is booked for already."]})
            claim = booking_service.claim_seat(
                office_hours=office_hours,
                slot=slot,
                mentee_id=fresh.mentee_id,
                moving=fresh,
                ignore_ask_id=fresh.ask_id,
            )
            booking_service._before_write()
            old_slot, old_start = fresh.slot, fresh.start
            target = _target_row(office_hours, claim)
            Booking.objects.filter(pk=fresh.pk).update(
                slot=target,
                seat=claim.seat,
                start=target.start,
                end=target.end,
                location=booking_service.location_for(office_hours, target.start),
                sequence=F("sequence") + 1,
                updated_at=moment,
            )
            # Release the old slot before holding the new one: if they overlap (another block), the
            # exclusion constraint must see the old one gone first.
            booking_service.release_if_empty(old_slot.pk)
            Slot.objects.filter(pk=target.pk).update(held=True, seats=claim.seats, end=claim.end)
            BookingEvent.objects.create(
                booking=fresh,
                kind=BookingEvent.Kind.RESCHEDULED,
                actor=actor,
                from_start=old_start,
                to_start=target.start,
                reason=reason,
                late=old_start - moment < late_window(old_slot.office_hours.programme),
            )
            record(
                "booking.rescheduled",
                actor=actor,
                booking=fresh.pk,
                mentee=fresh.mentee_id,
                mentor=fresh.mentor_id,
                starts_at=target.start,
                previous_starts_at=old_start,
            )
            sync_booking_session_task.enqueue(fresh.pk)  # the session follows, in the worker
            old_slot.refresh_from_db()
            promoted = waitlist.promote_waiting(slot=old_slot, locked_ids=people, moment=moment)
            booking_service.release_if_empty(old_slot.pk)
            fresh.refresh_from_db()
            if fresh.ask_id:
                move_ask(ask_id=fresh.ask_id, booking=fresh, actor=actor)
            queue_announcement(
                "rescheduled", fresh, actor=actor, previous_start=old_start.isoformat(), reason=reason
            )
            for new in promoted:
                queue_announcement("promoted", new)
    except IntegrityError as error:
        raise SeatTaken("Someone took that slot a moment before you. Please choose another.") from error
    limits.count_booking(actor)
    return fresh


def _target_row(office_hours: OfficeHours, claim: booking_service.Claim) -> Slot:
    """The slot row to move into; a new one starts un-held, and is held once the old one is released."""
    if claim.row is not None:
        return claim.row
    return Slot.objects.create(
        mentor_id=office_hours.mentor_id,
        office_hours=office_hours,
        start=claim.start,
        end=claim.end,
        seats=claim.seats,
        held=False,
    )


ACCOUNT_DELETED = "This person deleted their account."


def cancel_for_deleted_account(*, user) -> int:
    """Cancel the upcoming bookings of someone deleting their account (as mentor or mentee), telling the
    other side and promoting the waiting list, as an ordinary cancellation by them would."""

    upcoming = Booking.objects.involving(user).confirmed().filter(end__gt=now()).select_related("slot")
    cancelled = 0
    for booking in upcoming:
        done = cancel_booking(booking=booking, actor=user, reason=ACCOUNT_DELETED)
        # Told now, not by the queued announcement: that one runs after the delete and finds no booking.
        announce(kind="cancelled", booking_id=done.pk, sequence=done.sequence, actor_id=user.pk)
        cancelled += 1
    return cancelled
