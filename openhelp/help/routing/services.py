"""Routing: offering asks to experts, first accept wins, declines and silence move an ask on, nothing rots.

Locking policy (one rule, so two workflows can never deadlock): every routing write takes the ask's row
first — ``select_for_update`` on the ask, or, when accepting, the conditional UPDATE of the ask inside
``openhelp.help.asks.lifecycle.transition`` — and only then touches that ask's offers. Accepting relies on that
conditional UPDATE (``WHERE state = 'offered'``) alone: of several experts accepting at the same instant
exactly one changes the row, on PostgreSQL (row lock, then re-check of the WHERE) and on SQLite
(``BEGIN IMMEDIATE`` serialises writers). tests/routing/test_accept_race.py proves it against a live
server, with a negative control that switches the protection off.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from openhelp.directory.people.models import Block, Profile
from openhelp.directory.people.validators import validate_pause_until
from openhelp.help.asks.lifecycle import IllegalTransition, record_event, transition
from openhelp.help.asks.models import Ask, AskMode, AskQuerySet, AskState
from openhelp.help.mentoring.services import follow_ask_after_commit
from openhelp.help.routing import notices, policy
from openhelp.help.routing.candidates import Match, direct_reasons, rank_candidates, unavailable_reason
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.help.routing.tasks import (
    check_escalation_task,
    expire_ask_task,
    expire_offer_task,
    remind_offer_task,
    route_ask_task,
    schedule,
)
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.outbox.events import record, record_many

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

ROUTABLE = frozenset({AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED})
MENTOR_DECLINE_REASONS = (DeclineReason.NOT_MY_AREA, DeclineReason.NO_TIME, DeclineReason.OTHER)
MAX_NOTE = 300
MAX_PAUSE_DAYS = 366


class RoutingConflict(Exception):
    """A valid request that the offer's or ask's current state does not allow (409 / a notice)."""


class OfferTaken(RoutingConflict):
    """Another expert accepted the ask first."""


class NotOfferable(ValidationError):
    """The chosen person cannot be offered this ask (it is theirs, a block, or they were asked already)."""


# --- Offering ------------------------------------------------------------------------------------


def route_ask(*, ask: Ask, actor: User | None = None) -> int:
    """Offer an open (or unmatched, or re-routable) ask to the best experts; return how many were offered.

    Nothing happens while offers are still pending or once someone accepted. When nobody fits any more,
    even with the widened pool, the ask becomes "unmatched" and the mentee is told what they can do.
    """
    with transaction.atomic():
        locked = _lock_ask(ask.pk)
        if locked.mode == AskMode.DIRECTED:
            return 0  # the mentee chose one person; routing to others is their call (asks.services)
        return _next_round(locked, actor=actor)


def route_ask_later(*, ask: Ask, actor: User | None = None) -> None:
    """Publishing's half of routing: the worker offers the ask (``route_published_ask``) moments after the
    caller's transaction commits, so publishing answers at once whatever the size of the organisation.

    Until then the ask reads "Published: we are finding the right experts" (and its page looks again by
    itself). An ask whose task was lost (the queue was down at the commit) is picked up within minutes by
    the periodic ``route_forgotten_asks``.
    """
    enqueue_on_commit(route_ask_task, ask.pk, actor.pk if actor else None)


# An ask still open and never offered this long after publishing lost its routing task.
FORGOTTEN_AFTER = dt.timedelta(minutes=2)


def route_published_ask(*, ask_id: int, actor_id: int | None = None) -> str:
    """The worker's side of ``route_ask_later``: the first round of a published ask, once.

    Only an ask still open and never offered is routed: a second run, or one after the ask was cancelled
    or routed by ``route_forgotten_asks``, does nothing.
    """
    with transaction.atomic():
        locked = _locked_asks().filter(pk=ask_id).first()
        if locked is None or not locked.waits_for_first_round():
            return "nothing to do"
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        offered = _next_round(locked, actor=actor)
    return f"offered to {offered}"


def route_forgotten_asks(*, limit: int = 100) -> int:
    """Route published asks whose first round never came (their task was lost); how many were routed."""
    waiting = Ask.objects.filter(
        state=AskState.OPEN,
        mode=AskMode.ROUTED,
        routing_round=0,
        published_at__lte=now() - FORGOTTEN_AFTER,
    ).order_by("published_at")
    routed = 0
    for ask_id, actor_id in waiting.values_list("pk", "mentee_id")[:limit]:
        routed += route_published_ask(ask_id=ask_id, actor_id=actor_id) != "nothing to do"
    return routed


def offer_directly(*, ask: Ask, mentor: User, actor: User | None = None) -> Offer:
    """Offer a directed ask to the one person the mentee chose.

    When that person is not taking asks (paused, not open to help, no sessions left), the offer is
    recorded as declined on their behalf, without bothering them, and the mentee is told at once.
    """
    with transaction.atomic():
        locked = _lock_ask(ask.pk)
        if locked.state != AskState.OPEN:
            raise IllegalTransition(locked, AskState.OFFERED)
        asker_ids = _asker_ids(locked)
        if mentor.pk in asker_ids:
            raise NotOfferable("You cannot offer an ask to yourself or a co-asker.", code="self")
        if (
            Block.objects.filter(blocker_id__in=asker_ids, blocked=mentor).exists()
            or Block.objects.filter(blocker=mentor, blocked_id__in=asker_ids).exists()
        ):
            raise NotOfferable("This person cannot be asked.", code="blocked")
        if Offer.objects.filter(ask=locked, mentor=mentor).exists():
            raise NotOfferable("This person was already asked.", code="already_offered")
        moment = now()
        why_not = unavailable_reason(mentor)
        if why_not:
            offer = Offer.objects.create(
                ask=locked,
                mentor=mentor,
                round=locked.routing_round + 1,
                state=OfferState.DECLINED,
                decline_reason=DeclineReason.UNAVAILABLE,
                decline_note=why_not,
                created_at=moment,
                expires_at=moment,
                responded_at=moment,
                reasons=[],
            )
            record_event(locked, kind="declined", note=f"{mentor.display_name} {why_not}.")
            record("offer.declined", offer=offer.pk, ask=locked.pk, mentor=mentor.pk)
            notices.directed_declined(locked, offer=offer, why=f"{mentor.display_name} {why_not}.")
            return offer
        locked = transition(
            locked,
            AskState.OFFERED,
            actor=actor,
            kind="offered",
            note=f"Offered to {mentor.display_name}, as asked.",
            routing_round=locked.routing_round + 1,
        )
        [offer] = _create_offers(locked, [(mentor, 0, direct_reasons(locked, mentor))], moment=moment)
        _schedule_ask_deadlines(locked)
        return offer


def _next_round(ask: Ask, *, actor: User | None) -> int:
    """With the ask locked: offer it to the next experts, escalate first if due, or say nobody fits."""
    if ask.state not in ROUTABLE:
        return 0
    if Offer.objects.filter(ask=ask, state=OfferState.PENDING).exists():
        return 0
    if ask.routing_round >= policy.setting("MAX_ROUNDS"):
        _mark_unmatched(ask, actor=actor, note=f"No accept after {ask.routing_round} rounds.")
        return 0
    if ask.escalated_at is None and ask.routing_round >= policy.setting("ESCALATE_AFTER_ROUNDS"):
        _escalate(ask, why=f"{ask.routing_round} rounds of offers went by without an accept.")
    ranked = rank_candidates(
        ask, widened=ask.escalated_at is not None, limit=policy.offers_per_round(ask.programme)
    )
    if not ranked and ask.escalated_at is None:
        ranked = rank_candidates(ask, widened=True, limit=policy.offers_per_round(ask.programme))
        if ranked:
            _escalate(ask, why="Nobody with exactly these skills is free any more.")
    if not ranked:
        _mark_unmatched(ask, actor=actor, note="No expert who fits is free right now.")
        return 0
    return _offer_round(ask, ranked, actor=actor)


def _offer_round(ask: Ask, ranked: list[Match], *, actor: User | None, announce: bool = True) -> int:
    """Create one offer per ranked expert as a new round.

    The mentee hears when a round replaces experts who could not take it (``announce``); the first
    offers after the ask opened schedule its escalation check and its 'needed by' expiry.
    """
    round_no = ask.routing_round + 1
    names = "1 expert" if len(ranked) == 1 else f"{len(ranked)} experts"
    note = f"Offered to {names} (round {round_no})."
    first_offers = ask.state != AskState.OFFERED
    if ask.state == AskState.UNMATCHED:
        ask = transition(ask, AskState.OPEN, actor=actor, kind="reopened", note="Looking for experts again.")
    if ask.state == AskState.OPEN:
        ask = transition(
            ask, AskState.OFFERED, actor=actor, kind="offered", note=note, routing_round=round_no
        )
    else:
        Ask.objects.filter(pk=ask.pk).update(routing_round=round_no, updated_at=now())
        ask.routing_round = round_no
        record_event(ask, kind="offered", actor=actor, note=note)
    mentors = get_user_model().objects.select_related("profile").in_bulk([m.mentor_id for m in ranked])
    chosen = [(mentors[match.mentor_id], match.score, match.reasons) for match in ranked]
    _create_offers(ask, chosen, moment=now())
    if first_offers:
        _schedule_ask_deadlines(ask)
    elif announce:
        notices.ask_rerouted(ask, offered=len(ranked))
    return len(ranked)


def _create_offers(
    ask: Ask, chosen: list[tuple[User, float, list[str]]], *, moment: dt.datetime
) -> list[Offer]:
    """One offer per (mentor, score, reasons), in the order given: the rows, their 'offer.made' events
    and their notifications each in one bulk insert, then each offer's expiry and reminder."""
    window = policy.offer_window(ask.urgency)
    offers = Offer.objects.bulk_create(
        [
            Offer(
                ask=ask,
                mentor=mentor,
                round=ask.routing_round,
                score=score,
                reasons=list(reasons),
                created_at=moment,
                expires_at=moment + window,
            )
            for mentor, score, reasons in chosen
        ]
    )
    record_many("offer.made", [{"offer": o.pk, "ask": ask.pk, "mentor": o.mentor_id} for o in offers])
    for offer in offers:
        schedule(expire_offer_task, offer.pk, at=offer.expires_at)
        schedule(
            remind_offer_task,
            offer.pk,
            at=policy.expiring_soon_at(created_at=moment, expires_at=offer.expires_at),
        )
    notices.offers_received(offers, ask=ask)
    return offers


