"""The ask state machine: the only place an ask changes state.

Every change is a conditional UPDATE (``WHERE state = <expected>``), so two concurrent transitions from the
same state cannot both succeed: exactly one row changes, the loser gets IllegalTransition. Each successful
change is recorded in the timeline (AskEvent) with who, when and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from openhelp.help.asks.models import Ask, AskEvent, AskState
from openhelp.platform.lib.clock import now
from openhelp.platform.outbox.events import record

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

TRANSITIONS: dict[str, set[str]] = {
    AskState.DRAFT: {AskState.OPEN, AskState.CANCELLED},
    AskState.OPEN: {AskState.OFFERED, AskState.UNMATCHED, AskState.CANCELLED, AskState.EXPIRED},
    AskState.OFFERED: {
        AskState.ACCEPTED,
        AskState.OPEN,
        AskState.UNMATCHED,
        AskState.CANCELLED,
        AskState.EXPIRED,
    },
    AskState.UNMATCHED: {AskState.OPEN, AskState.CANCELLED, AskState.EXPIRED},
    # accepted or scheduled → open: the helper left the organisation, so the ask goes to other experts.
    AskState.ACCEPTED: {
        AskState.SCHEDULED,
        AskState.ANSWERED,
        AskState.COMPLETED,
        AskState.CANCELLED,
        AskState.OPEN,
    },
    # scheduled → accepted: the booked call was cancelled, so the accepted ask waits for a new time.
    AskState.SCHEDULED: {AskState.ACCEPTED, AskState.COMPLETED, AskState.CANCELLED, AskState.OPEN},
    AskState.ANSWERED: {AskState.COMPLETED, AskState.ACCEPTED},
    AskState.COMPLETED: set(),
    AskState.CANCELLED: set(),
    AskState.EXPIRED: set(),
}

TERMINAL = {AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED}
CLOSING = {AskState.COMPLETED: "closed_at", AskState.CANCELLED: "closed_at", AskState.EXPIRED: "closed_at"}


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
    ask: Ask,
    to_state: str,
    *,
    actor: User | None = None,
    note: str = "",
    kind: str = "transition",
    **fields: Any,
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
    record(event_kind(from_state, to_state), actor=actor, ask=ask.pk, mentee=ask.mentee_id)
    ask.latest_event = event
    return ask


def event_kind(from_state: str, to_state: str) -> str:
    """The outbox event of a state change (outbox.kinds): mostly ``ask.<new state>``."""
    if to_state == AskState.OPEN:
        return "ask.published" if from_state == AskState.DRAFT else "ask.reopened"
    if to_state == AskState.ACCEPTED and from_state != AskState.OFFERED:
        return "ask.resumed"
    return f"ask.{to_state}"


def record_event(ask: Ask, *, kind: str, actor: User | None = None, note: str = "") -> AskEvent:
    """A timeline entry that is not a state change (e.g. 'offered to 3 experts', 'escalated')."""
    return AskEvent.objects.create(ask=ask, actor=actor, kind=kind, note=note[:500], created_at=now())
