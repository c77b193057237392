"""The ask state machine: the only place an ask changes state.

Every change is a conditional UPDATE (``WHERE state = <expected>``), so two concurrent transitions from the
same state cannot both succeed: exactly one row changes, the loser gets IllegalTransition. Each successful
change is recorded in the timeline (AskEvent) with who, when and why.
"""

from __future__ import annotations

from django.db import transaction

from asks.models import Ask, AskEvent, AskState
from lib.clock import now

S = AskState

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.OPEN, S.CANCELLED},
    S.OPEN: {S.OFFERED, S.UNMATCHED, S.CANCELLED, S.EXPIRED},
    S.OFFERED: {S.ACCEPTED, S.OPEN, S.UNMATCHED, S.CANCELLED, S.EXPIRED},
    S.UNMATCHED: {S.OPEN, S.CANCELLED, S.EXPIRED},
    S.ACCEPTED: {S.SCHEDULED, S.ANSWERED, S.COMPLETED, S.CANCELLED},
    # scheduled → accepted: the booked call was cancelled, so the accepted ask waits for a new time.
    S.SCHEDULED: {S.ACCEPTED, S.COMPLETED, S.CANCELLED},
    S.ANSWERED: {S.COMPLETED, S.ACCEPTED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
    S.EXPIRED: set(),
}

TERMINAL = {S.COMPLETED, S.CANCELLED, S.EXPIRED}
CLOSING = {S.COMPLETED: "closed_at", S.CANCELLED: "closed_at", S.EXPIRED: "closed_at"}


class AskConflict(Exception):
    """A valid request the ask's current state does not allow (a 409 in the API, a notice on the web)."""


class IllegalTransition(AskConflict):
    """The ask is not in a state that allows this step."""

    def __init__(self, ask: Ask, to_state: str, message: str | None = None):
        self.ask = ask
        self.to_state = to_state
        label_from = AskState(ask.state).label
        label_to = AskState(to_state).label
        super().__init__(message or f"This ask is “{label_from}”, so it cannot become “{label_to}”.")


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, set())


@transaction.atomic
def transition(
    ask: Ask, to_state: str, *, actor=None, note: str = "", kind: str = "transition", **fields
) -> Ask:
    """Move ``ask`` to ``to_state`` if legal and if nobody moved it first; record it; return the fresh ask.

    ``fields`` are saved in the same UPDATE (e.g. helper=…, accepted_at=…). The timeline entry is left on
    the returned ask as ``latest_event`` (handy as a dedupe key for the notification it causes).
    """
    from_state = ask.state
    if not can_transition(from_state, to_state):
        raise IllegalTransition(ask, to_state)
    moment = now()
    if to_state in CLOSING:
        fields.setdefault("closed_at", moment)
    changed = Ask.objects.filter(pk=ask.pk, state=from_state).update(
        state=to_state, updated_at=moment, **fields
    )
    if changed != 1:
        ask.refresh_from_db()
        raise IllegalTransition(ask, to_state, "Someone else changed this ask a moment ago; please reload.")
    event = AskEvent.objects.create(
        ask=ask,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        kind=kind,
        note=note[:500],
        created_at=moment,
    )
    ask.refresh_from_db()
    ask.latest_event = event
    return ask


def record_event(ask: Ask, *, kind: str, actor=None, note: str = "") -> AskEvent:
    """A timeline entry that is not a state change (e.g. 'offered to 3 experts', 'escalated')."""
    return AskEvent.objects.create(ask=ask, actor=actor, kind=kind, note=note[:500], created_at=now())
