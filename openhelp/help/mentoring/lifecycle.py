"""The session state machine: the only place a session changes state, kept in step with its ask.

    planned ──▶ completed   it took place (a debrief or "it happened"), or its ask closed after the start
       │
       └──────▶ cancelled   its ask or booking was cancelled, or its ask closed before it took place

A session completes only once it has taken place: a call or office-hours session from its start, an async
session from its acceptance (it is made when the expert accepts, so from the moment it exists). Before
that, completing it is refused with the time it opens, so nothing counts in anyone's figures early.

Completing a session closes its ask (→ completed) in the same transaction, so the ask stops offering
"mark as solved" and "cancel" for a session that is over; an ask that cannot close (cancelled meanwhile)
refuses the completion and nothing is written. The other direction — an ask or a booking that is
cancelled or completed — reaches the session through ``openhelp.help.mentoring.services.session_for_ask`` /
``session_for_booking``, which call ``cancel_session`` / ``complete_session`` here.

What the session page offers at an instant is decided here too (``available``): the call link from
``JOIN_OPENS_BEFORE`` (10 minutes) before the start until the planned end, with the timer; the plan until the
session is completed or cancelled; the debrief and kudos once it has taken place (``debrief_window``);
"Want more?" once it is over. The page, the API's ``available`` and the workflows (``why_no_kudos``,
``check_can_edit_plan``) read the same answer.

Every change locks the session row, re-checks the table on the locked row and saves through the model
(so the roll-ups' receivers see it); of two concurrent transitions from the same state exactly one wins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import transaction

from openhelp.help.asks import lifecycle as ask_lifecycle
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.mentoring.models import Session, SessionState
from openhelp.platform.lib.clock import now
from openhelp.platform.outbox.events import record

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

TRANSITIONS: dict[str, set[str]] = {
    SessionState.PLANNED: {SessionState.COMPLETED, SessionState.CANCELLED},
    SessionState.COMPLETED: set(),
    SessionState.CANCELLED: set(),
}
STAMP: dict[str, str] = {SessionState.COMPLETED: "completed_at", SessionState.CANCELLED: "cancelled_at"}


class SessionConflict(Exception):
    """A valid request the session's current state does not allow (a 409 in the API, a notice on the web)."""


class IllegalTransition(SessionConflict):
    """The session is not in a state that allows this step."""

    def __init__(self, session: Session, to_state: str, message: str | None = None):
        self.session = session
        self.to_state = to_state
        label_from = SessionState(session.state).label
        label_to = SessionState(to_state).label
        super().__init__(message or f"This session is “{label_from}”, so it cannot become “{label_to}”.")


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, set())


def takes_place_at(session: Session) -> dt.datetime | None:
    """From when the session counts as taking place (and may be debriefed): a call's start, an async
    session's acceptance (its creation). None while a call has no time yet."""
    return session.created_at if session.is_async else session.starts_at


def has_started(session: Session, moment: dt.datetime | None = None) -> bool:
    start = takes_place_at(session)
    return start is not None and start <= (moment or now())


@dataclass(frozen=True)
class DebriefWindow:
    """Whether the session may be debriefed (and completed) at a moment: ``reason`` says why not, in words for
    its participants (None: it may); ``opens_at`` is when it will, if only its start is still to come."""

    reason: str | None = None
    opens_at: dt.datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.reason is None


def debrief_window(session: Session, moment: dt.datetime | None = None) -> DebriefWindow:
    """The one rule for when a session may be debriefed or completed: the debrief page, its save and the
    session page all ask it."""
    if session.state == SessionState.CANCELLED:
        return DebriefWindow("This session was cancelled, so there is nothing to debrief.")
    if session.state == SessionState.COMPLETED:
        return DebriefWindow()
    if session.booking_id is not None and not session.booking.is_confirmed:  # type: ignore[union-attr]
        return DebriefWindow(
            "The booked call was cancelled; the debrief opens once the session has taken place."
        )
    start = takes_place_at(session)
    if start is None:
        return DebriefWindow("No time is agreed for this call yet; the debrief opens when the call starts.")
    if start > (moment or now()):
        return DebriefWindow(
            f"The debrief opens when the session starts ({start.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC).",
            opens_at=start,
        )
    return DebriefWindow()


