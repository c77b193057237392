"""Demo office hours: recurring blocks in several time zones, booked slots (past and upcoming), cancelled
bookings and a waiting list.

Slots come from the real rule expansion (``openhelp.help.officehours.slots.expand``), so every booked time is a slot
the block really offers. Rows match what ``openhelp.help.officehours.booking.book_slot`` (Slot held, Booking, a
"booked" BookingEvent), ``openhelp.help.officehours.changes.cancel_booking`` (state, sequence + 1, who, why, late, a
"cancelled" event, the slot released when empty) and ``openhelp.help.officehours.waitlist.join_waitlist`` write.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from openhelp.demo.activity import texts
from openhelp.demo.activity.cast import Cast, Person
from openhelp.help.officehours.booking import location_for
from openhelp.help.officehours.models import (
    Booking,
    BookingEvent,
    BookingState,
    LocationKind,
    OfficeHours,
    Slot,
    WaitlistEntry,
    WaitlistState,
)
from openhelp.help.officehours.slots import Rule, expand

PAST_WEEKS = 4
LATE_CANCEL = dt.timedelta(hours=24)


@dataclass
class BookingRows:
    blocks: list[OfficeHours] = field(default_factory=list)
    block_skills: list[tuple[OfficeHours, int]] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    events: list[BookingEvent] = field(default_factory=list)
    waitlist: list[WaitlistEntry] = field(default_factory=list)
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)  # person → times


def block(
    rows: BookingRows,
    rng: random.Random,
    cast: Cast,
    mentor: Person,
    *,
    skills: list[str],
    weekdays: list[int],
    start_hour: int,
    hours: float = 1.5,
    slot_minutes: int = 25,
    buffer_minutes: int = 5,
    seats: int = 1,
    title: str = "",
) -> OfficeHours:
    start = dt.time(start_hour, 0)
    end_minutes = start_hour * 60 + int(hours * 60)
    office_hours = OfficeHours(
        mentor_id=mentor.id,
        title=title or rng.choice(texts.OFFICE_HOURS_TITLES).format(skill=skills[0]),
        weekdays=sorted(weekdays),
        start_time=start,
        end_time=dt.time(end_minutes // 60, end_minutes % 60),
        timezone=mentor.timezone,
        slot_minutes=slot_minutes,
        buffer_minutes=buffer_minutes,
        seats=seats,
        location_kind=rng.choice((LocationKind.ROOM, LocationKind.ROOM, LocationKind.PLACE)),
        place="",
        room_code=f"{rng.getrandbits(64):016x}",  # what save() would draw, but from the seed
        horizon_weeks=3,
        created_at=cast.moment - dt.timedelta(weeks=PAST_WEEKS + 2),
        updated_at=cast.moment - dt.timedelta(weeks=PAST_WEEKS + 2),
    )
    if office_hours.location_kind == LocationKind.PLACE:
        office_hours.place = f"Meeting room {rng.choice('ABCDEFG')}{rng.randint(1, 6)}, {mentor.team} floor"
    rows.blocks.append(office_hours)
    rows.block_skills.extend((office_hours, cast.skill_ids[name]) for name in skills)
    return office_hours


def slots_of(office_hours: OfficeHours, cast: Cast) -> list:
    first = (cast.moment - dt.timedelta(weeks=PAST_WEEKS)).date()
    last = (cast.moment + dt.timedelta(weeks=office_hours.horizon_weeks)).date()
    return expand(Rule.of(office_hours), first, last)


def free(rows: BookingRows, person_id: int, start: dt.datetime, end: dt.datetime) -> bool:
    return all(end <= s or start >= e for s, e in rows.busy.get(person_id, ()))


def book(
    rows: BookingRows,
    rng: random.Random,
    cast: Cast,
    office_hours: OfficeHours,
    slot_time,
    mentee: Person,
    *,
    skill: str,
    slot: Slot | None = None,
    seat: int = 1,
    cancel_by: Person | None = None,
) -> Booking:
    """Book one seat of ``slot_time`` for ``mentee`` (and cancel it again when ``cancel_by`` is given)."""
    moment = cast.moment
    booked_at = slot_time.start - dt.timedelta(hours=rng.randint(4, 120))
    booked_at = min(max(booked_at, office_hours.created_at), moment - dt.timedelta(minutes=30))
    if slot is None:
        slot = Slot(
            mentor_id=office_hours.mentor_id,
            office_hours=office_hours,
            start=slot_time.start,
            end=slot_time.end,
            seats=office_hours.seats,
            held=True,
            created_at=booked_at,
        )
        rows.slots.append(slot)
    booking = Booking(
        uid=uuid.UUID(int=rng.getrandbits(128), version=4),
        slot=slot,
        mentor_id=office_hours.mentor_id,
        mentee_id=mentee.id,
        seat=seat,
        start=slot_time.start,
        end=slot_time.end,
        topic=rng.choice(texts.BOOKING_TOPICS).format(skill=skill),
        question="",
        location=location_for(office_hours, slot_time.start),
        created_at=booked_at,
        updated_at=booked_at,
    )
    rows.bookings.append(booking)
    rows.events.append(
        BookingEvent(
            booking=booking,
            kind=BookingEvent.Kind.BOOKED,
            actor_id=mentee.id,
            to_start=slot_time.start,
            created_at=booked_at,
        )
    )
    if cancel_by is None:
        rows.busy.setdefault(mentee.id, []).append((slot_time.start, slot_time.end))
        return booking
    cancelled_at = booked_at + (min(slot_time.start, moment) - booked_at) * rng.uniform(0.2, 0.9)
    reason = rng.choice(
        ("Something urgent came up at work.", "I'm off sick today, sorry.", "Solved it already!")
    )
    late = slot_time.start - cancelled_at < LATE_CANCEL
    booking.state, booking.sequence = BookingState.CANCELLED, 1
    booking.cancelled_at, booking.cancelled_by_id = cancelled_at, cancel_by.id
    booking.cancel_reason, booking.late_cancellation = reason, late
    booking.updated_at = cancelled_at
    slot.held = False  # its only booking went, so the slot is released
    rows.events.append(
        BookingEvent(
            booking=booking,
            kind=BookingEvent.Kind.CANCELLED,
            actor_id=cancel_by.id,
            from_start=slot_time.start,
            reason=reason,
            late=late,
            created_at=cancelled_at,
        )
    )
    return booking


def wait(rows: BookingRows, cast: Cast, slot: Slot, mentee: Person, *, topic: str) -> WaitlistEntry:
    entry = WaitlistEntry(
        slot=slot,
        mentee_id=mentee.id,
        topic=topic,
        state=WaitlistState.WAITING,
        created_at=cast.moment - dt.timedelta(hours=3),
    )
    rows.waitlist.append(entry)
    return entry
