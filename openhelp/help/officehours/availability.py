"""What is bookable: slots expanded from the rules, minus what time off, pauses, caps and the mentor's
other commitments rule out, with seats left. Also each person's commitments, for the overlap checks.

Listing and booking apply the same rules; booking applies them again after taking the lock
(officehours.booking), because a list is only a snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

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
from openhelp.help.officehours.slots import Rule, SlotTime, expand_between, overlaps, zone
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
    office_hours: OfficeHours,
    slot: SlotTime,
    *,
    moment: dt.datetime,
    paused_until: dt.date | None,
    time_off: Iterable[tuple[dt.date, dt.date]] = (),
) -> str | None:
    """Why this slot cannot be booked now, in words, or None. Checks time only, not seats or commitments."""
    if slot.start <= moment:
        return "This slot has already started."
    if slot.start < moment + dt.timedelta(minutes=office_hours.min_notice_minutes):
        return "This slot is too soon: it needs more notice."
    today = moment.astimezone(zone(office_hours.timezone)).date()
    if slot.local_date > today + dt.timedelta(weeks=office_hours.horizon_weeks):
        return "This slot is not open for booking yet."
    if paused_until is not None and slot.local_date < paused_until:
        return "This mentor has paused their office hours."
    if any(first <= slot.local_date <= last for first, last in time_off):
        return "The mentor is away that day."
    return None


def time_off_for(office_hours: OfficeHours, rows: Iterable[TimeOff]) -> list[tuple[dt.date, dt.date]]:
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
    moment = moment or now()
    rules = [rule for rule in rules if rule.is_active]
    if not rules:
        return []
    start = max(start, moment)
    if start >= end:
        return []
    mentor_ids = {rule.mentor_id for rule in rules}
    margin = dt.timedelta(days=2)
    # The blocks' mentors are hundreds in a large organisation: their ids travel as one parameter (InIds).
    time_off = list(
        TimeOff.objects.filter(
            InIds("mentor_id", mentor_ids),
            end_date__gte=(start - margin).date(),
            start_date__lte=(end + margin).date(),
        )
    )
    held = list(
        Slot.objects.filter(
            InIds("mentor_id", mentor_ids), held=True, start__lt=end + margin, end__gt=start - margin
        )
        .annotate(taken=Count("bookings", filter=Q(bookings__state=BookingState.CONFIRMED)))
        .order_by()
    )
    held_by_start = {(row.office_hours_id, row.start): row for row in held if row.office_hours_id}
    busy: dict[int, list[tuple[dt.datetime, dt.datetime, int | None]]] = defaultdict(list)
    for row in held:
        busy[row.mentor_id].append((row.start, row.end, row.pk))
    for people, ask_start, ask_end in ask_commitments(mentor_ids, start - margin, end + margin):
        for person in people & mentor_ids:
            busy[person].append((ask_start, ask_end, None))
    # Connected calendars (openhelp/directory/calendars): the mentor's busy times hide the slots they overlap.
    for person, intervals in busy_by_user(mentor_ids, start - margin, end + margin).items():
        busy[person].extend((busy_start, busy_end, None) for busy_start, busy_end in intervals)
    mine, waiting = _viewer_marks(viewer, [row.pk for row in held])
    caps = _Caps(rules, held, start, end, moment)

    found: list[OpenSlot] = []
    for rule in rules:
        found.extend(
            _rule_slots(
                rule, start, end, moment, time_off, held_by_start, busy[rule.mentor_id], caps, mine, waiting
            )
        )
    found.sort(key=lambda s: (s.start, s.office_hours.mentor_id, s.office_hours.pk))
    return found


def _rule_slots(
    rule, start, end, moment, time_off, held_by_start, busy, caps, mine, waiting
) -> list[OpenSlot]:
    offs = time_off_for(rule, time_off)
    pause = paused_until(rule)
    found = []
    for slot in expand_between(Rule.of(rule), start, end):
        if timing_problem(rule, slot, moment=moment, paused_until=pause, time_off=offs):
            continue
        row = held_by_start.get((rule.pk, slot.start))
        if row is None:
            if any(overlaps(s, e, slot.start, slot.end) for s, e, _ in busy) or not caps.allows_new(
                rule, slot
            ):
                continue
            found.append(OpenSlot(rule, slot.start, slot.end, slot.local_date, seats=rule.seats))
        elif not any(overlaps(s, e, row.start, row.end) and pk != row.pk for s, e, pk in busy):
            found.append(
                OpenSlot(
                    rule,
                    row.start,
                    row.end,
                    slot.local_date,
                    seats=row.seats,
                    taken=row.taken,
                    booked_by_viewer=row.pk in mine,
                    waiting_by_viewer=row.pk in waiting,
                )
            )
    return found


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

    def __init__(self, rules, held, start, end, moment) -> None:
        self.per_day: dict[tuple[int, dt.date], int] = defaultdict(int)
        by_pk = {rule.pk: rule for rule in rules}
        for row in held:
            rule = by_pk.get(row.office_hours_id)
            if rule is not None and rule.daily_cap:
                self.per_day[(rule.pk, row.start.astimezone(zone(rule.timezone)).date())] += 1
        self.profiles = {
            rule.mentor_id: rule.mentor.profile for rule in rules if hasattr(rule.mentor, "profile")
        }
        limited = [p for p in self.profiles.values() if p.sessions_per_week is not None]
        self.used: dict[tuple[int, dt.datetime], int] = {}
        if limited:
            week, _ = current_week(start)
            while week < end:
                counts = sessions_used([p.pk for p in limited], moment=week)
                for profile_id, n in counts.items():
                    self.used[(profile_id, week)] = n
                week += dt.timedelta(days=7)

    def allows_new(self, rule: OfficeHours, slot: SlotTime) -> bool:
        if rule.daily_cap and self.per_day[(rule.pk, slot.local_date)] >= rule.daily_cap:
            return False
        profile = self.profiles.get(rule.mentor_id)
        if profile is None or profile.sessions_per_week is None:
            return True
        week, _ = current_week(slot.start)
        return self.used.get((profile.pk, week), 0) < profile.sessions_per_week
