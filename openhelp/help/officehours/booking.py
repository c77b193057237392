"""Booking a slot, and joining its waiting list: the workflows that must never double-book.

Each one follows the same three steps (docs/locking.md):

1. validate what can be validated without a lock (text, that the time is a slot of the block, notice);
2. open one durable transaction and lock the people involved (lib.locking), then re-check seats, caps
   and everybody's commitments — a list shown a second ago proves nothing;
3. write. The database constraints (one person per seat, one held slot per mentor and time, and on
   PostgreSQL no overlapping held slots or bookings) are the backstop: if they fire, the request gets
   the same clear conflict as a failed re-check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from openhelp.directory.calendars.busy import is_busy
from openhelp.directory.people.capacity import capacity_for, current_week
from openhelp.help.mentoring.attendance import booking_paused_reason
from openhelp.help.officehours import availability, limits
from openhelp.help.officehours.errors import (
    AlreadyBooked,
    BookingConflict,
    BookingPaused,
    CapReached,
    Overlap,
    SeatTaken,
    SlotFull,
)
from openhelp.help.officehours.models import (
    Booking,
    BookingEvent,
    BookingState,
    IdempotencyKey,
    LocationKind,
    OfficeHours,
    Slot,
    TimeOff,
)
from openhelp.help.officehours.notices import queue_announcement
from openhelp.help.officehours.sessions import sync_booking_session_task
from openhelp.help.officehours.slots import Rule, SlotTime, slot_at
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.locking import locked_transaction
from openhelp.platform.outbox.events import record

if TYPE_CHECKING:
    from openhelp.help.asks.models import Ask
    from openhelp.platform.accounts.models import User

MAX_TOPIC = 120
MAX_QUESTION = 1000
MAX_REASON = 300
CALENDAR_BUSY = "This time is no longer free. Please choose another slot."
OVERLAP_MESSAGES = {
    "mentor": "{who} already {has} a session at that time.",
    "mentee": "{who} already {has} a booking at that time.",
    "ask": "{who} already {has} a call scheduled at that time.",
}


def _before_write() -> None:
    """Nothing: a seam. The concurrency tests replace it (tests/officehours/race.py) to hold the window
    between the re-check and the write open until every racer has reached it or queued for the lock."""


# --- Checks that need no lock -------------------------------------------------------------------------


def clean_text(*, topic: str | None, question: str | None) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    topic = " ".join((topic or "").split())
    question = (question or "").strip()
    if not topic:
        errors["topic"] = ["Say in a few words what you want to talk about."]
    elif len(topic) > MAX_TOPIC:
        errors["topic"] = [f"Keep the topic under {MAX_TOPIC} characters (it has {len(topic)})."]
    if len(question) > MAX_QUESTION:
        errors["question"] = [f"Keep the question under {MAX_QUESTION} characters (it has {len(question)})."]
    if errors:
        raise ValidationError(errors)
    return topic, question


def clean_reason(reason: str | None, *, required: bool = True) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ValidationError({"reason": ["Give a short reason: it helps the other person."]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [f"Keep the reason under {MAX_REASON} characters."]})
    return reason


def bookable_slot(
    office_hours: OfficeHours, start: dt.datetime | None, *, moment: dt.datetime | None = None
) -> SlotTime:
    """The slot of this block starting at ``start``, if it can be booked now; else a ValidationError."""
    moment = moment or now()
    if not office_hours.is_active or not office_hours.mentor.is_active:
        raise ValidationError({"office_hours": ["These office hours are no longer offered."]})
    slot = slot_at(Rule.of(office_hours), start) if start is not None else None
    if slot is None:
        raise ValidationError({"start": ["That is not one of the slots of these office hours."]})
    time_off = availability.time_off_for(
        office_hours,
        TimeOff.objects.filter(
            mentor_id=office_hours.mentor_id, start_date__lte=slot.local_date, end_date__gte=slot.local_date
        ),
    )
    problem = availability.timing_problem(
        office_hours,
        slot,
        moment=moment,
        paused_until=availability.paused_until(office_hours),
        time_off=time_off,
    )
    if problem:
        raise ValidationError({"start": [problem]})
    return slot


def location_for(office_hours: OfficeHours, start: dt.datetime) -> str:
    kind = office_hours.location_kind
    if kind == LocationKind.PLACE:
        return office_hours.place
    if kind == LocationKind.CHAT:
        return "Chat on Open to Help"
    if kind == LocationKind.MEETING_LINK:
        link = getattr(getattr(office_hours.mentor, "profile", None), "meeting_link", "")
        if link:
            return link
    pattern = str(settings.OFFICE_HOURS["ROOM_LINK_PATTERN"])
    return pattern.format(code=office_hours.room_code, start=availability.slot_key(start).lower())


# --- After the lock -------------------------------------------------------------------------------------


@dataclass
class Claim:
    """A seat found free after the lock: the slot row (None if no one booked it yet) and the seat number."""

    row: Slot | None
    seat: int
    seats: int
    start: dt.datetime
    end: dt.datetime
    new_session: bool


def claim_seat(
    *,
    office_hours: OfficeHours,
    slot: SlotTime,
    mentee_id: int,
    moving: Booking | None = None,
    ignore_ask_id: int | None = None,
) -> Claim:
    """Re-check everything for ``mentee_id`` taking a seat in ``slot``. Call only with both people locked.

    ``moving`` is a booking being rescheduled here: its current slot and seat are about to be given up.
    """
    row = Slot.objects.filter(office_hours=office_hours, start=slot.start).first()
    held = row if row is not None and row.held else None
    holding = held is not None
    seats = held.seats if held is not None else office_hours.seats
    start, end = (held.start, held.end) if held is not None else (slot.start, slot.end)
    taken = list(
        Booking.objects.filter(slot=row, state=BookingState.CONFIRMED).values_list("seat", "mentee_id")
        if holding
        else []
    )
    if any(mentee == mentee_id for _, mentee in taken):
        raise AlreadyBooked("You already have a seat in this slot.")
    if len(taken) >= seats:
        raise SlotFull(
            "Every seat in this slot is taken." + (" You can join the waiting list." if seats else "")
        )
    leaving = _slot_freed_by(moving)
    check_free(
        mentor_id=office_hours.mentor_id,
        mentee_id=mentee_id,
        start=start,
        end=end,
        ignore_slot_ids=[held.pk if held is not None else None, leaving],
        ignore_booking_id=moving.pk if moving else None,
        ignore_ask_id=ignore_ask_id,
    )
    # Connected calendars (openhelp/directory/calendars): a busy time that arrived since the listing.
    if is_busy(office_hours.mentor_id, start, end):
        raise Overlap(CALENDAR_BUSY)
    if not holding:
        check_caps(office_hours=office_hours, slot=slot, freeing=leaving)
    used = {seat for seat, _ in taken}
    seat = next(n for n in range(1, seats + 1) if n not in used)
    return Claim(row=row, seat=seat, seats=seats, start=start, end=end, new_session=not holding)


def _slot_freed_by(moving: Booking | None) -> int | None:
    """The slot a moving booking leaves, if nobody else is booked in it (so it stops being held)."""
    if moving is None:
        return None
    others = (
        Booking.objects.filter(slot_id=moving.slot_id, state=BookingState.CONFIRMED)
        .exclude(pk=moving.pk)
        .exists()
    )
    return None if others else moving.slot_id


def check_free(
    *,
    mentor_id: int,
    mentee_id: int,
    start: dt.datetime,
    end: dt.datetime,
    ignore_slot_ids: Iterable[int | None] = (),
    ignore_booking_id: int | None = None,
    ignore_ask_id: int | None = None,
) -> None:
    """Overlap if the mentor or the mentee has any other commitment in [start, end)."""
    found = availability.clashes(
        [mentor_id, mentee_id],
        start,
        end,
        ignore_slot_ids=ignore_slot_ids,
        ignore_booking_id=ignore_booking_id,
        ignore_ask_id=ignore_ask_id,
    )
    for user_id, who, has in ((mentor_id, "The mentor", "has"), (mentee_id, "You", "have")):
        if user_id in found:
            raise Overlap(OVERLAP_MESSAGES[found[user_id]].format(who=who, has=has))


def check_caps(*, office_hours: OfficeHours, slot: SlotTime, freeing: int | None = None) -> None:
    """CapReached if one more session would pass the block's daily cap or the mentor's weekly capacity."""
    if office_hours.daily_cap:
        first, last = availability.local_day_bounds(slot.local_date, office_hours.timezone)
        sessions = Slot.objects.filter(office_hours=office_hours, held=True, start__gte=first, start__lt=last)
        if freeing is not None:
            sessions = sessions.exclude(pk=freeing)
        if sessions.count() >= office_hours.daily_cap:
            raise CapReached("The mentor's office hours are fully booked that day.")
    profile = getattr(office_hours.mentor, "profile", None)
    if profile is None or profile.sessions_per_week is None:
        return
    used = capacity_for(profile, moment=slot.start).sessions_used
    if freeing is not None:
        freed = Slot.objects.filter(pk=freeing).first()
        if freed is not None and _same_week(freed.start, slot.start):
            used -= 1
    if used >= profile.sessions_per_week:
        raise CapReached("The mentor has no sessions left that week.")


def _same_week(a: dt.datetime, b: dt.datetime) -> bool:
    return current_week(a) == current_week(b)


def hold_slot(*, office_hours: OfficeHours | None, mentor_id: int, claim: Claim) -> Slot:
    """The slot row for a claim, held (created when this is its first booking)."""
    row = claim.row
    if row is None:
        return Slot.objects.create(
            mentor_id=mentor_id,
            office_hours=office_hours,
            start=claim.start,
            end=claim.end,
            seats=claim.seats,
            held=True,
        )
    if not row.held:
        Slot.objects.filter(pk=row.pk).update(held=True, seats=claim.seats, end=claim.end)
        row.held, row.seats, row.end = True, claim.seats, claim.end
    return row


def release_if_empty(slot_id: int) -> bool:
    """Stop holding a slot whose last booking went; True if it was released."""
    if Booking.objects.filter(slot_id=slot_id, state=BookingState.CONFIRMED).exists():
        return False
    return Slot.objects.filter(pk=slot_id, held=True).update(held=False) == 1


# --- Booking ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Idempotency:
    """An API request's Idempotency-Key and the fingerprint of its body."""

    key: str
    fingerprint: str