def _schedule_ask_deadlines(ask: Ask) -> None:
    if ask.mode == AskMode.ROUTED:
        since = ask.published_at or ask.created_at
        schedule(
            check_escalation_task,
            ask.pk,
            at=policy.escalation_due_at(urgency=ask.urgency, since=since, programme=ask.programme),
        )
    if ask.needed_by is not None:
        schedule(expire_ask_task, ask.pk, at=_ask_deadline(ask))


def _mark_unmatched(ask: Ask, *, actor: User | None, note: str) -> None:
    if ask.state == AskState.UNMATCHED:
        return
    ask = transition(ask, AskState.UNMATCHED, actor=actor, kind="unmatched", note=note)
    notices.ask_unmatched(ask)


# --- Answering an offer ----------------------------------------------------------------------------


def accept_offer(*, offer: Offer, mentor: User) -> Offer:
    """The mentor takes the ask. The first accept wins; everyone else's offer is withdrawn politely.

    Raises ``OfferTaken`` when another expert was first and ``RoutingConflict`` when the offer is no
    longer open (expired, declined, the ask was cancelled).
    """
    _require_own(offer, mentor)
    try:
        with transaction.atomic():
            fresh = Offer.objects.select_related("ask").get(pk=offer.pk)
            if not fresh.can_accept():
                raise _closed(fresh)
            moment = now()
            # The serialisation point: a conditional UPDATE of the ask (WHERE state = 'offered').
            ask = transition(
                fresh.ask,
                AskState.ACCEPTED,
                actor=mentor,
                kind="accepted",
                note=f"Accepted by {mentor.display_name}.",
                helper=mentor,
                accepted_at=moment,
            )
            changed = Offer.objects.filter(pk=fresh.pk, state=OfferState.PENDING).update(
                state=OfferState.ACCEPTED, responded_at=moment
            )
            if changed != 1:  # it expired or was withdrawn meanwhile: undo the accept as well
                raise _closed(Offer.objects.select_related("ask").get(pk=fresh.pk))
            record("offer.accepted", actor=mentor, offer=fresh.pk, ask=ask.pk, mentor=mentor.pk)
            follow_ask_after_commit(ask_id=ask.pk)  # the session opens once the accept commits
            others = _close_pending(ask, to_state=OfferState.WITHDRAWN)
            notices.offers_taken(others, ask=ask)
            notices.ask_accepted(ask, helper=mentor)
    except IllegalTransition as error:
        if error.ask.state == AskState.ACCEPTED:
            raise OfferTaken(
                "Someone else accepted this ask a moment ago. Thank you for being ready to help!"
            ) from None
        raise RoutingConflict(
            f"This ask is now “{AskState(error.ask.state).label}”, so it can no longer be accepted."
        ) from None
    offer.refresh_from_db()
    return offer