def why_not_started(session: Session, moment: dt.datetime | None = None) -> str | None:
    """Why this session cannot be debriefed or completed yet, in words for its participants — or None."""
    return debrief_window(session, moment).reason


def check_can_debrief(session: Session, moment: dt.datetime | None = None) -> None:
    """Raise SessionConflict (with the reason in words) unless this session may be debriefed now."""
    reason = why_not_started(session, moment)
    if reason:
        raise SessionConflict(reason)


# The call link opens this long before the agreed start (Zoom and Calendly let people in a few minutes
# early; ten is enough to test the microphone without inviting anyone to sit in an empty room for long).
JOIN_OPENS_BEFORE = dt.timedelta(minutes=10)


class Phase(StrEnum):
    """Where a session stands at an instant, as its page sees it."""

    UNSCHEDULED = "unscheduled"  # a call with no agreed time yet
    BEFORE = "before"  # before the call link opens
    OPENING = "opening"  # the call link is open, the call has not started
    DURING = "during"  # between the agreed start and the planned end
    ASYNC = "async"  # an async session still going on in messages (no clock)
    OVER = "over"  # past the planned end, completed or cancelled


@dataclass(frozen=True)
class Available:
    """What the session page (and the API's ``available``) offers at an instant — the one rule; the
    workflows behind each action refuse the same things (``check_can_debrief``, ``why_no_kudos``,
    ``check_can_edit_plan``, attendance's own check)."""

    phase: Phase
    join: bool  # the "Join the call" button (only for a call whose place is an https link)
    join_opens_at: dt.datetime | None  # when the link opens, while it is still closed
    timer: bool
    edit_plan: bool
    debrief: DebriefWindow
    kudos: bool  # thanking the other person for this session
    follow_up: bool  # "Want more?": ask again, book their office hours
    attendance: bool  # "did it happen?"


def planned_end(session: Session) -> dt.datetime | None:
    """The end of a call: its agreed end, else its start plus its planned minutes (else its start)."""
    if session.ends_at is not None or session.starts_at is None:
        return session.ends_at
    return session.starts_at + dt.timedelta(minutes=session.planned_minutes or 0)


def phase_of(session: Session, moment: dt.datetime | None = None) -> Phase:
    at = moment or now()
    if session.state != SessionState.PLANNED:
        return Phase.OVER
    if session.is_async:
        return Phase.ASYNC
    start, end = session.starts_at, planned_end(session)
    if start is None or end is None:
        return Phase.UNSCHEDULED
    if end <= at:
        return Phase.OVER
    if start <= at:
        return Phase.DURING
    return Phase.OPENING if start - JOIN_OPENS_BEFORE <= at else Phase.BEFORE


def has_call_link(session: Session) -> bool:
    return not session.is_async and session.place.startswith("https://")


def join_opens_at(session: Session) -> dt.datetime | None:
    """When the call link opens (None: no agreed time, or no link to join)."""
    if session.starts_at is None or not has_call_link(session):
        return None
    return session.starts_at - JOIN_OPENS_BEFORE


def available(session: Session, moment: dt.datetime | None = None) -> Available:
    """Which of the session's actions are open at ``moment`` (now by default)."""
    at = moment or now()
    where = phase_of(session, at)
    live = where in (Phase.OPENING, Phase.DURING)
    debrief = debrief_window(session, at)
    return Available(
        phase=where,
        join=live and has_call_link(session),
        join_opens_at=join_opens_at(session) if where == Phase.BEFORE else None,
        timer=live and bool(session.planned_minutes),
        edit_plan=session.state == SessionState.PLANNED,
        debrief=debrief,
        kudos=debrief.is_open and session.state != SessionState.CANCELLED,
        follow_up=where == Phase.OVER,
        attendance=not session.is_async and session.state != SessionState.CANCELLED and session.has_ended(at),
    )


