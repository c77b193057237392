"""A year of activity for large demo organisations (``YEAR_FROM`` people or more), in proportion to the size.

The small demo (``make run``, the tests) keeps its hand-shaped ~10 weeks (``history``); a large one gets,
on top of that, a year of everyday activity at a steady pace per person: finished asks in every closing
state (with their offers accepted, declined and expired, threads and sessions, debriefs, library entries,
endorsements and kudos), office hours held every week with their bookings, moments, introductions, kudos
outside sessions, and the in-app notifications those steps leave behind.

Rows are built with the same helpers as the small demo (``asks.write_story``, ``sessions.finish``,
``officehours.book``, ``social``) and saved in chunks of ``CHUNK`` asks (``Builder.save``: bulk inserts,
parents first), so memory stays flat whatever the size. It draws from its own ``random.Random`` derived
from the seed, so the rest of the demo is the same with or without it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.urls import reverse

from openhelp.community.moments.models import IntroductionState
from openhelp.demo.activity import officehours as oh
from openhelp.demo.activity import social
from openhelp.demo.activity.asks import AskPlan, AskStory
from openhelp.demo.activity.cast import Cast, Person
from openhelp.demo.bulk import insert
from openhelp.help.asks.models import AskState
from openhelp.help.officehours.models import Booking
from openhelp.help.officehours.slots import Rule, expand
from openhelp.help.routing.models import OfferState
from openhelp.platform.notifications.models import Notification

YEAR_FROM = 1000  # organisations this size or larger get a year of activity
YEAR_DAYS = 365
CHUNK = 4000  # asks built and saved at a time
OFFICE_HOURS_WEEKS_BACK = 52


@dataclass(frozen=True)
class Pace:
    """How much happens per person per year. The 300-person demo packs about 5 asks per person into its ten
    weeks — a showcase; a large organisation where most people never ask in a given month is better served
    by these figures (and seeding 100,000 people stays a matter of minutes)."""

    asks: float = 1.2
    office_hours_hosts: float = 0.004  # share of people holding a weekly office hour
    booking_odds_past: float = 0.3  # share of a past slot's times that were booked
    booking_odds_future: float = 0.25
    moments: float = 1.5
    kudos: float = 0.4  # outside sessions (sessions leave their own)
    introductions: float = 0.05
    read_after_days: float = 2  # notifications older than this were read


@dataclass
class YearSummary:
    asks: dict[str, int] = field(default_factory=dict)
    sessions: int = 0
    debriefs: int = 0
    library_entries: int = 0
    bookings: dict[str, int] = field(default_factory=dict)
    kudos: int = 0
    endorsements: int = 0
    moments: int = 0
    introductions: int = 0
    notifications: int = 0

    def add(self, builder) -> None:
        for story in builder.stories:
            self.asks[story.ask.state] = self.asks.get(story.ask.state, 0) + 1
        r, s, b = builder.session_rows, builder.social_rows, builder.bookings
        self.sessions += len(r.sessions)
        self.debriefs += len(r.debriefs)
        self.library_entries += len(r.entries)
        for booking in b.bookings:
            self.bookings[booking.state] = self.bookings.get(booking.state, 0) + 1
        self.kudos += len(r.kudos) + len(s.kudos)
        self.endorsements += len(r.endorsements)
        self.moments += len(s.moments)
        self.introductions += len(s.introductions)


def seed_year(new_builder, cast: Cast, *, seed: int, pace: Pace = Pace()) -> YearSummary:
    """Build and save a year of activity in chunks; ``new_builder(rng)`` makes an empty ``Builder``."""
    rng = random.Random(f"{seed}-year")
    summary = YearSummary()
    others = [p for p in cast.people if p.id not in cast.logins]
    if len(others) < 3:
        return summary
    pools = _Pools(cast)
    people = len(cast.people)
    total_asks = round(people * pace.asks)
    chunks = max(1, -(-total_asks // CHUNK))
    for i in range(chunks):
        b = new_builder(rng)
        share = 1 / chunks
        for _ in range(total_asks // chunks + (1 if i < total_asks % chunks else 0)):
            _ask(b, rng, cast, pools, others)
        _social(b, rng, cast, others, count=people * share, pace=pace)
        b.sessions()
        _save(b, summary, cast, pace)
    hosts = pools.hosts(rng, round(people * pace.office_hours_hosts))
    for start in range(0, len(hosts), 100):
        b = new_builder(rng)
        for host in hosts[start : start + 100]:
            _office_hours(b, rng, cast, host, others, pace)
        b.sessions()
        _save(b, summary, cast, pace)
    return summary


class _Pools:
    """Experts per skill without the paused ones, picked at random (no weights: at this size the hubs
    and knowledge nodes already stand out through ``history``)."""

    def __init__(self, cast: Cast):
        self.experts = {name: [p for p in pool if not p.paused] for name, pool in cast.experts.items()}
        self.demand = sorted(name for name, pool in self.experts.items() if pool)
        self.gaps = list(cast.gap_skills)

    def pick(self, rng: random.Random, skill: str, *, exclude: set[int], n: int) -> list[Person]:
        pool = self.experts.get(skill) or []
        chosen: list[Person] = []
        for _ in range(n * 4 if pool else 0):
            person = rng.choice(pool)
            if person.id not in exclude:
                exclude.add(person.id)
                chosen.append(person)
                if len(chosen) == n:
                    break
        return chosen

    def hosts(self, rng: random.Random, n: int) -> list[Person]:
        seen: dict[int, Person] = {}
        for name in self.demand:
            for person in self.experts[name]:
                if person.offers and person.sessions_per_week != 1:
                    seen.setdefault(person.id, person)
        ordered = sorted(seen.values(), key=lambda p: p.id)
        return rng.sample(ordered, k=min(n, len(ordered)))


def _ask(b, rng: random.Random, cast: Cast, pools: _Pools, others: list[Person]) -> AskStory:
    """One finished ask from the past year; the same odds as ``history.history``."""
    mentee = rng.choice(others)
    gap = bool(pools.gaps) and rng.random() < 0.22
    if gap:
        skill = rng.choice(pools.gaps)
    elif mentee.wanted and rng.random() < 0.5 and pools.experts.get(mentee.wanted[0]):
        skill = rng.choice(mentee.wanted)
    else:
        skill = rng.choice(pools.demand)
    roll = rng.random()
    if gap:
        state = _state(roll, ((0.4, AskState.UNMATCHED), (0.7, AskState.EXPIRED), (0.85, AskState.CANCELLED)))
    else:
        state = _state(roll, ((0.7, AskState.COMPLETED), (0.8, AskState.CANCELLED), (0.88, AskState.EXPIRED)))
    fallback = AskState.COMPLETED if gap else AskState.UNMATCHED
    state = state or fallback
    exclude = {mentee.id}
    helper = None
    if state == AskState.COMPLETED or (state == AskState.CANCELLED and rng.random() < 0.5):
        found = pools.pick(rng, skill, exclude=exclude, n=1)
        helper = found[0] if found else None
        if helper is None and state == AskState.COMPLETED:
            state = AskState.UNMATCHED
    others_offered = pools.pick(rng, skill, exclude=exclude, n=rng.randint(0, 2))
    created = b.ago(rng.uniform(4, YEAR_DAYS))
    return b.story(
        AskPlan(
            mentee=mentee, skill=skill, state=state, created=created, helper=helper, others=others_offered
        )
    )


def _state(roll: float, steps) -> str | None:
    for limit, state in steps:
        if roll < limit:
            return state
    return None


def _social(b, rng: random.Random, cast: Cast, others: list[Person], *, count: float, pace: Pace) -> None:
    """Moments, introductions and kudos outside sessions for ``count`` people's worth of a year."""
    rows = b.social_rows
    for _ in range(round(count * pace.moments)):
        author = rng.choice(others)
        social.moment_for(rows, rng, author, b.ago(rng.uniform(0.5, YEAR_DAYS)), person=rng.choice(others))
    for _ in range(round(count * pace.introductions)):
        introducer, first, second = rng.sample(others, 3)
        state = rng.choice(
            (IntroductionState.CONNECTED,) * 5
            + (IntroductionState.PENDING,)
            + (IntroductionState.NOT_THIS_TIME,) * 2
        )
        social.introduce(
            rows,
            rng,
            introducer=introducer,
            first=first,
            second=second,
            at=b.ago(rng.uniform(1, YEAR_DAYS)),
            state=state,
            moment=cast.moment,
        )
    for _ in range(round(count * pace.kudos)):
        giver, receiver = rng.sample(others, 2)
        skill = rng.choice(sorted(receiver.offers)) if receiver.offers else None
        social.kudos(rows, rng, cast, giver, receiver, b.ago(rng.uniform(0.5, YEAR_DAYS)), skill=skill)