def decline_offer(*, offer: Offer, mentor: User, reason: str, note: str = "") -> Offer:
    """One-click decline with a reason; the ask goes on to the next experts (or back to its mentee)."""
    note = " ".join((note or "").split())
    errors: dict[str, list[str]] = {}
    if reason not in MENTOR_DECLINE_REASONS:
        errors["reason"] = ["Choose a reason: not my area, no time this week, or other."]
    if len(note) > MAX_NOTE:
        errors["note"] = [f"Keep the note under {MAX_NOTE} characters (it has {len(note)})."]
    elif reason == DeclineReason.OTHER and not note:
        errors["note"] = ["Say in a few words why, so we route it better next time."]
    if errors:
        raise ValidationError(errors)
    _require_own(offer, mentor)
    _decline(offer, reason=reason, note=note)
    offer.refresh_from_db()
    return offer


def _decline(offer: Offer, *, reason: str, note: str) -> None:
    with transaction.atomic():
        ask = _lock_ask(offer.ask_id)
        moment = now()
        changed = Offer.objects.filter(pk=offer.pk, state=OfferState.PENDING).update(
            state=OfferState.DECLINED, responded_at=moment, decline_reason=reason, decline_note=note
        )
        if changed != 1:
            raise _closed(Offer.objects.select_related("ask").get(pk=offer.pk))
        label = DeclineReason(reason).label.lower()
        record_event(ask, kind="declined", note=f"One expert could not take it ({label}).")
        record("offer.declined", actor=offer.mentor_id, offer=offer.pk, ask=ask.pk, mentor=offer.mentor_id)
        _after_offer_closed(ask, offer=offer, why=f"{offer.mentor.display_name} could not take it ({label}).")