def why_no_kudos(session: Session, moment: dt.datetime | None = None) -> str | None:
    """Why the participants cannot yet thank each other *for this session* (None: they can). Kudos from a
    profile, tied to no session, are never refused here."""
    if available(session, moment).kudos:
        return None
    if session.state == SessionState.CANCELLED:
        return "This session was cancelled, so there is nothing to thank for from it."
    return "Kudos for a session open once it has taken place; thank them after the call."


def check_can_edit_plan(session: Session, moment: dt.datetime | None = None) -> None:
    """Raise SessionConflict once the session is completed or cancelled: its objective and questions are
    then its record. Until then (a call past its end not yet debriefed included) either side may put
    them right."""
    if not available(session, moment).edit_plan:
        label = SessionState(session.state).label
        raise SessionConflict(
            f"This session is “{label}”, so its objective and questions can no longer change."
        )


@transaction.atomic
def transition(session: Session, to_state: str, *, moment: dt.datetime | None = None) -> Session:
    """Move ``session`` to ``to_state`` if the table allows it from its current (locked) state.

    Updates the caller's instance and returns it."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not can_transition(locked.state, to_state):
        raise IllegalTransition(locked, to_state)
    locked.state = to_state
    setattr(locked, STAMP[to_state], moment or now())
    locked.save(update_fields=["state", STAMP[to_state], "updated_at"])
    kind = "session.held" if to_state == SessionState.COMPLETED else f"session.{to_state}"
    record(kind, session=locked.pk, mentor=locked.mentor_id, mentee=locked.mentee_id)
    for name in ("state", STAMP[to_state], "updated_at"):
        setattr(session, name, getattr(locked, name))
    return session


def complete_session(
    *, session: Session, actor: User | None = None, note: str = "The session took place."
) -> Session:
    """Planned → completed, once it has taken place, with its ask closed in the same transaction.

    Completing a completed session does nothing (a second debrief save, both people saying it happened).
    """
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.state == SessionState.COMPLETED:
            _copy_state(locked, session)
            return session
        if locked.state != SessionState.PLANNED:
            raise IllegalTransition(locked, SessionState.COMPLETED)
        moment = now()
        check_can_debrief(locked, moment)
        _close_ask(locked, actor=actor, note=note)
        transition(locked, SessionState.COMPLETED, moment=moment)
    _copy_state(locked, session)
    return session


def cancel_session(*, session: Session, moment: dt.datetime | None = None) -> Session:
    """Planned → cancelled (its ask or booking was cancelled, or its ask closed before it took place).
    A session already completed or cancelled stays as it is."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if can_transition(locked.state, SessionState.CANCELLED):
            transition(locked, SessionState.CANCELLED, moment=moment)
    _copy_state(locked, session)
    return session


def follow_ask(*, session: Session, ask: Ask) -> Session:
    """Bring a planned session in step with its ask's end: a cancelled ask cancels it; a completed ask
    completes it if it has taken place, and otherwise cancels it (it never took place, so it must not
    count as held)."""
    if session.state != SessionState.PLANNED:
        return session
    if ask.state == AskState.CANCELLED:
        return cancel_session(session=session, moment=ask.closed_at)
    if ask.state == AskState.COMPLETED:
        if why_not_started(session) is None:
            return transition(session, SessionState.COMPLETED, moment=ask.closed_at)
        return cancel_session(session=session, moment=ask.closed_at)
    return session


def _close_ask(session: Session, *, actor: User | None, note: str) -> None:
    if session.ask_id is None:
        return
    ask = Ask.objects.get(pk=session.ask_id)
    if ask.state == AskState.COMPLETED:
        return
    try:
        ask_lifecycle.transition(ask, AskState.COMPLETED, actor=actor, kind="completed", note=note)
    except ask_lifecycle.IllegalTransition as error:
        raise SessionConflict(
            f"The ask of this session is “{AskState(error.ask.state).label}”, so the session cannot be "
            "completed."
        ) from error


def _copy_state(source: Session, target: Session) -> None:
    if source is not target:
        for name in ("state", "completed_at", "cancelled_at", "updated_at"):
            setattr(target, name, getattr(source, name))