IDEMPOTENCY_KEY_HOURS = 24  # the default of OFFICE_HOURS["IDEMPOTENCY_KEY_HOURS"]
PURGE_EVERY = 10  # every tenth key written (by id) purges…
PURGE_BATCH = 100  # …up to this many expired keys: ten times faster than keys are written


def idempotency_window() -> dt.timedelta:
    """How long an Idempotency-Key answers with its first booking; after that the key counts as new."""
    hours = getattr(settings, "OFFICE_HOURS", {}).get("IDEMPOTENCY_KEY_HOURS", IDEMPOTENCY_KEY_HOURS)
    return dt.timedelta(hours=hours)


def purge_expired_keys(*, moment: dt.datetime | None = None, limit: int = PURGE_BATCH) -> int:
    """Delete up to ``limit`` of the oldest keys if they have expired; return how many went.

    Cleanup on write: runs after every PURGE_EVERY-th key a booking writes, outside the booking's lock,
    so the table holds about one window's worth (the purges remove expired keys ten times faster than
    keys are written) and the busy booking path pays for it only now and then. An expired key not yet
    purged is treated as new anyway. The oldest rows are found by primary key (keys are written in time
    order): a short statement on an index, never a scan of the table.
    """
    cutoff = (moment or now()) - idempotency_window()
    oldest = IdempotencyKey.objects.order_by("pk").values("pk")[:limit]
    deleted, _ = IdempotencyKey.objects.filter(pk__in=oldest, created_at__lt=cutoff).delete()
    return deleted