def _after_offer_closed(ask: Ask, *, offer: Offer, why: str) -> None:
    """With the ask locked, after an offer was declined or expired: move the ask on."""
    if ask.mode == AskMode.DIRECTED:
        if (
            ask.state == AskState.OFFERED
            and not Offer.objects.filter(ask=ask, state=OfferState.PENDING).exists()
        ):
            ask = transition(ask, AskState.OPEN, kind="declined", note="The person asked could not take it.")
            notices.directed_declined(ask, offer=offer, why=why)
        return
    _next_round(ask, actor=None)


def pause_mentor(*, mentor: User, until: dt.date) -> int:
    """'Pause me until …': no new offers until that day; pending ones are declined politely and re-routed.

    Returns how many pending offers were passed on.
    """
    today = now().date()
    if until is None:
        raise ValidationError({"until": ["Choose the day you are back."]})
    errors = _pause_errors(until, today=today)
    if errors:
        raise ValidationError({"until": errors})
    Profile.objects.filter(user=mentor).update(paused_until=until, updated_at=now())
    return _decline_pending(mentor, reason=DeclineReason.PAUSED, note=f"Paused until {until:%d %b %Y}.")


def resume_mentor(*, mentor: User) -> None:
    """End a pause early: offers can come again from now on."""
    Profile.objects.filter(user=mentor).update(paused_until=None, updated_at=now())


