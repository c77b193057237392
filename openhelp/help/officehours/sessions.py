"""The session of a booking: a confirmed booking opens its session; moving or cancelling it keeps the
session in step. Office hours sit above sessions, so this module calls mentoring's services directly
(``create_session``, ``session_for_ask``, ``lifecycle.cancel_session``); mentoring never reads bookings
except through the relations this app declares (``session.booking``, ``user.bookings_cancelled``).

The booking workflows (``booking.create_booking``, ``changes``) queue ``sync_booking_session_task`` in
their own transaction, so the session follows in the worker once the booking committed.
"""

from __future__ import annotations

from openhelp.help.mentoring import lifecycle
from openhelp.help.mentoring.models import Session, SessionFormat
from openhelp.help.mentoring.services import (
    MAX_QUESTION,
    create_session,
    save_session,
    session_for_ask,
    set_fields,
)
from openhelp.help.officehours.models import Booking, BookingState
from openhelp.platform.lib.tasks import background_task


@background_task()
def sync_booking_session_task(booking_id: int) -> str:
    session = sync_from_booking(booking_id=booking_id)
    return "no session" if session is None else f"session {session.pk} in step"


def sync_from_booking(*, booking_id: int) -> Session | None:
    booking = Booking.objects.filter(pk=booking_id).first()
    return session_for_booking(booking) if booking is not None else None


def session_for_booking(booking: Booking) -> Session | None:
    """The session of a booking (or of the ask it was booked for): made the first time, then kept in
    step with the booking's time, place and cancellation."""
    booking = Booking.objects.select_related("slot__office_hours", "mentor", "mentee", "ask").get(
        pk=booking.pk
    )
    confirmed = booking.state == BookingState.CONFIRMED
    session = Session.objects.filter(booking=booking).first()
    if session is None and booking.ask is not None:  # selected with the booking: no query
        session = session_for_ask(booking.ask)
        if session is not None and confirmed and session.booking_id != booking.pk:
            session.booking = booking
            session.save(update_fields=["booking", "updated_at"])
        elif session is not None and session.booking_id != booking.pk:
            return session  # a cancelled booking of an ask that has (or will get) another time
    if session is None:
        if not confirmed:
            return None
        block = booking.slot.office_hours
        questions = [booking.question.strip()[:MAX_QUESTION]] if booking.question.strip() else []
        session = create_session(
            {"booking": booking},
            mentee=booking.mentee,
            mentor=booking.mentor,
            title=booking.topic,
            format=SessionFormat.OFFICE_HOURS if block is not None else SessionFormat.CALL,
            planned_minutes=booking.minutes,
            objective="",
            preparation_questions=questions,
            skills=list(block.skills.all()) if block is not None else [],
        )
    _apply_booking(session, booking)
    return session


def _apply_booking(session: Session, booking: Booking) -> None:
    changed: list[str] = []
    starts_at = session.starts_at
    if booking.state == BookingState.CONFIRMED:
        changed += set_fields(
            session,
            starts_at=booking.start,
            ends_at=booking.end,
            place=booking.location[:300],
            planned_minutes=booking.minutes,
        )
    elif session.ask_id is not None:
        # The ask lives on and will get another time; this booking is no longer the session's.
        changed += set_fields(session, booking=None, starts_at=None, ends_at=None, place="")
    save_session(session, changed, starts_at=starts_at)
    if booking.state != BookingState.CONFIRMED and session.ask_id is None:
        lifecycle.cancel_session(session=session, moment=booking.cancelled_at)