def book_slot(
    *,
    mentee: User,
    office_hours: OfficeHours,
    start: dt.datetime | None,
    topic: str | None,
    question: str | None = "",
    ask: Ask | None = None,
    idempotency: Idempotency | None = None,
) -> Booking:
    """Book a seat in one slot of ``office_hours``; returns the confirmed booking.

    ValidationError for bad input or a time that is not a bookable slot; a BookingConflict subclass when
    the slot is full, someone's time overlaps or a cap is reached; LockTimeout when the lock is busy.
    With ``ask`` (an accepted call ask of this mentee, helped by this mentor) the ask becomes scheduled.
    With ``idempotency``, a repeat of the same request within OFFICE_HOURS["IDEMPOTENCY_KEY_HOURS"]
    returns the first booking; after that window the key counts as new.
    """
    expired_key = None
    if idempotency is not None:
        earlier, expired_key = _earlier_booking(mentee, idempotency)
        if earlier is not None:
            return earlier
    topic, question = clean_text(topic=topic, question=question)
    limits.check_booking(mentee)
    slot = _check_before_lock(mentee=mentee, office_hours=office_hours, start=start, ask=ask)
    try:
        with locked_transaction(user_ids=[office_hours.mentor_id, mentee.pk]):
            claim = claim_seat(
                office_hours=office_hours,
                slot=slot,
                mentee_id=mentee.pk,
                ignore_ask_id=getattr(ask, "pk", None),
            )
            _before_write()
            booking = create_booking(
                office_hours=office_hours, claim=claim, mentee=mentee, topic=topic, question=question, ask=ask
            )
            if ask is not None:
                from openhelp.help.officehours.ask_scheduling import (
                    mark_ask_scheduled,  # here: ask_scheduling imports this module
                )

                mark_ask_scheduled(ask=ask, booking=booking, actor=mentee)
            if idempotency is not None:
                if expired_key is not None:
                    IdempotencyKey.objects.filter(pk=expired_key).delete()
                written = IdempotencyKey.objects.create(
                    user=mentee, key=idempotency.key, fingerprint=idempotency.fingerprint, booking=booking
                )
                if written.pk % PURGE_EVERY == 0:
                    transaction.on_commit(purge_expired_keys, robust=True)
            queue_announcement("confirmed", booking)
    except (BookingConflict, IntegrityError) as error:
        # A retry that raced its first request past the check above waited for the mentee's lock, and
        # the first request has committed by now: its booking takes this seat (a conflict) or its key
        # is taken (the unique index). Either way the key now answers, and the retry gets that answer.
        # Checked only on this path, so a booking that goes through pays no second look-up.
        if idempotency is not None:
            earlier, _ = _earlier_booking(mentee, idempotency)
            if earlier is not None:
                return earlier
        if isinstance(error, IntegrityError):
            raise SeatTaken("Someone took this slot a moment before you. Please choose another.") from error
        raise
    limits.count_booking(mentee)
    return booking


