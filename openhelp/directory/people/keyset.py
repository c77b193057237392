"""Keyset pages of the people directory: the order "open to help right now first, then by name" read
from indexes, a page at a time, however many people there are.

Why no stored "available" column: whether a person is available depends on today's date (a pause ends
by itself) and profiles are written by many hands (the services, routing's pause, imports, SCIM, the
demo seed's bulk inserts, ``QuerySet.update``). A stored flag would need every writer and a daily job to
keep it right. Instead the order is split into its two *segments* — available today, then everyone
else — and each segment is read in (display_name, pk) order from the index on those columns, with the
day's availability test as a filter (``available_q`` / ``unavailable_q``; today is a query parameter, so
nothing goes stale). A page starts in one segment and, when that runs out, continues at the start of the
next: one or two small ``LIMIT`` queries, never a sort or an ``OFFSET`` over everybody.

The cursor is the sort key of the row next to the page's edge: (segment, display_name, pk), opaque to
clients (URL-safe base64 of JSON). ``after`` reads forward from it, ``before`` backward; ties on name
are broken by pk, so no person is shown twice or skipped, even when rows change between pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import BooleanField, CharField, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from openhelp.directory.people.models import Profile, available_q
from openhelp.platform.lib.cursors import INVALID_CURSOR, decode_cursor, encode_cursor

# Counting stops here: "more than 1,000 people" costs the same as "12 people".
COUNT_CAP = 1000


def unavailable_q(today: dt.date) -> Q:
    """The complement of ``available_q`` written so NULLs fall on the right side: not open, or paused."""
    return Q(open_to_help=False) | Q(paused_until__gt=today)


@dataclass(frozen=True)
class Key:
    """A person's place in the directory order."""

    available: bool
    name: str
    pk: int

    def encode(self) -> str:
        return encode_cursor([int(self.available), self.name, self.pk])

    @classmethod
    def decode(cls, token: str) -> Key:
        """The key a cursor names; ``ValueError`` for anything a client made up or cut short."""
        available, name, pk = decode_cursor(token, 3)
        if available not in (0, 1) or not isinstance(name, str) or not isinstance(pk, int) or len(name) > 200:
            raise ValueError(INVALID_CURSOR)
        return cls(bool(available), name, pk)

    @classmethod
    def of(cls, profile: Profile, today: dt.date) -> Key:
        return cls(profile.is_available(today), profile.display_name, profile.pk)


@dataclass
class KeysetPage:
    rows: list[Profile]
    next_key: Key | None  # read on with after=next_key (the last row shown)
    previous_key: Key | None  # read back with before=previous_key (the first row shown)


def _beyond(key: Key, *, forward: bool) -> RawSQL:
    """(display_name, pk) strictly after (or before) the key: a row comparison, which the index on
    (display_name, id) answers as a range, where the equivalent OR of columns would be a filter."""
    table = Profile._meta.db_table
    operator = ">" if forward else "<"
    # Only constants are formatted in (the table name, the operator); the values are bound parameters.
    return RawSQL(  # noqa: S611
        f'("{table}"."display_name", "{table}"."id") {operator} (%s, %s)',
        (key.name, key.pk),
        output_field=BooleanField(),
    )


def _order(*, forward: bool = True, walk: bool = True) -> tuple:
    """The order inside a segment. ``walk=False`` sorts by the name as an expression no index matches,
    in the same order: for a short list of ids (a rare search), sorting them beats walking the name
    index from "A" to wherever they are, which the planner would otherwise pick (a search for "Priya"
    finds people all in one stretch of the alphabet)."""
    name = F("display_name") if walk else Concat("display_name", Value(""), output_field=CharField())
    return (name.asc(), F("pk").asc()) if forward else (name.desc(), F("pk").desc())


def _segment(
    queryset: QuerySet[Profile],
    available: bool,
    today: dt.date,
    *,
    start: Key | None,
    forward: bool,
    limit: int,
    walk: bool = True,
) -> list[Profile]:
    rows = queryset.filter(available_q(today) if available else unavailable_q(today))
    if start is not None:
        rows = rows.filter(_beyond(start, forward=forward))
    return list(rows.order_by(*_order(forward=forward, walk=walk))[:limit])


def keyset_page(
    queryset: QuerySet[Profile],
    *,
    today: dt.date,
    size: int,
    after: Key | None = None,
    before: Key | None = None,
    only_available: bool = False,
    walk: bool = True,
) -> KeysetPage:
    """One page of ``queryset`` (filtered, unordered) in directory order, after or before a key
    (``walk``: see ``_order``)."""
    segments: Sequence[bool] = (True,) if only_available else (True, False)
    forward = before is None
    start = before if before is not None else after
    order = list(segments) if forward else list(reversed(segments))
    if start is not None:  # begin in the cursor's own segment
        order = order[order.index(start.available) :] if start.available in order else []
    rows: list[Profile] = []
    for index, available in enumerate(order):
        rows += _segment(
            queryset,
            available,
            today,
            start=start if index == 0 else None,
            forward=forward,
            limit=size + 1 - len(rows),
            walk=walk,
        )
        if len(rows) > size:
            break
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return KeysetPage(rows, None, None)
    first, last = Key.of(rows[0], today), Key.of(rows[-1], today)
    if forward:
        return KeysetPage(rows, last if more else None, first if start is not None else None)
    return KeysetPage(rows, last, first if more else None)


def offset_rows(
    queryset: QuerySet[Profile],
    *,
    today: dt.date,
    offset: int,
    limit: int,
    only_available: bool = False,
    walk: bool = True,
) -> list[Profile]:
    """Rows ``offset``…``offset + limit`` in directory order, for old page-number links: each segment is
    skipped by a count that stops at the offset, so page n costs about n pages of index, never a sort
    (except of a short list of ids, ``walk=False``)."""
    segments = (True,) if only_available else (True, False)
    rows: list[Profile] = []
    for available in segments:
        part = queryset.filter(available_q(today) if available else unavailable_q(today))
        if offset:
            here = part.order_by().values("pk")[:offset].count()
            if here < offset:
                offset -= here
                continue
        rows += part.order_by(*_order(walk=walk))[offset : offset + limit - len(rows)]
        offset = 0
        if len(rows) >= limit:
            break
    return rows


@dataclass(frozen=True)
class CappedCount:
    """How many matched, counted up to a cap (exact below it)."""

    value: int
    capped: bool

    def __str__(self) -> str:
        if self.capped:
            return f"More than {self.value:,} people"
        return f"{self.value:,} {'person' if self.value == 1 else 'people'}"


def capped_count(queryset: QuerySet[Profile], cap: int | None = None) -> CappedCount:
    """``SELECT count(*) FROM (… LIMIT cap + 1)``: bounded work however many rows match."""
    cap = COUNT_CAP if cap is None else cap
    value = queryset.order_by().values("pk")[: cap + 1].count()
    return CappedCount(min(value, cap), value > cap)
