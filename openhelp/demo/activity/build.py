"""Seeding the demo activity: asks in every state, offers, threads, office hours and bookings, sessions
with debriefs, recognition, moments, introductions, the library and learning goals — for the three demo
logins by hand, and ~10 weeks of history for everyone else, shaped so organisers' insights have
something to find (skill gaps, overloaded mentors, knowledge nodes, help flowing between teams).

Deterministic: one ``random.Random`` derived from the seed, consumed in a fixed order, and every time an
offset from ``cast.moment``. Everything is built as unsaved rows first, then saved in bulk, parents first.
No e-mail or notification is sent; the only background tasks queued are the ones that keep the live
items moving (each pending offer's expiry, and reminders for the demo logins' upcoming bookings).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from openhelp.community.goals.models import LearningGoal
from openhelp.community.moments.models import Introduction, IntroductionMessage, IntroductionState, Moment
from openhelp.community.recognition.models import Endorsement, Kudos
from openhelp.demo.activity import history, logins, social
from openhelp.demo.activity import officehours as oh
from openhelp.demo.activity.asks import AskPlan, AskStory, write_story
from openhelp.demo.activity.cast import Cast, Person, build_cast, pick_expert
from openhelp.demo.activity.sessions import SessionRows, finish, session_for_booking, session_for_story
from openhelp.demo.activity.year import YEAR_FROM, YearSummary, seed_year
from openhelp.demo.bulk import insert
from openhelp.directory.library.models import LibraryEntry
from openhelp.help.asks.models import Ask, AskEvent, AskState, Message
from openhelp.help.mentoring.models import AgendaStep, Attendance, Debrief, Session, SessionState, SharedNote
from openhelp.help.officehours.models import (
    Booking,
    BookingEvent,
    BookingState,
    OfficeHours,
    Slot,
    WaitlistEntry,
)
from openhelp.help.officehours.reminders import plan_reminders
from openhelp.help.routing.models import Offer, OfferState
from openhelp.help.routing.tasks import expire_offer_task, schedule

BATCH = 2000


@dataclass(frozen=True)
class ActivitySummary:
    asks: dict[str, int]
    pending_offers: int
    sessions: int
    debriefs: int
    bookings: dict[str, int]
    waiting: int
    office_hours_zones: int
    kudos: int
    endorsements: int
    moments: int
    introductions: int
    library_entries: int
    goals: int
    gap_skills: list[str]
    hubs: list[str]
    knowledge_nodes: list[str]
    notifications: int = 0  # only the year of activity of a large organisation leaves notifications

    @property
    def total_asks(self) -> int:
        return sum(self.asks.values())


def seed_activity(*, plans, users, skills, languages, seed: int, moment: dt.datetime) -> ActivitySummary:
    rng = random.Random(seed * 1_000_003 + 17)
    cast = build_cast(plans, users, skills=skills, moment=moment, today=moment.date())
    language_ids = {code: language.pk for code, language in languages.items()}
    builder = Builder(rng, cast, language_ids)
    logins.login_asks(builder)
    logins.mentor_inbox(builder)
    history.history(builder)
    history.hub_weeks(builder)
    history.knowledge_nodes(builder)
    history.live_asks(builder)
    builder.office_hours()
    builder.sessions()
    builder.social()
    builder.save()
    year = None
    if len(cast.people) >= YEAR_FROM:  # a large organisation also gets a year of everyday activity
        year = seed_year(lambda chunk_rng: Builder(chunk_rng, cast, language_ids), cast, seed=seed)
    return builder.summary(year)


class Builder:
    def __init__(self, rng: random.Random, cast: Cast, language_ids: dict[str, int]):
        self.rng = rng
        self.cast = cast
        self.language_ids = language_ids
        self.stories: list[AskStory] = []
        self.bookings = oh.BookingRows()
        self.session_rows = SessionRows()
        self.social_rows = social.SocialRows()
        self.block_skill_ids: dict[int, list[int]] = {}
        self.skill_names = {pk: name for name, pk in cast.skill_ids.items()}
        self.others = cast.others()
        self.finished: list[tuple[Session, list[int]]] = []

    # --- Asks ----------------------------------------------------------------------------------------

    def story(self, plan: AskPlan) -> AskStory:
        story = write_story(self.rng, self.cast, plan, language_ids=self.language_ids)
        self.stories.append(story)
        return story

    def ago(self, days: float = 0, hours: float = 0) -> dt.datetime:
        return self.cast.moment - dt.timedelta(days=days, hours=hours)

    def experts(self, skill: str, *, exclude: set[int], n: int) -> list[Person]:
        pool = [p for p in self.cast.experts.get(skill, ()) if p.id not in exclude and not p.paused]
        return self.rng.sample(pool, k=min(n, len(pool)))

    def helper_for(self, skill: str, *, exclude: set[int], fallback: bool = True) -> Person | None:
        """An expert for ``skill`` — or, in a small organisation where nobody offers it, anyone helpful."""
        found = pick_expert(self.rng, self.cast, skill, exclude=exclude)
        if found is None and fallback:
            pool = self.anyone(exclude=exclude, n=len(self.cast.people))
            found = self.rng.choice(pool) if pool else None
        return found

    def anyone(self, *, exclude: set[int], n: int) -> list[Person]:
        """Up to ``n`` people open to help, the demo logins last (their activity is written by hand)."""
        pool = [p for p in self.others + self.cast.people if p.open_to_help and not p.paused]
        unique = list({p.id: p for p in pool if p.id not in exclude}.values())
        return unique[:n]

    def spread(self, people: list[Person], n: int, *, offset: int = 0) -> list[Person]:
        """``n`` people from different teams where possible, chosen by position (deterministic)."""
        chosen: list[Person] = []
        teams: set[str] = set()
        ordered = people[offset:] + people[:offset]
        for person in ordered:
            if person.team not in teams:
                chosen.append(person)
                teams.add(person.team)
            if len(chosen) == n:
                return chosen
        return (chosen + [p for p in ordered if p not in chosen])[:n]

    # --- Office hours ------------------------------------------------------------------------------

    def office_hours(self) -> None:
        cast, rng, rows = self.cast, self.rng, self.bookings
        priya = cast.mentor
        blocks: list[tuple[OfficeHours, Person, str]] = []
        mine = oh.block(
            rows,
            rng,
            cast,
            priya,
            skills=["PostgreSQL", "Query optimisation"],
            weekdays=[3],  # Thursdays: the demo mentor keeps room in her week for new asks
            hours=2,
            start_hour=14,
            title="PostgreSQL office hours",
        )
        blocks.append((mine, priya, "PostgreSQL"))
        hosts = self._office_hour_hosts()
        for i, host in enumerate(hosts):
            skills = sorted(host.offers, key=lambda name: (-host.offers[name], name))[:2]
            block = oh.block(
                rows,
                rng,
                cast,
                host,
                skills=skills,
                weekdays=rng.sample(range(5), k=2),
                start_hour=rng.choice((9, 10, 13, 15)),
                seats=3 if i == 1 else 1,
                slot_minutes=rng.choice((20, 25, 30)),
            )
            blocks.append((block, host, skills[0]))
        for block, _, _ in blocks:
            self.block_skill_ids[id(block)] = [skill_id for b, skill_id in rows.block_skills if b is block]
        for block, host, skill in blocks:
            self._fill(block, host, skill)
        logins.login_bookings(self, blocks)

    def _office_hour_hosts(self) -> list[Person]:
        """One host per time zone first (so the demo shows several), then more in larger organisations."""
        cast, rng = self.cast, self.rng
        helpers = [
            p for p in self.others if p.open_to_help and not p.paused and p.offers and p not in cast.hubs
        ]
        hosts: list[Person] = []
        zones = {cast.mentor.timezone}
        for person in helpers:
            if person.timezone not in zones:
                zones.add(person.timezone)
                hosts.append(person)
        wanted = min(max(len(cast.people) // 40, 5), 60)
        rest = [p for p in helpers if p not in hosts]
        hosts += rng.sample(rest, k=min(max(wanted - len(hosts), 0), len(rest)))
        return hosts

    def _fill(self, block: OfficeHours, host: Person, skill: str) -> None:
        cast, rng, rows = self.cast, self.rng, self.bookings
        pool = [p for p in self.others if p.id != host.id]
        if not pool:
            return
        for slot_time in oh.slots_of(block, cast):
            past = slot_time.start < cast.moment
            upcoming_soon = slot_time.start - cast.moment < dt.timedelta(hours=3)
            if not past and upcoming_soon:
                continue  # inside the minimum notice: nobody could book it
            if rng.random() >= (0.3 if past else 0.25):
                continue
            slot = None
            for seat in range(1, (rng.randint(1, block.seats) if block.seats > 1 else 1) + 1):
                mentee = rng.choice(pool)
                if not oh.free(rows, mentee.id, slot_time.start, slot_time.end):
                    continue
                roll = rng.random()
                cancel_by = None
                if block.seats == 1 and roll < 0.12:
                    cancel_by = host if roll < 0.04 else mentee
                booking = oh.book(
                    rows,
                    rng,
                    cast,
                    block,
                    slot_time,
                    mentee,
                    skill=skill,
                    slot=slot,
                    seat=seat,
                    cancel_by=cancel_by,
                )
                slot = booking.slot
                self.booking_session(block, booking)

    def booking_session(self, block: OfficeHours, booking: Booking) -> None:
        skill_ids = self.block_skill_ids[id(block)]
        session = session_for_booking(
            self.session_rows, booking, skill_ids=skill_ids, made_at=booking.created_at
        )
        if booking.state == BookingState.CONFIRMED and booking.end < self.cast.moment:
            self.finished.append((session, skill_ids))

    # --- Sessions ----------------------------------------------------------------------------------

    def sessions(self) -> None:
        cast, rng = self.cast, self.rng
        by_id = {p.id: p for p in cast.people}
        for story in self.stories:
            session = session_for_story(self.session_rows, story)
            if session is None or session.state != SessionState.COMPLETED:
                continue
            finish(
                rng,
                self.session_rows,
                session,
                skill_names=self.skill_names,
                skill_ids=story.skill_ids,
                mentor=story.helper,
                moment=cast.moment,
                force=story.forced,
            )
        for session, skill_ids in self.finished:
            finish(
                rng,
                self.session_rows,
                session,
                skill_names=self.skill_names,
                skill_ids=skill_ids,
                mentor=by_id[session.mentor_id],
                moment=cast.moment,
            )

    # --- Moments, introductions, kudos, goals -------------------------------------------------------

    def social(self) -> None:
        cast, rng, rows = self.cast, self.rng, self.social_rows
        sam, priya, olivia = cast.mentee, cast.mentor, cast.organiser
        others = self.others or [priya]
        social.challenge_weeks(rows, rng, cast, sam, [2, 3, 3], others=others)
        social.challenge_weeks(rows, rng, cast, priya, [3, 3, 1], others=others)
        social.challenge_weeks(rows, rng, cast, olivia, [1, 2], others=others)
        for person in self.others[: min(len(self.others), 1500)]:
            for _ in range(rng.choice((0, 0, 1, 2, 3))):
                social.moment_for(
                    rows, rng, person, self.ago(rng.uniform(0.5, 70)), person=rng.choice(others)
                )
        helper = self._helper_not(exclude={sam.id, priya.id, olivia.id})
        if helper is not None:
            social.introduce(
                rows,
                rng,
                introducer=olivia,
                first=sam,
                second=helper,
                at=self.ago(hours=20),
                state=IntroductionState.PENDING,
                moment=cast.moment,
            )
            social.introduce(
                rows,
                rng,
                introducer=priya,
                first=sam,
                second=helper,
                at=self.ago(15),
                state=IntroductionState.CONNECTED,
                moment=cast.moment,
            )
        nodes = cast.connectors or self.others[:3]
        if nodes:
            social.introduce(
                rows,
                rng,
                introducer=olivia,
                first=priya,
                second=nodes[0],
                at=self.ago(8),
                state=IntroductionState.CONNECTED,
                moment=cast.moment,
            )
        count = min(max(len(cast.people) // 30, 3), 60)
        for i in range(count if len(self.others) >= 3 else 0):
            introducer = nodes[i % len(nodes)] if nodes and i % 2 == 0 else rng.choice(self.others)
            first, second = rng.sample([p for p in self.others if p.id != introducer.id], 2)
            state = rng.choice(
                (IntroductionState.CONNECTED,) * 5
                + (IntroductionState.PENDING,) * 3
                + (IntroductionState.NOT_THIS_TIME,) * 2
            )
            social.introduce(
                rows,
                rng,
                introducer=introducer,
                first=first,
                second=second,
                at=self.ago(rng.uniform(1, 60)),
                state=state,
                moment=cast.moment,
            )
        social.kudos(rows, rng, cast, olivia, priya, self.ago(4), skill="PostgreSQL")
        social.kudos(rows, rng, cast, priya, sam, self.ago(2), skill="PostgreSQL")
        for _ in range(min(max(len(cast.people) // 10, 5), 400) if len(self.others) >= 2 else 0):
            giver, receiver = rng.sample(self.others, 2)
            skill = rng.choice(sorted(receiver.offers)) if receiver.offers else None
            social.kudos(rows, rng, cast, giver, receiver, self.ago(rng.uniform(0.5, 70)), skill=skill)
        today = cast.moment.date()
        social.goal(
            rows,
            rng,
            cast,
            sam,
            ["PostgreSQL", "Query optimisation"],
            created=self.ago(10),
            target=today + dt.timedelta(days=21),
            title="Get confident with PostgreSQL performance",
        )
        social.goal(
            rows,
            rng,
            cast,
            sam,
            ["A/B testing", "Statistics"],
            created=self.ago(40),
            target=today - dt.timedelta(days=5),
            achieved=self.ago(6),
            title="Ship my first A/B test",
        )
        social.goal(
            rows, rng, cast, priya, ["Rust"], created=self.ago(30), target=today + dt.timedelta(days=60)
        )
        for person in self.others:
            if person.wanted and rng.random() < 0.08:
                created = self.ago(rng.uniform(3, 60))
                achieved = created + dt.timedelta(days=20) if rng.random() < 0.25 else None
                if achieved and achieved >= cast.moment:
                    achieved = None
                social.goal(
                    rows,
                    rng,
                    cast,
                    person,
                    person.wanted[:2],
                    created=created,
                    target=(created + dt.timedelta(days=rng.choice((21, 30, 60)))).date(),
                    achieved=achieved,
                )

    def _helper_not(self, *, exclude: set[int]) -> Person | None:
        for person in self.cast.connectors + self.others:
            if person.id not in exclude and person.open_to_help:
                return person
        return self.others[0] if self.others else None

    # --- Saving --------------------------------------------------------------------------------------

    def save(self) -> None:
        stories = self.stories
        asks = [s.ask for s in stories]
        insert(Ask, asks)
        _through(Ask.skills.through, "ask_id", "skill_id", ((s.ask, i) for s in stories for i in s.skill_ids))
        _through(
            Ask.languages.through,
            "ask_id",
            "language_id",
            ((s.ask, i) for s in stories for i in s.language_ids),
        )
        insert(AskEvent, list(e for s in stories for e in s.events))
        insert(Offer, list(o for s in stories for o in s.offers))
        insert(Message, list(m for s in stories for m in s.messages))

        b = self.bookings
        insert(OfficeHours, b.blocks)
        _through(OfficeHours.skills.through, "officehours_id", "skill_id", b.block_skills)
        insert(Slot, b.slots)
        insert(Booking, b.bookings)
        insert(BookingEvent, b.events)
        insert(WaitlistEntry, b.waitlist)

        r = self.session_rows
        insert(Session, r.sessions)
        _through(Session.skills.through, "session_id", "skill_id", r.skills)
        insert(AgendaStep, r.steps)
        insert(SharedNote, r.notes)
        insert(Debrief, r.debriefs)
        insert(Attendance, r.attendance)
        insert(LibraryEntry, r.entries)
        _through(LibraryEntry.skills.through, "libraryentry_id", "skill_id", r.entry_skills)
        insert(Endorsement, r.endorsements)

        s = self.social_rows
        insert(Kudos, list([*r.kudos, *s.kudos]))
        insert(Introduction, s.introductions)
        insert(IntroductionMessage, s.intro_messages)
        insert(Moment, s.moments)
        insert(LearningGoal, s.goals)
        _through(LearningGoal.skills.through, "learninggoal_id", "skill_id", s.goal_skills)
        self._keep_live_items_moving()

    def _keep_live_items_moving(self) -> None:
        """Queue what the services would have queued for items still in progress, where it matters:
        each pending offer expires on time, and the demo logins get reminders for their upcoming bookings.
        (History needs nothing; other people's upcoming bookings get no reminders, to keep the queue short.)
        """

        for story in self.stories:
            for offer in story.offers:
                if offer.state == OfferState.PENDING:
                    schedule(expire_offer_task, offer.pk, at=offer.expires_at)
        logins = self.cast.logins
        for booking in self.bookings.bookings:
            if (
                booking.state == BookingState.CONFIRMED
                and booking.start > self.cast.moment
                and (booking.mentee_id in logins or booking.mentor_id in logins)
            ):
                plan_reminders(booking)

    def summary(self, year: YearSummary | None = None) -> ActivitySummary:
        """What was seeded; ``year`` (a large organisation's year of activity) is added to the counts."""
        y = year or YearSummary()
        asks = Counter(s.ask.state for s in self.stories) + Counter(y.asks)
        r, s, b = self.session_rows, self.social_rows, self.bookings
        return ActivitySummary(
            asks={state.value: asks.get(state.value, 0) for state in AskState},
            pending_offers=sum(o.state == OfferState.PENDING for st in self.stories for o in st.offers),
            sessions=len(r.sessions) + y.sessions,
            debriefs=len(r.debriefs) + y.debriefs,
            bookings={
                state.value: sum(x.state == state for x in b.bookings) + y.bookings.get(state, 0)
                for state in BookingState
            },
            waiting=len(b.waitlist),
            office_hours_zones=len({block.timezone for block in b.blocks}),
            kudos=len(r.kudos) + len(s.kudos) + y.kudos,
            endorsements=len(r.endorsements) + y.endorsements,
            moments=len(s.moments) + y.moments,
            introductions=len(s.introductions) + y.introductions,
            library_entries=len(r.entries) + y.library_entries,
            goals=len(s.goals),
            gap_skills=list(self.cast.gap_skills),
            hubs=[p.email for p in self.cast.hubs],
            knowledge_nodes=[p.email for p in self.cast.connectors],
            notifications=y.notifications,
        )


def _through(model, left: str, right: str, pairs) -> None:
    insert(model, (model(**{left: parent.pk, right: other}) for parent, other in pairs), batch_size=BATCH)
