"""Demo asks with their whole story: the timeline (AskEvent), the offers and the thread.

Each story writes exactly the rows ``openhelp.help.asks.services``, ``openhelp.help.asks.lifecycle`` and ``openhelp.help.routing.services`` would
have written for the same steps (same kinds, notes, actors, timestamps and Offer states), but as unsaved
objects that ``openhelp.demo.activity.build`` saves in bulk — running the real services for hundreds of asks
would take minutes, and they read the real clock where the demo needs dates relative to its own "now".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from openhelp.demo import data
from openhelp.demo.activity import texts
from openhelp.demo.activity.cast import Cast, Person
from openhelp.directory.people.models import SKILL_LEVELS
from openhelp.help.asks.models import Ask, AskEvent, AskFormat, AskMode, AskState, Message, Urgency
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.help.routing.policy import needed_by_deadline, offer_window

CALL_MINUTES = {AskFormat.CALL_15: 15, AskFormat.CALL_30: 30, AskFormat.CALL_60: 60}
MESSAGE_GAP = dt.timedelta(minutes=40)


@dataclass
class AskStory:
    """One ask and the rows of its story; ``session_state`` says what its session became (None: none)."""

    ask: Ask
    skill_ids: list[int]
    language_ids: list[int]
    events: list[AskEvent] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    helper: Person | None = None
    session_state: str | None = None  # planned / completed / cancelled
    forced: bool = False  # its session gets the whole aftermath (debrief, library, endorsement, kudos)

    def event(self, at: dt.datetime, *, kind: str, actor=None, note: str = "", frm: str = "", to: str = ""):
        self.events.append(
            AskEvent(
                ask=self.ask,
                actor_id=actor.id if actor else None,
                from_state=frm,
                to_state=to,
                kind=kind,
                note=note[:500],
                created_at=at,
            )
        )

    def move(self, at: dt.datetime, to: str, *, kind: str, actor=None, note: str = "") -> None:
        """A ``lifecycle.transition``: the state changes and the timeline says so."""
        self.event(at, kind=kind, actor=actor, note=note, frm=self.ask.state, to=to)
        self.ask.state = to
        self.ask.updated_at = at
        if to in (AskState.COMPLETED, AskState.CANCELLED, AskState.EXPIRED):
            self.ask.closed_at = at

    def say(self, at: dt.datetime, author: Person, body: str) -> None:
        self.messages.append(Message(ask=self.ask, author_id=author.id, body=body, created_at=at))


@dataclass
class AskPlan:
    """What a story should become; times not given are drawn from the seed."""

    mentee: Person
    skill: str
    state: str
    created: dt.datetime
    helper: Person | None = None
    others: list[Person] = field(default_factory=list)  # further experts offered in the same round
    format: str | None = None
    urgency: str | None = None
    directed: Person | None = None
    call_at: dt.datetime | None = None
    title: str | None = None
    objective: str | None = None
    context: str | None = None
    questions: list[str] | None = None
    needed_by: dt.date | None = None
    extra_skills: list[str] = field(default_factory=list)


def write_story(rng: random.Random, cast: Cast, plan: AskPlan, *, language_ids: dict[str, int]) -> AskStory:
    title, objective, context, questions = rng.choice(texts.ASK_TEMPLATES)
    fmt = plan.format or rng.choice(
        (AskFormat.ASYNC, AskFormat.CALL_15, AskFormat.CALL_30, AskFormat.CALL_30, AskFormat.CALL_60)
    )
    urgency = plan.urgency or rng.choice((Urgency.THIS_WEEK, Urgency.THIS_WEEK, Urgency.FLEXIBLE))
    needed_by = plan.needed_by
    if needed_by is None and plan.state == AskState.EXPIRED:
        needed_by = (plan.created + dt.timedelta(days=rng.randint(1, 3))).date()
    mentee = plan.mentee
    ask = Ask(
        mentee_id=mentee.id,
        title=(plan.title or title.format(skill=plan.skill))[:120],
        objective=(plan.objective or objective.format(skill=plan.skill))[:300],
        context=plan.context or context,
        preparation_questions=list(plan.questions or questions),
        format=fmt,
        urgency=urgency,
        needed_by=needed_by,
        mode=AskMode.DIRECTED if plan.directed else AskMode.ROUTED,
        directed_to_id=plan.directed.id if plan.directed else None,
        state=AskState.DRAFT,
        created_at=plan.created,
        updated_at=plan.created,
    )
    skills = [plan.skill, *plan.extra_skills]
    languages = [code for code in ("en",) if code in mentee.languages] or mentee.languages[:1]
    story = AskStory(
        ask=ask,
        skill_ids=[cast.skill_ids[name] for name in skills],
        language_ids=[language_ids[code] for code in languages if code in language_ids],
    )
    story.event(plan.created, kind="created", actor=mentee, note="Saved as a draft.")
    if plan.state == AskState.DRAFT:
        return story
    published = plan.created + dt.timedelta(minutes=rng.randint(5, 45))
    ask.published_at = published
    story.move(published, AskState.OPEN, kind="published", actor=mentee, note="Published.")
    _route(rng, cast, story, plan, published)
    return story


def _route(rng: random.Random, cast: Cast, story: AskStory, plan: AskPlan, published: dt.datetime) -> None:
    ask, mentee = story.ask, plan.mentee
    offered = [p for p in [plan.directed or plan.helper, *plan.others] if p is not None]
    if not offered:
        story.move(
            published,
            AskState.UNMATCHED,
            kind="unmatched",
            actor=mentee,
            note="No expert who fits is free right now.",
        )
        _close_unmatched(rng, story, plan, published)
        return
    ask.routing_round = 1
    if plan.directed:
        note = f"Offered to {plan.directed.name}, as asked."
    else:
        note = f"Offered to {_experts(len(offered))} (round 1)."
    story.move(published, AskState.OFFERED, kind="offered", actor=mentee, note=note)
    window = offer_window(ask.urgency)
    for rank, mentor in enumerate(offered):
        story.offers.append(
            Offer(
                ask=ask,
                mentor_id=mentor.id,
                round=1,
                score=round(0.92 - 0.11 * rank - rng.random() * 0.05, 4),
                reasons=_reasons(rng, ask, mentor, plan),
                created_at=published,
                expires_at=published + window,
            )
        )
    if plan.state == AskState.OFFERED:
        return
    if plan.state == AskState.OPEN or (
        plan.state in (AskState.UNMATCHED, AskState.EXPIRED) or plan.helper is None
    ):
        _nobody_takes_it(rng, story, plan, published, window)
        return
    _accept(rng, cast, story, plan, published, window)


def _nobody_takes_it(rng, story: AskStory, plan: AskPlan, published: dt.datetime, window) -> None:
    """Every offer is declined or runs out; a directed ask goes back to its mentee, a routed one is
    unmatched (nobody else fits), then maybe expires or is cancelled. An ask whose 'needed by' day passes
    while offers still wait expires straight away, and those offers are withdrawn."""
    ask = story.ask
    deadline = needed_by_deadline(ask.needed_by, plan.mentee.timezone) if ask.needed_by else None
    last, waiting = published, False
    for offer in story.offers:
        declines = rng.random() < 0.6
        at = published + window * rng.uniform(0.1, 0.8) if declines else published + window
        if deadline is not None and at >= deadline:
            waiting = True
            continue
        if declines:
            reason = rng.choice((DeclineReason.NO_TIME, DeclineReason.NO_TIME, DeclineReason.NOT_MY_AREA))
            offer.state, offer.responded_at, offer.decline_reason = OfferState.DECLINED, at, reason
            story.event(at, kind="declined", note=f"One expert could not take it ({reason.label.lower()}).")
        else:
            offer.state = OfferState.EXPIRED
            story.event(at, kind="offer_expired", note="One expert did not answer in time.")
        last = max(last, at)
    if waiting and plan.state == AskState.EXPIRED:
        story.move(
            deadline,
            AskState.EXPIRED,
            kind="expired",
            note="Its 'needed by' date passed before anyone accepted.",
        )
        for offer in story.offers:
            if offer.state == OfferState.PENDING:
                offer.state = OfferState.WITHDRAWN
        return
    if plan.directed:
        story.move(last, AskState.OPEN, kind="declined", note="The person asked could not take it.")
        return
    story.move(last, AskState.UNMATCHED, kind="unmatched", note="No expert who fits is free right now.")
    _close_unmatched(rng, story, plan, last)


def _close_unmatched(rng, story: AskStory, plan: AskPlan, since: dt.datetime) -> None:
    ask = story.ask
    if plan.state == AskState.EXPIRED:
        deadline = needed_by_deadline(ask.needed_by, plan.mentee.timezone)
        story.move(
            max(deadline, since + dt.timedelta(minutes=1)),
            AskState.EXPIRED,
            kind="expired",
            note="Its 'needed by' date passed before anyone accepted.",
        )
    elif plan.state == AskState.CANCELLED:
        _cancel(rng, story, plan, since + dt.timedelta(hours=rng.randint(6, 48)))


def _cancel(rng, story: AskStory, plan: AskPlan, at: dt.datetime) -> None:
    reason = rng.choice(texts.CANCEL_REASONS)
    story.ask.cancel_reason = reason
    story.move(at, AskState.CANCELLED, kind="cancelled", actor=plan.mentee, note=reason)
    for offer in story.offers:
        if offer.state == OfferState.PENDING:
            offer.state = OfferState.WITHDRAWN


def _accept(rng, cast: Cast, story: AskStory, plan: AskPlan, published: dt.datetime, window) -> None:
    ask, helper, mentee = story.ask, plan.helper, plan.mentee
    accepted = published + window * rng.uniform(0.05, 0.5)
    for offer in story.offers[1:]:
        if rng.random() < 0.3:
            at = published + (accepted - published) * rng.uniform(0.1, 0.9)
            offer.state, offer.responded_at = OfferState.DECLINED, at
            offer.decline_reason = DeclineReason.NOT_MY_AREA
            story.event(at, kind="declined", note="One expert could not take it (not my area).")
    story.offers[0].state, story.offers[0].responded_at = OfferState.ACCEPTED, accepted
    for offer in story.offers[1:]:
        if offer.state == OfferState.PENDING:
            offer.state = OfferState.WITHDRAWN
    ask.helper_id, ask.accepted_at = helper.id, accepted
    story.helper = helper
    story.move(accepted, AskState.ACCEPTED, kind="accepted", actor=helper, note=f"Accepted by {helper.name}.")
    story.session_state = "planned"
    talk = accepted + MESSAGE_GAP
    story.say(talk, mentee, rng.choice(texts.THREAD_OPENERS))
    story.say(talk + MESSAGE_GAP, helper, rng.choice(texts.HELPER_REPLIES))
    if plan.state == AskState.ACCEPTED:
        return
    if plan.state == AskState.CANCELLED:  # cancelled after an expert accepted: the session is cancelled too
        _cancel(rng, story, plan, talk + dt.timedelta(hours=rng.randint(2, 20)))
        story.session_state = "cancelled"
        return
    if ask.format == AskFormat.ASYNC:
        answered = talk + dt.timedelta(hours=rng.randint(2, 20))
        story.say(answered, helper, rng.choice(texts.HELPER_REPLIES))
        story.move(answered, AskState.ANSWERED, kind="answered", actor=helper, note="Marked as answered.")
        if plan.state == AskState.COMPLETED:
            done = answered + dt.timedelta(hours=rng.randint(1, 20))
            story.move(done, AskState.COMPLETED, kind="completed", actor=mentee, note="It helped.")
            story.session_state = "completed"
        return
    agreed = talk + dt.timedelta(hours=rng.randint(1, 4))
    call = plan.call_at or _working_hour(agreed + dt.timedelta(hours=rng.randint(20, 40)), rng)
    place = f"https://meet.example.org/{rng.getrandbits(40):010x}"
    ask.scheduled_for, ask.scheduled_place = call, place
    who = rng.choice((mentee, helper))
    story.move(
        agreed,
        AskState.SCHEDULED,
        kind="scheduled",
        actor=who,
        note=f"Agreed for {call:%Y-%m-%d %H:%M} UTC at {place}.",
    )
    if plan.state == AskState.COMPLETED:
        end = call + dt.timedelta(minutes=CALL_MINUTES[ask.format])
        story.say(end + dt.timedelta(minutes=20), mentee, rng.choice(texts.MENTEE_FOLLOW_UPS))
        story.move(
            end + dt.timedelta(hours=rng.randint(1, 20)),
            AskState.COMPLETED,
            kind="completed",
            actor=mentee,
            note="It helped.",
        )
        story.session_state = "completed"


def _working_hour(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    """A call time on the half hour between 08:00 and 16:30 UTC on the same day as ``moment``."""
    return moment.replace(hour=rng.randint(8, 16), minute=rng.choice((0, 30)), second=0, microsecond=0)


def _experts(n: int) -> str:
    return "1 expert" if n == 1 else f"{n} experts"


def _reasons(rng, ask: Ask, mentor: Person, plan: AskPlan) -> list[str]:
    if plan.directed:
        level = mentor.offers.get(plan.skill)
        reasons = [f"{plan.mentee.name} asked you personally."]
        if level:
            reasons.append(f"You offer {plan.skill} at level {level} ({SKILL_LEVELS[level]}).")
        return reasons
    level = mentor.offers.get(plan.skill, 2)
    reasons = [f"Teaches {plan.skill} at level {level}."]
    if mentor.sessions_per_week:
        left = rng.randint(1, mentor.sessions_per_week)
        noun = "session" if mentor.sessions_per_week == 1 else "sessions"
        reasons.append(f"Has {left} of {mentor.sessions_per_week} {noun} left this week.")
    shared = sorted(set(mentor.languages) & set(plan.mentee.languages) - {"en"})
    if shared:
        reasons.append(f"Speaks {data.LANGUAGES.get(shared[0], shared[0])} like the person asking.")
    elif mentor.team != plan.mentee.team:
        reasons.append(f"Has helped people outside {mentor.team} before.")
    return reasons
