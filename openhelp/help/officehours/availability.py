"""What is bookable: slots expanded from the rules, minus what time off, pauses, caps and the mentor's
other commitments rule out, with seats left. Also each person's commitments, for the overlap checks.

Listing and booking apply the same rules; booking applies them again after taking the lock
(officehours.booking), because a list is only a snapshot.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, overload

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from openhelp.directory.calendars.busy import busy_by_user
from openhelp.directory.people.capacity import current_week, sessions_used
from openhelp.directory.people.models import SkillOffer
from openhelp.directory.skills.services import resolve_skill, search_skill_ids, with_descendants
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.officehours.models import (
    Booking,
    BookingState,
    OfficeHours,
    Slot,
    TimeOff,
    WaitlistEntry,
    WaitlistState,
)
from openhelp.help.officehours.slots import Rule, SlotTime, between, overlaps, zone
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.dates import in_range
from openhelp.platform.lib.sql import InIds

ASK_MINUTES = {"call15": 15, "call30": 30, "call60": 60}
LONGEST_ASK = dt.timedelta(minutes=max(ASK_MINUTES.values()))
KEY_FORMAT = "%Y%m%dT%H%M%SZ"


def slot_key(start: dt.datetime) -> str:
    """A slot's start as it appears in URLs: 20250311T090000Z."""
    return start.astimezone(dt.UTC).strftime(KEY_FORMAT)


def parse_slot_key(text: str) -> dt.datetime | None:
    """The start a slot key names, or None: not a key, or outside the dates the product accepts."""
    try:
        start = dt.datetime.strptime(text, KEY_FORMAT).replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None
    return start if in_range(start) else None


@dataclass
class OpenSlot:
    office_hours: OfficeHours
    start: dt.datetime
    end: dt.datetime
    local_date: dt.date
    seats: int
    taken: int = 0
    booked_by_viewer: bool = False
    waiting_by_viewer: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def key(self) -> str:
        return slot_key(self.start)

    @property
    def mentor(self):
        return self.office_hours.mentor

    @property
    def mentor_local_start(self) -> dt.datetime:
        return self.start.astimezone(zone(self.office_hours.timezone))

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


# --- Timing rules (pure) ------------------------------------------------------------------------------


def timing_problem(
    office_hours: OfficeHours | Terms,
    slot: SlotTime,
    *,
    moment: dt.datetime,
    paused_until: dt.date | None,
    time_off: Iterable[tuple[dt.date, dt.date]] = (),
) -> str | None:
    """Why this slot cannot be booked now, in words, or None. Checks time only, not seats or commitments."""
    return Timing.of(office_hours, moment=moment, paused_until=paused_until, time_off=time_off).problem(slot)


@dataclass(frozen=True, slots=True)
class Timing:
    """The timing rules of one block at one moment, worked out once for all its slots (a listing checks
    every slot of every block)."""

    moment: dt.datetime
    notice_from: dt.datetime  # the first start with enough notice
    last_day: dt.date  # the last local date open for booking (the horizon)
    paused_until: dt.date | None
    time_off: tuple[tuple[dt.date, dt.date], ...]

    @classmethod
    def of(
        cls,
        office_hours: OfficeHours | Terms,
        *,
        moment: dt.datetime,
        paused_until: dt.date | None,
        time_off: Iterable[tuple[dt.date, dt.date]] = (),
    ) -> Timing:
        """The rules of ``office_hours`` (a model object or Terms) at ``moment``."""
        today = moment.astimezone(zone(office_hours.timezone)).date()
        return cls(
            moment=moment,
            notice_from=moment + dt.timedelta(minutes=office_hours.min_notice_minutes),
            last_day=today + dt.timedelta(weeks=office_hours.horizon_weeks),
            paused_until=paused_until,
            time_off=tuple(time_off),
        )

    def problem(self, slot: SlotTime) -> str | None:
        """Why this slot cannot be booked, in words, or None (see ``timing_problem``)."""
        if slot.start <= self.moment:
            return "This slot has already started."
        if slot.start < self.notice_from:
            return "This slot is too soon: it needs more notice."
        if slot.local_date > self.last_day:
            return "This slot is not open for booking yet."
        if self.paused_until is not None and slot.local_date < self.paused_until:
            return "This mentor has paused their office hours."
        if any(first <= slot.local_date <= last for first, last in self.time_off):
            return "The mentor is away that day."
        return None


