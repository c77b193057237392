"""Scheduling an accepted call ask: the mentee picks one of the expert's free office-hours slots, or the
expert proposes up to three times and the mentee picks one. Either way the call becomes a booking (so the
same locks, checks and constraints keep it from overlapping anything) and the ask becomes scheduled.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from openhelp.help.asks.lifecycle import IllegalTransition, record_event, transition
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring.services import follow_ask_after_commit
from openhelp.help.officehours import availability
from openhelp.help.officehours import booking as booking_service
from openhelp.help.officehours.booking import Claim, check_free, create_booking
from openhelp.help.officehours.errors import NotChangeable, SeatTaken
from openhelp.help.officehours.models import Booking, BookingState, ProposedTime, TimeProposal
from openhelp.help.officehours.notices import queue_announcement, when_for
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.locking import locked_transaction
from openhelp.platform.notifications.services import notify

MAX_PROPOSED = 3
MIN_NOTICE = dt.timedelta(hours=1)
MAX_LOCATION = 300


def ask_minutes(ask: Ask) -> int:
    return availability.ASK_MINUTES.get(ask.format, 30)


def check_ask_can_take_slot(*, ask: Ask, mentee, mentor_id: int) -> None:
    if ask.mentee_id != mentee.pk:
        raise PermissionDenied("Only the person who wrote the ask can book a time for it.")
    if ask.helper_id != mentor_id:
        raise ValidationError({"ask": ["Link an ask this mentor accepted."]})
    if not ask.is_call or ask.state != AskState.ACCEPTED:
        raise ValidationError({"ask": ["Only an accepted call ask that has no time yet can be linked."]})


def mark_ask_scheduled(*, ask: Ask, booking: Booking, actor) -> Ask:
    """accepted → scheduled, inside the booking's transaction (a lost race rolls the booking back too)."""
    try:
        ask = transition(
            ask,
            AskState.SCHEDULED,
            actor=actor,
            kind="scheduled",
            note=f"Booked for {booking.start:%Y-%m-%d %H:%M} UTC at {booking.location}.",
            scheduled_for=booking.start,
            scheduled_place=booking.location[:300],
        )
    except IllegalTransition as error:
        raise NotChangeable(str(error)) from error
    follow_ask_after_commit(ask_id=ask.pk)
    return ask


def move_ask(*, ask_id: int, booking: Booking, actor) -> None:
    changed = Ask.objects.filter(pk=ask_id, state=AskState.SCHEDULED).update(
        scheduled_for=booking.start, scheduled_place=booking.location[:300], updated_at=now()
    )
    if changed:
        record_event(
            Ask(pk=ask_id),
            kind="rescheduled",
            actor=actor,
            note=f"Moved to {booking.start:%Y-%m-%d %H:%M} UTC.",
        )
        follow_ask_after_commit(ask_id=ask_id)


def unschedule_ask(*, ask_id: int, actor, reason: str) -> Ask | None:
    """The booked call was cancelled: scheduled → accepted, its time and place cleared, so the ask waits
    for a new time (the mentee books again or the expert proposes). Runs inside the cancellation's
    transaction; an ask no longer scheduled (completed, cancelled meanwhile) is left as it is."""
    ask = Ask.objects.filter(pk=ask_id).first()
    if ask is None or ask.state != AskState.SCHEDULED:
        return None
    try:
        ask = transition(
            ask,
            AskState.ACCEPTED,
            actor=actor,
            kind="unscheduled",
            note=f"The booked call was cancelled: {reason}"[:500],
            scheduled_for=None,
            scheduled_place="",
        )
    except IllegalTransition:
        return None  # someone moved the ask a moment ago (completed, cancelled): nothing left to undo
    follow_ask_after_commit(ask_id=ask.pk)
    return ask


# --- The expert proposes, the mentee chooses ------------------------------------------------------------


