"""How an ask reads to people: its status in words, its timeline, and lists grouped by what they need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from openhelp.help.asks.models import Ask, AskEvent, AskState
from openhelp.help.asks.ports import routing
from openhelp.platform.lib.local_time import local_label, localise_utc_in_text

GROUPS = [
    ("needs-you", "Waiting for you", {AskState.DRAFT, AskState.ANSWERED}),
    ("waiting", "Looking for an expert", {AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED}),
    ("in-progress", "In progress", {AskState.ACCEPTED, AskState.SCHEDULED}),
    ("closed", "Closed", {AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED}),
]

KIND_LABELS = {
    "created": "Created",
    "published": "Published",
    "edited": "Edited",
    "cancelled": "Cancelled",
    "co_askers": "Co-askers changed",
    "rerouted": "Routed to other experts",
    "answered": "Marked as answered",
    "completed": "Completed",
    "follow_up": "Follow-up question",
    "scheduled": "Time agreed",
    "rescheduled": "Time changed",
    "unscheduled": "Booked call cancelled",
    # Routing's steps (routing.services records them on the same timeline).
    "offered": "Offered to experts",
    "accepted": "Accepted",
    "declined": "An expert could not take it",
    "offer_expired": "An offer expired unanswered",
    "reopened": "Looking for experts again",
    "unmatched": "No expert found",
    "escalated": "Escalated",
    "expired": "Expired",
}


def with_offer_counts(asks: QuerySet[Ask]) -> QuerySet[Ask]:
    """Annotate ``offered_count``: pending offers per ask, in the same query (a count, never who)."""
    return routing().with_pending_offer_counts(asks)


CLOSED_STATES = GROUPS[-1][2]


def count_open_and_closed(asks: QuerySet[Ask]) -> dict[str, int]:
    """{"open": n, "closed": m} for the tabs of My asks, in one query."""
    counts = asks.order_by().aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(state__in=CLOSED_STATES))
    )
    return {"open": counts["total"] - counts["closed"], "closed": counts["closed"]}


def state_label(ask: Ask, *, offered: int = 0) -> str:
    """The state in a few words for a badge: "Offered to 3 experts" rather than a label and a count that
    repeat each other ("Offered to experts · offered to 3 experts")."""
    if ask.state == AskState.OFFERED and offered:
        return f"Offered to {experts(offered)}"
    return AskState(ask.state).label


def group_asks(asks: Iterable[Ask]) -> list[tuple[str, str, list[Ask]]]:
    """(slug, heading, asks) for each non-empty group, in the order a person should act on them; each ask
    gets ``state_text`` for its badge (``state_label``)."""
    asks = list(asks)
    for ask in asks:
        ask.state_text = state_label(ask, offered=getattr(ask, "offered_count", 0))  # type: ignore[attr-defined]
    groups = []
    for slug, heading, states in GROUPS:
        members = [ask for ask in asks if ask.state in states]
        if members:
            groups.append((slug, heading, members))
    return groups


def experts(n: int) -> str:
    return f"{n} expert{'s' if n != 1 else ''}"


def status_text(ask: Ask, *, offered: int = 0, viewer=None) -> str:
    """Where the ask stands, in one sentence. The expert reading their own ask is "you", and the call they
    agreed is with the mentee, never with themselves ("A call with <their own name> is agreed")."""
    if viewer is not None and ask.helper_id and ask.helper_id == viewer.pk:
        mentee = ask.mentee.display_name
        for_helper = {
            AskState.ACCEPTED: f"You accepted it. Agree a time for the call with {mentee}, then record it below."
            if ask.is_call
            else f"You accepted it. Talk it through with {mentee} in the thread below.",
            AskState.SCHEDULED: f"A call with {mentee} is agreed.",
            AskState.ANSWERED: f"You marked it answered; {mentee} can confirm it helped.",
        }
        if ask.state in for_helper:
            return for_helper[AskState(ask.state)]
    helper = ask.helper.display_name if ask.helper_id else "The expert"
    texts = {
        AskState.DRAFT: "Draft: only you can see it. Publish it when it is ready.",
        AskState.OPEN: "Published: we are finding the right experts.",
        AskState.OFFERED: f"Offered to {experts(offered)}; the first to accept takes it."
        if offered
        else "Offered to experts; the first to accept takes it.",
        AskState.UNMATCHED: "No expert could take it yet. You can edit it, wait, or cancel it.",
        # Said on Today and in the API as well as on the ask's page: "the thread below" is only there.
        AskState.ACCEPTED: f"{helper} accepted it. Talk it through in the ask's thread.",
        AskState.SCHEDULED: f"A call with {helper} is agreed.",
        AskState.ANSWERED: f"{helper} marked it answered. Did it help?",
        AskState.COMPLETED: "Completed: it helped.",
        AskState.CANCELLED: f"Cancelled: {ask.cancel_reason}" if ask.cancel_reason else "Cancelled.",
        AskState.EXPIRED: "Expired: nobody could take it in time.",
    }
    return texts[AskState(ask.state)]


# Who does each step. The platform offers, re-offers, escalates, expires and gives up, whoever's click
# started it (publishing runs the first round with the mentee as the recorded actor): those steps never
# read as a person's. What a person does reads "<who> <verb>"; the note follows only when it adds
# something, so nothing is said twice ("Offered to experts: Offered to 3 experts").
PLATFORM_KINDS = {"offered", "declined", "offer_expired", "reopened", "unmatched", "escalated", "expired"}
PERSON_VERBS = {
    "created": "saved it as a draft",
    "published": "published it",
    "edited": "edited it",
    "cancelled": "cancelled it",
    "co_askers": "changed who co-asks",
    "rerouted": "routed it to other experts",
    "accepted": "accepted it",
    "answered": "marked it as answered",
    "completed": "closed it",
    "follow_up": "asked a follow-up question",
    "scheduled": "set the time",
    "rescheduled": "changed the time",
    "unscheduled": "cancelled the booked call",
}
# Notes that only restate the verb (written by the workflows that record these kinds).
SAYS_NOTHING_MORE = {
    "Saved as a draft.",
    "Published.",
    "Marked as answered.",
    "Routed to other experts after the person asked declined.",
}


@dataclass(frozen=True)
class TimelineRow:
    event: AskEvent
    who: str  # a name, "You", "An expert" or the platform
    what: str  # a short label of the kind ("Time agreed"), for lists and the API
    text: str = ""  # the step as one sentence: "You published it.", "Offered to 3 experts (round 1)."
    detail: str = ""  # what the note adds, times in the viewer's zone
    when: str = ""  # "Sun 6 Dec, 11:00 CET": the moment in the viewer's zone


def _what(event: AskEvent) -> str:
    if event.kind in KIND_LABELS:
        return KIND_LABELS[event.kind]
    if event.to_state:
        return AskState(event.to_state).label
    return event.kind.replace("_", " ").replace(".", " ").capitalize()


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?", "…")) else ".")


def _wording(event: AskEvent, *, who: str, note: str) -> tuple[str, str]:
    """(text, detail) of one step."""
    if event.kind in PLATFORM_KINDS:
        return _sentence(note or _what(event)), ""
    if event.kind == "accepted":
        return f"{who} accepted it.", ""
    if event.kind == "completed":
        return (f"{who} confirmed it helped.", "") if note == "It helped." else (f"{who} closed it.", note)
    name = event.actor.display_name if event.actor_id else ""
    if event.kind == "co_askers" and name and note.startswith(f"{name} "):
        return f"{who}{note[len(name) :]}", ""  # "Cody Coasker joined as a co-asker." → "You joined …"
    if event.kind == "unscheduled":
        return f"{who} cancelled the booked call.", note.removeprefix("The booked call was cancelled: ")
    verb = PERSON_VERBS.get(event.kind)
    if verb is None:
        verb = f"moved it to “{AskState(event.to_state).label}”" if event.to_state else _what(event).lower()
    return f"{who} {verb}.", "" if note in SAYS_NOTHING_MORE else note


def viewer_zone(viewer) -> str | None:
    profile = getattr(viewer, "profile", None)
    return getattr(profile, "timezone", None)


def timeline_rows(ask: Ask, *, viewer) -> list[TimelineRow]:
    """Every step with who and why. Experts who were only offered the ask stay anonymous ("An expert");
    times written into notes ("2026-12-06 10:00 UTC") read in the viewer's zone ("Sun 6 Dec, 11:00 CET")."""
    named = {ask.mentee_id, ask.helper_id, *ask.co_askers.values_list("pk", flat=True)}
    tz_name = viewer_zone(viewer)
    rows = []
    for event in AskEvent.objects.filter(ask=ask).select_related("actor__profile"):
        if event.actor_id is None or event.kind in PLATFORM_KINDS:
            who = settings.SITE_NAME  # the platform itself: routing, expiry, escalation
        elif event.actor_id == viewer.pk:
            who = "You"
        elif event.actor_id in named:
            who = event.actor.display_name
        else:
            who = "An expert"
        note = localise_utc_in_text(event.note.strip(), tz_name)
        text, detail = _wording(event, who=who, note=note)
        when = local_label(event.created_at, tz_name)
        rows.append(TimelineRow(event=event, who=who, what=_what(event), text=text, detail=detail, when=when))
    return rows