def _check_before_lock(
    *, mentee: User, office_hours: OfficeHours, start: dt.datetime | None, ask: Ask | None
) -> SlotTime:
    """What a booking needs that no concurrent booking can change: the slot of the block, bookable now."""
    if office_hours.mentor_id == mentee.pk:
        raise ValidationError({"start": ["These are your own office hours."]})
    if (
        office_hours.programme_id
        and not OfficeHours.objects.open_to(mentee).filter(pk=office_hours.pk).exists()
    ):
        raise ValidationError({"office_hours": ["These office hours are for the members of a programme."]})

    # Repeated no-shows pause booking (NO_SHOW_POLICY, or the block's programme's policy).
    paused = booking_paused_reason(mentee, office_hours.programme)
    if paused:
        raise BookingPaused(paused)
    if ask is not None:
        from openhelp.help.officehours.ask_scheduling import (
            check_ask_can_take_slot,  # here: ask_scheduling imports this module
        )

        check_ask_can_take_slot(ask=ask, mentee=mentee, mentor_id=office_hours.mentor_id)
    return bookable_slot(office_hours, start)


def key_answers(mentee: User, idempotency: Idempotency) -> bool:
    """Whether ``idempotency``'s key already answers with a booking (a repeat gets that booking back)."""
    return IdempotencyKey.objects.filter(
        user=mentee, key=idempotency.key, created_at__gt=now() - idempotency_window()
    ).exists()