def time_off_for(office_hours: OfficeHours | Terms, rows: Iterable[TimeOff]) -> list[tuple[dt.date, dt.date]]:
    return [
        (row.start_date, row.end_date)
        for row in rows
        if row.mentor_id == office_hours.mentor_id and row.office_hours_id in (None, office_hours.pk)
    ]


def paused_until(office_hours: OfficeHours) -> dt.date | None:
    profile = getattr(office_hours.mentor, "profile", None)
    return profile.paused_until if profile is not None else None


def local_day_bounds(day: dt.date, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    tz = zone(tz_name)
    first = dt.datetime.combine(day, dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    last = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    return first, last


# --- Commitments ------------------------------------------------------------------------------------


def scheduled_asks_q(user_ids: Iterable[int]) -> Q:
    ids = list(user_ids)
    co_asked = Ask.co_askers.through.objects.filter(InIds("user_id", ids)).values("ask_id")
    return Q(InIds("mentee_id", ids)) | Q(InIds("helper_id", ids)) | Q(pk__in=co_asked)


def ask_commitments(
    user_ids: Iterable[int], start: dt.datetime, end: dt.datetime, *, ignore_ask_id: int | None = None
) -> list[tuple[set[int], dt.datetime, dt.datetime]]:
    """Scheduled call asks of these people overlapping [start, end): (people, start, end) each.

    An ask scheduled through a booking is already a booking, so it is left out here.
    """
    ids = list(user_ids)
    rows = (
        Ask.objects.filter(
            scheduled_asks_q(ids),
            state=AskState.SCHEDULED,
            scheduled_for__isnull=False,
            scheduled_for__lt=end,
            scheduled_for__gt=start - LONGEST_ASK,
        )
        .exclude(Exists(Booking.objects.filter(ask_id=OuterRef("pk"), state=BookingState.CONFIRMED)))
        .values_list("pk", "scheduled_for", "format", "mentee_id", "helper_id")
        .distinct()
    )
    found = []
    for pk, scheduled_for, format_, mentee_id, helper_id in rows:
        if pk == ignore_ask_id:
            continue
        ask_end = scheduled_for + dt.timedelta(minutes=ASK_MINUTES.get(format_, 30))
        if overlaps(scheduled_for, ask_end, start, end):
            found.append(({mentee_id, helper_id}, scheduled_for, ask_end))
    return found


def clashes(
    user_ids: Iterable[int],
    start: dt.datetime,
    end: dt.datetime,
    *,
    ignore_slot_ids: Iterable[int | None] = (),
    ignore_booking_id: int | None = None,
    ignore_ask_id: int | None = None,
) -> dict[int, str]:
    """Who among ``user_ids`` already has something in [start, end), and what: "mentor" (a held slot of
    theirs), "mentee" (a booking of theirs) or "ask" (a scheduled call ask; the same rows and the same
    overlap as ``ask_commitments``). One query for everyone and all three: this runs inside the booking
    lock, where every round trip is waited for by whoever queues for the same people."""
    ids = sorted({int(pk) for pk in user_ids if pk is not None})
    if not ids:
        return {}
    sql, params = _clash_query(
        ids,
        start,
        end,
        ignore_slot_ids=[pk for pk in ignore_slot_ids if pk is not None],
        ignore_booking_id=ignore_booking_id,
        ignore_ask_id=ignore_ask_id,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    wanted = set(ids)
    found: dict[int, str] = {}
    for first, kind, second in sorted(rows, key=lambda row: _CLASH_ORDER[row[1]]):
        for user_id in (first, second):
            if user_id in wanted:
                found.setdefault(user_id, kind)
    return found


_CLASH_ORDER = {"mentor": 0, "mentee": 1, "ask": 2}  # what a person is told first when several clash


def _clash_query(
    ids: list[int],
    start: dt.datetime,
    end: dt.datetime,
    *,
    ignore_slot_ids: list[int],
    ignore_booking_id: int | None,
    ignore_ask_id: int | None,
) -> tuple[str, list]:
    """The SQL of ``clashes``: (person, kind, other person) rows from scheduled asks, held slots and
    confirmed bookings overlapping [start, end). Plain SQL over the models' own table and column names
    (portable between SQLite and PostgreSQL), built without the ORM's compiler on the busiest path."""
    q = connection.ops.quote_name
    when = connection.ops.adapt_datetimefield_value

    def col(model, name: str, alias: str) -> str:
        return f"{alias}.{q(model._meta.get_field(name).column)}"

    def among(expression: str) -> str:
        return f"{expression} IN ({', '.join(['%s'] * len(ids))})"

    co_askers = Ask._meta.get_field("co_askers")
    through = co_askers.remote_field.through._meta.db_table
    # An ask of format f taking m minutes overlaps [start, end) when start - m < scheduled_for < end.
    formats = " OR ".join(
        f"({col(Ask, 'format', 'a')} = %s AND {col(Ask, 'scheduled_for', 'a')} > %s)" for _ in ASK_MINUTES
    )
    others = ", ".join(["%s"] * len(ASK_MINUTES))
    ask_sql = (
        f"SELECT {col(Ask, 'mentee', 'a')}, 'ask', {col(Ask, 'helper', 'a')} FROM {q(Ask._meta.db_table)} a"  # noqa: S608 - names from _meta; values are parameters
        f" WHERE {col(Ask, 'state', 'a')} = %s AND {col(Ask, 'scheduled_for', 'a')} IS NOT NULL"
        f" AND {col(Ask, 'scheduled_for', 'a')} < %s"
        f" AND ({formats} OR ({col(Ask, 'format', 'a')} NOT IN ({others})"
        f" AND {col(Ask, 'scheduled_for', 'a')} > %s))"
        f" AND ({among(col(Ask, 'mentee', 'a'))} OR {among(col(Ask, 'helper', 'a'))}"
        f" OR EXISTS (SELECT 1 FROM {q(through)} c WHERE c.{q(co_askers.m2m_column_name())} = a.{q('id')}"
        f" AND {among('c.' + q(co_askers.m2m_reverse_name()))}))"
        f" AND NOT EXISTS (SELECT 1 FROM {q(Booking._meta.db_table)} ab"
        f" WHERE {col(Booking, 'ask', 'ab')} = a.{q('id')} AND {col(Booking, 'state', 'ab')} = %s)"
    )
    ask_params: list = [AskState.SCHEDULED, when(end)]
    for format_, minutes in ASK_MINUTES.items():
        ask_params += [format_, when(start - dt.timedelta(minutes=minutes))]
    ask_params += [
        *ASK_MINUTES,
        when(start - dt.timedelta(minutes=30)),
        *ids,
        *ids,
        *ids,
        BookingState.CONFIRMED,
    ]
    if ignore_ask_id is not None:
        ask_sql += f" AND a.{q('id')} <> %s"
        ask_params.append(ignore_ask_id)
    slot_sql = (
        f"SELECT {col(Slot, 'mentor', 's')}, 'mentor', NULL FROM {q(Slot._meta.db_table)} s"  # noqa: S608 - names from _meta; values are parameters
        f" WHERE {among(col(Slot, 'mentor', 's'))} AND {col(Slot, 'held', 's')} = %s"
        f" AND {col(Slot, 'start', 's')} < %s AND {col(Slot, 'end', 's')} > %s"
    )
    slot_params: list = [*ids, True, when(end), when(start)]
    if ignore_slot_ids:
        slot_sql += f" AND s.{q('id')} NOT IN ({', '.join(['%s'] * len(ignore_slot_ids))})"
        slot_params += ignore_slot_ids
    booking_sql = (
        f"SELECT {col(Booking, 'mentee', 'b')}, 'mentee', NULL FROM {q(Booking._meta.db_table)} b"  # noqa: S608 - names from _meta; values are parameters
        f" WHERE {among(col(Booking, 'mentee', 'b'))} AND {col(Booking, 'state', 'b')} = %s"
        f" AND {col(Booking, 'start', 'b')} < %s AND {col(Booking, 'end', 'b')} > %s"
    )
    booking_params: list = [*ids, BookingState.CONFIRMED, when(end), when(start)]
    if ignore_booking_id is not None:
        booking_sql += f" AND b.{q('id')} <> %s"
        booking_params.append(ignore_booking_id)
    # The ask branch comes first: PostgreSQL types each column of a UNION from left to right, and its
    # third column (a user id) gives the others' NULLs their type.
    return (
        f"{ask_sql} UNION ALL {slot_sql} UNION ALL {booking_sql}",
        ask_params + slot_params + booking_params,
    )


def conflicting_commitment(user_id: int, start: dt.datetime, end: dt.datetime, **ignore) -> str | None:
    """What of this person's time overlaps [start, end), or None when they are free (see ``clashes``)."""
    return clashes([user_id], start, end, **ignore).get(user_id)


def skill_filter(text: str, *, viewer) -> Q | None:
    """Blocks about a skill (or its children): its focus skills, or the mentor offers it. None if unknown."""
    exact = resolve_skill(text, user=viewer)
    skill_ids = with_descendants([exact.pk]) if exact else search_skill_ids(text, user=viewer)
    if not skill_ids:
        return None
    offered_by = SkillOffer.objects.filter(skill_id__in=skill_ids).values("profile__user_id")
    return Q(skills__in=skill_ids) | Q(mentor_id__in=offered_by)


# --- Listing ----------------------------------------------------------------------------------------

# What a page of the slot list reads of its blocks (the API's SlotSerializer: the block's title and zone, the
# mentor's id and name): the rest is left unloaded (timestamps, dates and JSON cost the most to load).
LISTING_READ = ("title", "timezone", "mentor__email", "mentor__profile__display_name")


class Terms(NamedTuple):
    """What a listing reads of a block and of its mentor's profile: the rule, the timing, the seats and the
    caps. A plain record, so that listing hundreds of blocks does not build their model objects."""

    pk: int
    mentor_id: int
    rule: Rule
    timezone: str
    seats: int
    min_notice_minutes: int
    horizon_weeks: int
    daily_cap: int | None
    paused_until: dt.date | None
    profile_id: int | None
    sessions_per_week: int | None

    @classmethod
    def of(cls, block: OfficeHours) -> Terms:
        """The terms of a block loaded as a model object (with its mentor and profile)."""
        profile = getattr(block.mentor, "profile", None)
        return cls(
            pk=block.pk,
            mentor_id=block.mentor_id,
            rule=Rule.of(block),
            timezone=block.timezone,
            seats=block.seats,
            min_notice_minutes=block.min_notice_minutes,
            horizon_weeks=block.horizon_weeks,
            daily_cap=block.daily_cap,
            paused_until=profile.paused_until if profile is not None else None,
            profile_id=profile.pk if profile is not None else None,
            sessions_per_week=profile.sessions_per_week if profile is not None else None,
        )


# The columns of Terms, the rule's as they are stored (weekdays as the JSON text: see ``stored_rule``).
TERMS_COLUMNS = (
    "pk",
    "mentor_id",
    "weekdays_text",
    "start_time",
    "end_time",
    "timezone",
    "slot_minutes",
    "buffer_minutes",
    "seats",
    "min_notice_minutes",
    "horizon_weeks",
    "daily_cap",
    "mentor__profile__paused_until",
    "mentor__profile__pk",
    "mentor__profile__sessions_per_week",
)


def block_terms(blocks: QuerySet[OfficeHours]) -> list[Terms]:
    """The terms of the active blocks of ``blocks``, read as plain columns in one query."""
    rows = (
        blocks.filter(is_active=True)
        .annotate(weekdays_text=Cast("weekdays", output_field=TextField()))
        .order_by()
        .distinct()
        .values_list(*TERMS_COLUMNS)
    )
    # The columns of TERMS_COLUMNS: the block, its rule (weekdays … buffer), then the rest.
    return [Terms(row[0], row[1], stored_rule(*row[2:8]), row[5], *row[8:]) for row in rows]


@lru_cache(maxsize=4096)
def stored_rule(
    weekdays: str,
    start_time: dt.time,
    end_time: dt.time,
    timezone: str,
    slot_minutes: int,
    buffer_minutes: int,
) -> Rule:
    """The Rule of a block's columns, weekdays as their JSON text ("[1, 3]"): remembered, since the same
    blocks are listed on every request and decoding the JSON and building the rule cost more than the rest."""
    days = frozenset(int(day) for day in json.loads(weekdays))
    return Rule(days, start_time, end_time, timezone, slot_minutes, buffer_minutes)


class Held(NamedTuple):
    """A slot row someone holds (booked, or being booked), with its confirmed bookings counted."""

    pk: int
    mentor_id: int
    office_hours_id: int | None
    start: dt.datetime
    end: dt.datetime
    seats: int
    taken: int


class Listed(NamedTuple):
    """One open slot of a listing, before it is built into an OpenSlot. The first three fields order a
    listing (the start as a POSIX timestamp, then the mentor, then the block: no two slots share all three),
    so a list of them sorts as plain tuples of numbers."""

    at: float
    mentor_id: int
    block_pk: int
    start: dt.datetime
    end: dt.datetime
    local_date: dt.date
    seats: int
    taken: int
    slot_pk: int | None


class SlotListing(Sequence[OpenSlot]):
    """The open slots of a listing, soonest first, counted without being built: an OpenSlot (and the model
    object of its block, with the mentor) is made only for the slots read. A page of 50 out of thousands
    costs 50, and a paginator gets the exact count from ``len``."""

    def __init__(
        self, listed: list[Listed], load_blocks: Callable[[set[int]], dict[int, OfficeHours]], viewer
    ) -> None:
        self._listed = listed
        self._load_blocks = load_blocks
        self._viewer = viewer

    def __len__(self) -> int:
        return len(self._listed)

    def __iter__(self) -> Iterator[OpenSlot]:
        return iter(self[:])  # every slot built at once (Sequence's own would load blocks slot by slot)

    @overload
    def __getitem__(self, index: int) -> OpenSlot: ...

    @overload
    def __getitem__(self, index: slice) -> list[OpenSlot]: ...

    def __getitem__(self, index: int | slice) -> OpenSlot | list[OpenSlot]:
        if isinstance(index, slice):
            return self._build(self._listed[index])
        return self._build([self._listed[index]])[0]

    def _build(self, rows: list[Listed]) -> list[OpenSlot]:
        """OpenSlots for these rows, with the viewer's seats and places in line among them; a block deleted
        since the listing was counted drops its slots."""
        if not rows:
            return []
        blocks = self._load_blocks({row.block_pk for row in rows})
        mine, waiting = _viewer_marks(self._viewer, [row.slot_pk for row in rows if row.slot_pk is not None])
        return [
            OpenSlot(
                blocks[row.block_pk],
                row.start,
                row.end,
                row.local_date,
                seats=row.seats,
                taken=row.taken,
                booked_by_viewer=row.slot_pk in mine,
                waiting_by_viewer=row.slot_pk in waiting,
            )
            for row in rows
            if row.block_pk in blocks
        ]


def open_slots(
    rules: Sequence[OfficeHours],
    *,
    start: dt.datetime,
    end: dt.datetime,
    moment: dt.datetime | None = None,
    viewer=None,
) -> list[OpenSlot]:
    """Bookable slots of ``rules`` starting in [start, end), soonest first, in a constant number of queries.

    ``rules`` should come with ``select_related("mentor__profile")``. Full slots are included (they offer
    the waiting list); slots ruled out by time, caps or the mentor's other commitments are not.
    """
    by_pk = {rule.pk: rule for rule in rules if rule.is_active}
    terms = [Terms.of(rule) for rule in by_pk.values()]
    listing = _listing(terms, lambda pks: by_pk, start=start, end=end, moment=moment or now(), viewer=viewer)
    return listing[:]


def open_slot_listing(
    blocks: QuerySet[OfficeHours],
    *,
    start: dt.datetime,
    end: dt.datetime,
    moment: dt.datetime | None = None,
    viewer=None,
) -> SlotListing:
    """The bookable slots of the active blocks of ``blocks``, as ``open_slots`` finds them, for a paginator:
    the blocks are read as plain columns, and only those of the slots read (a page) as model objects, with
    only the columns the API shows (LISTING_READ)."""

    def load_blocks(pks: set[int]) -> dict[int, OfficeHours]:
        rows = OfficeHours.objects.filter(InIds("pk", pks)).select_related("mentor__profile")
        return {block.pk: block for block in rows.only(*LISTING_READ)}

    return _listing(
        block_terms(blocks), load_blocks, start=start, end=end, moment=moment or now(), viewer=viewer
    )


def _listing(
    terms: list[Terms],
    load_blocks: Callable[[set[int]], dict[int, OfficeHours]],
    *,
    start: dt.datetime,
    end: dt.datetime,
    moment: dt.datetime,
    viewer,
) -> SlotListing:
    """The open slots of the blocks with these terms, in a constant number of queries (see open_slots)."""
    start = max(start, moment)
    if not terms or start >= end:
        return SlotListing([], load_blocks, viewer)
    mentor_ids = {block.mentor_id for block in terms}
    margin = dt.timedelta(days=2)
    # The blocks' mentors are hundreds in a large organisation: their ids travel as one parameter (InIds).
    time_off: dict[int, list[TimeOff]] = defaultdict(list)
    for away in TimeOff.objects.filter(
        InIds("mentor_id", mentor_ids),
        end_date__gte=(start - margin).date(),
        start_date__lte=(end + margin).date(),
    ):
        time_off[away.mentor_id].append(away)
    held = [
        Held(*row)
        for row in Slot.objects.filter(
            InIds("mentor_id", mentor_ids), held=True, start__lt=end + margin, end__gt=start - margin
        )
        .annotate(taken=Count("bookings", filter=Q(bookings__state=BookingState.CONFIRMED)))
        .order_by()
        .values_list("pk", "mentor_id", "office_hours_id", "start", "end", "seats", "taken")
    ]
    held_by_block: dict[int, dict[dt.datetime, Held]] = defaultdict(dict)
    for row in held:
        if row.office_hours_id:
            held_by_block[row.office_hours_id][row.start] = row
    busy: dict[int, list[tuple[dt.datetime, dt.datetime, int | None]]] = defaultdict(list)
    for row in held:
        busy[row.mentor_id].append((row.start, row.end, row.pk))
    for people, ask_start, ask_end in ask_commitments(mentor_ids, start - margin, end + margin):
        for person in people & mentor_ids:
            busy[person].append((ask_start, ask_end, None))
    # Connected calendars (openhelp/directory/calendars): the mentor's busy times hide the slots they overlap.
    for person, intervals in busy_by_user(mentor_ids, start - margin, end + margin).items():
        busy[person].extend((busy_start, busy_end, None) for busy_start, busy_end in intervals)
    caps = _Caps(terms, held)

    found: list[Listed] = []
    for block in terms:
        offs = time_off_for(block, time_off.get(block.mentor_id, ()))
        held_here = held_by_block.get(block.pk, {})
        found.extend(
            _block_slots(block, start, end, moment, offs, held_here, busy.get(block.mentor_id, []), caps)
        )
    found.sort()  # soonest first, then by mentor, then by block (see Listed)
    return SlotListing(found, load_blocks, viewer)


def _block_slots(
    block: Terms,
    start: dt.datetime,
    end: dt.datetime,
    moment: dt.datetime,
    offs: list[tuple[dt.date, dt.date]],
    held: dict[dt.datetime, Held],
    busy: list[tuple[dt.datetime, dt.datetime, int | None]],
    caps: _Caps,
) -> Iterator[Listed]:
    """The open slots of one block in [start, end): ``timing_problem``'s rules, then seats and commitments.
    ``held``: the block's held slots by start; ``busy``: the mentor's commitments (held slots included)."""
    timing = Timing.of(block, moment=moment, paused_until=block.paused_until, time_off=offs)
    capped = caps.applies_to(block)
    for slot in between(block.rule, max(start, timing.notice_from), end):  # sooner: too little notice
        if timing.problem(slot):
            continue
        row = held.get(slot.start) if held else None
        if row is None:
            if busy and any(overlaps(s, e, slot.start, slot.end) for s, e, _ in busy):
                continue
            if capped and not caps.allows_new(block, slot):
                continue
            yield Listed(
                slot.start.timestamp(),
                block.mentor_id,
                block.pk,
                slot.start,
                slot.end,
                slot.local_date,
                block.seats,
                0,
                None,
            )
        elif not any(overlaps(s, e, row.start, row.end) and pk != row.pk for s, e, pk in busy):
            yield Listed(
                row.start.timestamp(),
                block.mentor_id,
                block.pk,
                row.start,
                row.end,
                slot.local_date,
                row.seats,
                row.taken,
                row.pk,
            )


def _viewer_marks(viewer, slot_ids: list[int]) -> tuple[set[int], set[int]]:
    if viewer is None or not viewer.is_authenticated or not slot_ids:
        return set(), set()
    mine = set(
        Booking.objects.filter(
            InIds("slot_id", slot_ids), mentee_id=viewer.pk, state=BookingState.CONFIRMED
        ).values_list("slot_id", flat=True)
    )
    waiting = set(
        WaitlistEntry.objects.filter(
            InIds("slot_id", slot_ids), mentee_id=viewer.pk, state=WaitlistState.WAITING
        ).values_list("slot_id", flat=True)
    )
    return mine, waiting


class _Caps:
    """The daily cap of each block and the weekly capacity of each mentor, for a listing."""

    def __init__(self, terms: list[Terms], held: list[Held]) -> None:
        self.per_day: dict[tuple[int, dt.date], int] = defaultdict(int)
        by_pk = {block.pk: block for block in terms}
        for row in held:
            block = by_pk.get(row.office_hours_id) if row.office_hours_id else None
            if block is not None and block.daily_cap:
                self.per_day[(block.pk, row.start.astimezone(zone(block.timezone)).date())] += 1
        # Mentor → (profile, sessions per week) for the mentors whose weekly capacity is limited.
        self.limits = {
            block.mentor_id: (block.profile_id, block.sessions_per_week)
            for block in terms
            if block.profile_id is not None and block.sessions_per_week is not None
        }
        self.profile_ids = sorted({profile_id for profile_id, _ in self.limits.values()})
        self.used: dict[dt.datetime, dict[int, int]] = {}  # week → profile → sessions used
        self.weeks: dict[dt.date, dt.datetime] = {}  # UTC date → its week's start

    def used_in(self, week: dt.datetime) -> dict[int, int]:
        """Sessions used in this week by the limited profiles: read when a slot of that week first asks (a
        listing's days often fall in one week, or the limited mentors' slots do)."""
        if week not in self.used:
            self.used[week] = sessions_used(self.profile_ids, moment=week)
        return self.used[week]

    def applies_to(self, block: Terms) -> bool:
        """Whether a cap can rule out a slot of this block (most blocks have none)."""
        return bool(block.daily_cap) or block.mentor_id in self.limits

    def allows_new(self, block: Terms, slot: SlotTime) -> bool:
        """Whether a slot nobody holds yet may be offered: under the block's daily cap and the mentor's week."""
        if block.daily_cap and self.per_day[(block.pk, slot.local_date)] >= block.daily_cap:
            return False
        limit = self.limits.get(block.mentor_id)
        if limit is None:
            return True
        profile_id, per_week = limit
        return self.used_in(self.week_of(slot.start)).get(profile_id, 0) < per_week

    def week_of(self, start: dt.datetime) -> dt.datetime:
        """``current_week``'s start for this moment, worked out once per UTC date."""
        day = start.astimezone(dt.UTC).date()
        if day not in self.weeks:
            self.weeks[day], _ = current_week(start)
        return self.weeks[day]