def pass_on_offers(*, mentor: User, note: str) -> int:
    """Decline, as "not taking asks", every pending offer of someone who can no longer answer (their
    account was deactivated by the company directory); each ask moves on as after any decline.

    Returns how many offers were passed on."""
    return _decline_pending(mentor, reason=DeclineReason.UNAVAILABLE, note=note)


def _decline_pending(mentor: User, *, reason: str, note: str) -> int:
    """Decline every pending offer of the mentor; each ask moves on. Returns how many were declined."""
    passed_on = 0
    for offer in (
        Offer.objects.filter(mentor=mentor, state=OfferState.PENDING)
        .select_related("mentor")
        .order_by("ask_id")
    ):
        try:
            _decline(offer, reason=reason, note=note)
        except RoutingConflict:
            continue  # answered or expired meanwhile
        passed_on += 1
    return passed_on


def _pause_errors(until: dt.date, *, today: dt.date) -> list[str]:
    try:
        validate_pause_until(until)
    except ValidationError as error:
        return list(error.messages)
    if until > today + dt.timedelta(days=MAX_PAUSE_DAYS):
        return ["Pause for a year at most; you can pause again later."]
    return []


def withdraw_offers(*, ask: Ask, why: str = "The person who asked cancelled it.") -> int:
    """Withdraw every pending offer of an ask (cancelled, expired) and tell those experts; returns how many."""
    with transaction.atomic():
        locked = _lock_ask(ask.pk)
        withdrawn = _close_pending(locked, to_state=OfferState.WITHDRAWN)
        notices.offers_withdrawn(withdrawn, ask=locked, why=why)
    return len(withdrawn)


# --- Time-based steps (run by routing.tasks) --------------------------------------------------------


def expire_offer(*, offer_id: int) -> str:
    """An offer not answered within its window expires and the ask moves on."""
    offer = Offer.objects.select_related("mentor").filter(pk=offer_id).first()
    if offer is None or offer.state != OfferState.PENDING:
        return "nothing to do"
    if offer.expires_at > now():
        schedule(expire_offer_task, offer.pk, at=offer.expires_at)
        return "not yet"
    with transaction.atomic():
        ask = _lock_ask(offer.ask_id)
        changed = Offer.objects.filter(pk=offer.pk, state=OfferState.PENDING).update(state=OfferState.EXPIRED)
        if changed != 1:
            return "nothing to do"
        record_event(ask, kind="offer_expired", note="One expert did not answer in time.")
        record("offer.expired", offer=offer.pk, ask=ask.pk, mentor=offer.mentor_id)
        _after_offer_closed(ask, offer=offer, why=f"{offer.mentor.display_name} did not answer in time.")
    return "expired"


def remind_offer(*, offer_id: int) -> str:
    """One 'expiring soon' reminder, only while the offer is still waiting for an answer."""
    offer = Offer.objects.select_related("ask", "mentor").filter(pk=offer_id).first()
    if offer is None or not offer.can_accept() or offer.ask.state != AskState.OFFERED:
        return "nothing to do"
    notices.offer_expiring(offer, ask=offer.ask)
    return "reminded"


def check_escalation(*, ask_id: int) -> str:
    """When the promised response time is near and nobody accepted: widen the pool and tell organisers."""
    with transaction.atomic():
        ask = _locked_asks().filter(pk=ask_id).first()
        if ask is None or ask.mode != AskMode.ROUTED or ask.state not in ROUTABLE or ask.escalated_at:
            return "nothing to do"
        due = policy.escalation_due_at(
            urgency=ask.urgency, since=ask.published_at or ask.created_at, programme=ask.programme
        )
        if now() < due:
            schedule(check_escalation_task, ask.pk, at=due)
            return "not yet"
        _escalate(ask, why="Its promised response time is nearly up and nobody has accepted it yet.")
        ranked = rank_candidates(ask, widened=True, limit=policy.offers_per_round(ask.programme))
        if ranked and ask.state != AskState.UNMATCHED:
            _offer_round(ask, ranked, actor=None, announce=False)
    return "escalated"