def _earlier_booking(mentee: User, idempotency: Idempotency) -> tuple[Booking | None, int | None]:
    """(the booking a live key was first used for, None) — or (None, the row of an expired key, which
    the booking's transaction removes before writing the key again) — or (None, None) for a new key.
    The same key with a different body raises ValidationError."""
    found = (
        IdempotencyKey.objects.filter(user=mentee, key=idempotency.key)
        .values_list("pk", "fingerprint", "booking_id", "created_at")
        .order_by()
        .first()
    )
    if found is None:
        return None, None
    pk, fingerprint, booking_id, created_at = found
    if created_at <= now() - idempotency_window():
        return None, pk
    if fingerprint != idempotency.fingerprint:
        raise ValidationError(
            {"idempotency_key": ["This Idempotency-Key was already used for a different request."]}
        )
    return (
        Booking.objects.select_related(
            "mentor__profile", "mentee__profile", "slot", "cancelled_by__profile", "session"
        ).get(pk=booking_id),
        None,
    )


def create_booking(
    *,
    office_hours: OfficeHours | None,
    claim: Claim,
    mentee: User,
    topic: str,
    question: str,
    ask: Ask | None = None,
    mentor_id: int | None = None,
    location: str | None = None,
    from_waitlist: bool = False,
    actor: User | None = None,
) -> Booking:
    # Without office hours (a booking made for an ask) the caller names the mentor and the place.
    mentor_id = mentor_id if mentor_id is not None else office_hours.mentor_id  # type: ignore[union-attr]
    row = hold_slot(office_hours=office_hours, mentor_id=mentor_id, claim=claim)
    booking = Booking.objects.create(
        slot=row,
        mentor_id=mentor_id,
        mentee=mentee,
        seat=claim.seat,
        start=row.start,
        end=row.end,
        topic=topic,
        question=question,
        ask=ask,
        location=location if location is not None else location_for(office_hours, row.start),  # type: ignore[arg-type]
        from_waitlist=from_waitlist,
    )
    if office_hours is not None and office_hours.mentor_id == mentor_id:
        booking.mentor = office_hours.mentor  # already loaded: saves a query for whoever reads it next
    event = BookingEvent.objects.create(
        booking=booking,
        kind=BookingEvent.Kind.PROMOTED if from_waitlist else BookingEvent.Kind.BOOKED,
        actor=actor or mentee,
        to_start=row.start,
    )
    record(
        "booking.confirmed",
        actor=actor or mentee,
        booking=booking.pk,
        mentee=mentee.pk,
        mentor=mentor_id,
        starts_at=row.start,
    )
    # Queued in the booking's own transaction (it commits or rolls back with it): the busiest write path
    # neither waits for the session nor makes it; the worker does, moments later.
    sync_booking_session_task.enqueue(booking.pk)
    # A new booking's history is this one event: hand it over as if prefetched, so whoever shows the
    # booking next (the API's answer) does not read it back.
    booking._prefetched_objects_cache = {"events": [event]}  # type: ignore[attr-defined]
    # Nor its session, which the worker makes: there is none yet.
    Booking.session.related.set_cached_value(booking, None)
    return booking