def _office_hours(b, rng: random.Random, cast: Cast, host: Person, others: list[Person], pace: Pace) -> None:
    """A weekly office hour held for the past year (and bookable for three weeks ahead), booked now and then."""
    rows = b.bookings
    skills = sorted(host.offers, key=lambda name: (-host.offers[name], name))[:2]
    block = oh.block(
        rows,
        rng,
        cast,
        host,
        skills=skills,
        weekdays=[rng.randrange(5)],
        start_hour=rng.choice((9, 10, 13, 15)),
        hours=1,
        slot_minutes=rng.choice((20, 25, 30)),
    )
    block.created_at = block.updated_at = cast.moment - dt.timedelta(weeks=OFFICE_HOURS_WEEKS_BACK + 1)
    b.block_skill_ids[id(block)] = [skill_id for x, skill_id in rows.block_skills if x is block]
    first = (cast.moment - dt.timedelta(weeks=OFFICE_HOURS_WEEKS_BACK)).date()
    last = (cast.moment + dt.timedelta(weeks=block.horizon_weeks)).date()
    for slot_time in expand(Rule.of(block), first, last):
        past = slot_time.start < cast.moment
        if not past and slot_time.start - cast.moment < dt.timedelta(hours=3):
            continue  # inside the minimum notice: nobody could book it
        if rng.random() >= (pace.booking_odds_past if past else pace.booking_odds_future):
            continue
        mentee = rng.choice(others)
        if mentee.id == host.id or not oh.free(rows, mentee.id, slot_time.start, slot_time.end):
            continue
        roll = rng.random()
        cancel_by = (host if roll < 0.04 else mentee) if roll < 0.12 else None
        booking: Booking = oh.book(
            rows, rng, cast, block, slot_time, mentee, skill=skills[0], cancel_by=cancel_by
        )
        b.booking_session(block, booking)