def expire_ask(*, ask_id: int) -> str:
    """Past its 'needed by' day an ask nobody accepted expires; the mentee is told what they can do."""
    with transaction.atomic():
        ask = _locked_asks().filter(pk=ask_id).first()
        if ask is None or ask.state not in ROUTABLE or ask.needed_by is None:
            return "nothing to do"
        deadline = _ask_deadline(ask)
        if now() < deadline:
            schedule(expire_ask_task, ask.pk, at=deadline)
            return "not yet"
        ask = transition(
            ask, AskState.EXPIRED, kind="expired", note="Its 'needed by' date passed before anyone accepted."
        )
        withdrawn = _close_pending(ask, to_state=OfferState.WITHDRAWN)
        notices.offers_withdrawn(withdrawn, ask=ask, why="Its 'needed by' date has passed.")
        notices.ask_expired(ask)
    return "expired"


def _escalate(ask: Ask, *, why: str) -> None:
    """Once per ask (a conditional UPDATE): mark it escalated, say so in the timeline, tell organisers."""
    moment = now()
    if Ask.objects.filter(pk=ask.pk, escalated_at__isnull=True).update(escalated_at=moment) != 1:
        return
    ask.escalated_at = moment
    record_event(ask, kind="escalated", note=f"Escalated: {why} Related skills and lower levels now count.")
    notices.ask_escalated(ask, why=why)


# --- Helpers ----------------------------------------------------------------------------------------


def _lock_ask(ask_id: int) -> Ask:
    return _locked_asks().get(pk=ask_id)


def _locked_asks() -> AskQuerySet:
    # of=("self",): lock the ask row only, never the mentee's user row joined in for names.
    return Ask.objects.select_for_update(of=("self",)).select_related("mentee")


def _asker_ids(ask: Ask) -> set[int]:
    return {ask.mentee_id, *ask.co_askers.values_list("pk", flat=True)}


def _ask_deadline(ask: Ask) -> dt.datetime:
    assert ask.needed_by is not None  # callers route only asks with a date here
    profile = Profile.objects.filter(user_id=ask.mentee_id).values_list("timezone", flat=True).first()
    return policy.needed_by_deadline(ask.needed_by, profile or "UTC")


def _close_pending(ask: Ask, *, to_state: str) -> list[Offer]:
    pending = list(Offer.objects.filter(ask=ask, state=OfferState.PENDING).select_related("mentor"))
    Offer.objects.filter(pk__in=[o.pk for o in pending], state=OfferState.PENDING).update(state=to_state)
    return pending


def _require_own(offer: Offer, mentor: User) -> None:
    if offer.mentor_id != mentor.pk:
        raise Offer.DoesNotExist("Not this person's offer.")


def _closed(offer: Offer) -> RoutingConflict:
    """The clear message for an offer that can no longer be answered, by what happened to it."""
    ask = offer.ask
    if offer.state == OfferState.WITHDRAWN and ask.state in {
        AskState.ACCEPTED,
        AskState.SCHEDULED,
        AskState.ANSWERED,
        AskState.COMPLETED,
    }:
        return OfferTaken("Someone else accepted this ask a moment ago. Thank you for being ready to help!")
    if offer.state == OfferState.ACCEPTED:
        return RoutingConflict("You have already accepted this ask.")
    if offer.state == OfferState.DECLINED:
        return RoutingConflict("You have already declined this ask.")
    if offer.state == OfferState.WITHDRAWN:
        return RoutingConflict("This ask is no longer needed: it was cancelled or its date passed.")
    return RoutingConflict("This offer has expired and the ask has moved on to other experts.")
