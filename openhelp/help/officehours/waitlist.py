"""Waiting lists: join one for a full slot, leave it, and give freed seats to the first in line.

Joining needs the mentor's lock (lib.locking), like booking. A seat freed by a cancellation or a
reschedule is given away inside that change's transaction (officehours.changes), so a seat is never
free-but-promised or promised twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from openhelp.help.officehours import availability
from openhelp.help.officehours.booking import Claim, bookable_slot, clean_text, create_booking
from openhelp.help.officehours.errors import AlreadyBooked, BookingConflict
from openhelp.help.officehours.models import (
    Booking,
    BookingState,
    OfficeHours,
    Slot,
    WaitlistEntry,
    WaitlistState,
)
from openhelp.platform.lib.locking import locked_transaction


def join_waitlist(
    *,
    mentee,
    office_hours: OfficeHours,
    start: dt.datetime | None,
    topic: str | None,
    question: str | None = "",
) -> WaitlistEntry:
    """Queue for a full slot; the first in line gets the next seat that frees (and is told)."""
    topic, question = clean_text(topic=topic, question=question)
    if office_hours.mentor_id == mentee.pk:
        raise ValidationError({"start": ["These are your own office hours."]})
    slot = bookable_slot(office_hours, start)
    with locked_transaction(user_ids=[office_hours.mentor_id, mentee.pk]):
        row = Slot.objects.filter(office_hours=office_hours, start=slot.start, held=True).first()
        confirmed = Booking.objects.filter(slot=row, state=BookingState.CONFIRMED) if row else None
        if row is None or confirmed.count() < row.seats:
            raise BookingConflict("This slot still has a free seat: book it instead.")
        if confirmed.filter(mentee=mentee).exists():
            raise AlreadyBooked("You already have a seat in this slot.")
        entry = WaitlistEntry.objects.filter(slot=row, mentee=mentee, state=WaitlistState.WAITING).first()
        if entry is None:
            entry = WaitlistEntry.objects.create(slot=row, mentee=mentee, topic=topic, question=question)
    return entry


def leave_waitlist(*, entry: WaitlistEntry, actor) -> WaitlistEntry:
    if entry.mentee_id != actor.pk:
        raise PermissionDenied("Only the person waiting can leave the list.")
    WaitlistEntry.objects.filter(pk=entry.pk, state=WaitlistState.WAITING).update(state=WaitlistState.LEFT)
    entry.refresh_from_db()
    return entry


def waitlist_user_ids(slot_id: int) -> list[int]:
    """Who waits for this slot: read before taking the lock, so they can be locked too."""
    return list(
        WaitlistEntry.objects.filter(slot_id=slot_id, state=WaitlistState.WAITING).values_list(
            "mentee_id", flat=True
        )
    )


def promote_waiting(*, slot: Slot, locked_ids: set[int], moment: dt.datetime) -> list[Booking]:
    """Give the seats free in ``slot`` to the first in line whose time is still free. Call under the lock.

    Only people locked by this transaction can be promoted (anyone joining the list needs the mentor's
    lock, which this transaction holds, so the list cannot grow behind our back).
    """
    if slot.start <= moment or slot.office_hours_id is None:
        return []
    slot.refresh_from_db()
    if not slot.held and availability.conflicting_commitment(
        slot.mentor_id, slot.start, slot.end, ignore_slot_ids=[slot.pk]
    ):
        return []  # the mentor's time there was given to something else meanwhile
    promoted = []
    for entry in WaitlistEntry.objects.filter(slot=slot, state=WaitlistState.WAITING).select_related(
        "mentee"
    ):
        if entry.mentee_id not in locked_ids:
            continue
        taken = Booking.objects.filter(slot=slot, state=BookingState.CONFIRMED)
        if taken.count() >= slot.seats:
            break
        if taken.filter(mentee_id=entry.mentee_id).exists():
            continue
        clash = availability.conflicting_commitment(entry.mentee_id, slot.start, slot.end)
        if clash:
            continue  # their time filled up meanwhile; they keep their place for a later seat
        used = set(taken.values_list("seat", flat=True))
        seat = next(n for n in range(1, slot.seats + 1) if n not in used)
        claim = Claim(
            row=slot, seat=seat, seats=slot.seats, start=slot.start, end=slot.end, new_session=False
        )
        booking = create_booking(
            office_hours=slot.office_hours,
            claim=claim,
            mentee=entry.mentee,
            topic=entry.topic,
            question=entry.question,
            from_waitlist=True,
        )
        WaitlistEntry.objects.filter(pk=entry.pk).update(state=WaitlistState.PROMOTED, booking=booking)
        promoted.append(booking)
    return promoted