def _save(b, summary: YearSummary, cast: Cast, pace: Pace) -> None:
    b.save()
    summary.add(b)
    summary.notifications += _notify(b, cast, pace)


def _notify(b, cast: Cast, pace: Pace) -> int:
    """The in-app notifications the real services leave for these steps (offers received, asks accepted,
    kudos received), read when older than a couple of days. Saved after the rows they point to."""
    names = {p.id: p.name for p in cast.people}
    offer_url, ask_url = _url("routing:offer"), _url("asks:detail")
    kudos_url = reverse("recognition:mine")
    read_before = cast.moment - dt.timedelta(days=pace.read_after_days)
    rows: list[Notification] = []

    def add(recipient: int, event: str, at: dt.datetime, title: str, url: str, key: str, body: str = ""):
        rows.append(
            Notification(
                recipient_id=recipient,
                event=event,
                title=title[:200],
                body=body,
                url=url,
                dedupe_key=key,
                created_at=at,
                read_at=at + dt.timedelta(hours=3) if at < read_before else None,
            )
        )

    for story in b.stories:
        ask = story.ask
        for offer in story.offers:
            add(
                offer.mentor_id,
                "ask.offer.received",
                offer.created_at,
                f"Can you help with “{ask.title}”?",
                offer_url(offer.pk),
                f"offer:{offer.pk}",
                body=f"By the end they want to: {ask.objective}",
            )
            if offer.state == OfferState.ACCEPTED and ask.helper_id:
                add(
                    ask.mentee_id,
                    "ask.accepted",
                    offer.responded_at or offer.created_at,
                    f"{names.get(ask.helper_id, 'Someone')} will help with “{ask.title}”",
                    ask_url(ask.pk),
                    f"ask:{ask.pk}:accepted:{ask.helper_id}",
                )
    for kudos in [*b.session_rows.kudos, *b.social_rows.kudos]:
        add(
            kudos.receiver_id,
            "kudos.received",
            kudos.created_at,
            f"{names.get(kudos.giver_id, 'Someone')} thanked you",
            kudos_url,
            f"kudos:{kudos.pk}",
            body=kudos.message,
        )
    insert(Notification, rows)
    return len(rows)


def _url(name: str):
    """``reverse(name, args=[pk])`` for many keys: reversed once, the key put in as text."""
    marker = 987654321
    pattern = reverse(name, args=[marker])
    return lambda pk: pattern.replace(str(marker), str(pk))