def propose_times(*, ask: Ask, actor, starts: list[dt.datetime | None], location: str) -> TimeProposal:
    """The helper proposes 1–3 times for an accepted call ask; earlier open proposals are withdrawn."""
    if ask.helper_id != actor.pk:
        raise PermissionDenied("Only the expert helping with this ask can propose times.")
    if not ask.is_call or ask.state != AskState.ACCEPTED:
        raise NotChangeable("Times can be proposed for an accepted call ask that has no time yet.")
    moment = now()
    chosen = sorted({start for start in starts if start is not None})
    errors: dict[str, list[str]] = {}
    if not chosen:
        errors["starts"] = ["Propose at least one time."]
    elif len(chosen) > MAX_PROPOSED:
        errors["starts"] = [f"Propose at most {MAX_PROPOSED} times."]
    elif any(start < moment + MIN_NOTICE for start in chosen):
        errors["starts"] = ["Propose times at least an hour from now."]
    location = " ".join((location or "").split())
    if not location:
        errors["location"] = ["Say where: a meeting link, a room or a phone number."]
    elif len(location) > MAX_LOCATION:
        errors["location"] = [f"Keep the place under {MAX_LOCATION} characters."]
    if errors:
        raise ValidationError(errors)
    minutes = ask_minutes(ask)
    for start in chosen:
        if availability.conflicting_commitment(actor.pk, start, start + dt.timedelta(minutes=minutes)):
            raise ValidationError({"starts": [f"You already have something at {when_for(actor, start)}."]})
    with transaction.atomic():
        TimeProposal.objects.filter(ask=ask, state=TimeProposal.State.OPEN).update(
            state=TimeProposal.State.WITHDRAWN
        )
        proposal = TimeProposal.objects.create(ask=ask, mentor=actor, minutes=minutes, location=location)
        ProposedTime.objects.bulk_create([ProposedTime(proposal=proposal, start=start) for start in chosen])

        notify(
            event="booking.times_proposed",
            recipients=[ask.mentee],
            title=f"{actor.display_name} proposed {len(chosen)} time{'s' if len(chosen) > 1 else ''} for “{ask.title}”",
            body="; ".join(when_for(ask.mentee, start) for start in chosen),
            url=reverse("officehours:ask-schedule", args=[ask.pk]),
            context={"ask_id": ask.pk, "proposal_id": proposal.pk},
            dedupe_key=f"proposal:{proposal.pk}",
        )
    return proposal


def choose_proposed_time(*, proposal: TimeProposal, actor, proposed_time: ProposedTime) -> Booking:
    """The mentee picks one proposed time: it becomes a booking and the ask becomes scheduled."""
    ask = proposal.ask
    if ask.mentee_id != actor.pk:
        raise PermissionDenied("Only the person who wrote the ask can choose a time.")
    if proposed_time.proposal_id != proposal.pk:
        raise ValidationError({"proposed_time": ["Choose one of the proposed times."]})
    start = proposed_time.start
    end = start + dt.timedelta(minutes=proposal.minutes)
    if start <= now():
        raise ValidationError({"proposed_time": ["That time has passed; ask for new times in the thread."]})
    try:
        with locked_transaction(user_ids=[proposal.mentor_id, actor.pk]):
            fresh = TimeProposal.objects.select_related("ask").get(pk=proposal.pk)
            if fresh.state != TimeProposal.State.OPEN:
                raise NotChangeable("These times are no longer open; the expert may have proposed new ones.")
            check_free(
                mentor_id=proposal.mentor_id, mentee_id=actor.pk, start=start, end=end, ignore_ask_id=ask.pk
            )
            booking_service._before_write()
            claim = Claim(row=None, seat=1, seats=1, start=start, end=end, new_session=True)
            booking = create_booking(
                office_hours=None,
                mentor_id=proposal.mentor_id,
                claim=claim,
                mentee=actor,
                topic=ask.title[:120],
                question=(ask.preparation_questions or [""])[0][:1000],
                ask=ask,
                location=proposal.location,
            )
            mark_ask_scheduled(ask=fresh.ask, booking=booking, actor=actor)
            TimeProposal.objects.filter(pk=proposal.pk).update(
                state=TimeProposal.State.CHOSEN, booking=booking
            )

            queue_announcement("confirmed", booking)
    except IntegrityError as error:
        raise SeatTaken("That time was taken a moment ago; please choose another.") from error
    return booking


def open_proposal(ask: Ask) -> TimeProposal | None:
    return (
        TimeProposal.objects.filter(ask=ask, state=TimeProposal.State.OPEN).prefetch_related("times").first()
    )


def confirmed_booking_for(ask: Ask) -> Booking | None:
    return Booking.objects.filter(ask=ask, state=BookingState.CONFIRMED).first()
