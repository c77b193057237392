"""The people on a skill's page, a page at a time in an order indexes serve, however popular the skill.

**Who can help** (the skill's offers): people available today first (open to help and not paused), then
everyone else; inside each of these two *segments* by level, highest first, then by profile id, newest
first. That is the index on (skill, level, profile) read backwards, each row's profile joined by its
primary key with the day's availability test as a filter (today is a parameter, so nothing goes stale).
A page is one or two small ``LIMIT`` queries (the second when the first segment runs out), never a sort
of every offer of the skill joined to every profile.

**Who wants to learn it** (the skill's wishes): the latest first, by the wish's id.

A page shows a few cards and a "more" link: its cursor is the sort key of the page's last row, opaque to
clients (URL-safe base64 of JSON), and the next page reads strictly after it, so nobody is shown twice or
skipped when rows change between pages. Each card loads only what it shows (``CARD_PROFILE_FIELDS``; the
top ``CARD_TOP_SKILLS`` skills of every card on the page in one query, ``load_top_skills``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import BooleanField, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL

from openhelp.directory.skills.models import Skill
from openhelp.platform.lib.cursors import INVALID_CURSOR, decode_cursor, encode_cursor

OFFERS_SHOWN = 24  # cards of people who can help per page, as many as a directory page
WANTED_SHOWN = 12  # cards of people who want to learn it per page

# What a person card (people/_person_card.html) reads of a profile, reached from an offer or a wish.
CARD_PROFILE_FIELDS = (
    "display_name",
    "headline",
    "avatar_initials",
    "avatar_colour",
    "open_to_help",
    "paused_until",
    "team__name",
)
CARD_TOP_SKILLS = 3  # the card's "Top skills" (people.models.Profile.top_offers): only these are loaded


# --- Cursors ----------------------------------------------------------------------------------------------


def _decode(token: str, length: int) -> list[int]:
    """The integers a cursor holds; ``ValueError`` for anything a client made up or cut short."""
    values = decode_cursor(token, length)
    if not all(type(value) is int and 0 <= value < 2**63 for value in values):
        raise ValueError(INVALID_CURSOR)
    return values


@dataclass(frozen=True)
class OfferKey:
    """An offer's place in the "who can help" order."""

    available: bool
    level: int
    profile_id: int

    def encode(self) -> str:
        return encode_cursor([int(self.available), self.level, self.profile_id])

    @classmethod
    def decode(cls, token: str) -> OfferKey:
        available, level, profile_id = _decode(token, 3)
        if available not in (0, 1):
            raise ValueError(INVALID_CURSOR)
        return cls(bool(available), level, profile_id)


@dataclass(frozen=True)
class WantedKey:
    """A wish's place in the "who wants to learn it" order."""

    pk: int

    def encode(self) -> str:
        return encode_cursor([self.pk])

    @classmethod
    def decode(cls, token: str) -> WantedKey:
        (pk,) = _decode(token, 1)
        return cls(pk)


@dataclass
class PeoplePage:
    """One page of offers or wishes, each with its ``profile`` loaded for a card."""

    rows: list[Any]
    next_cursor: str  # read on with after=next_cursor; "" on the last page


# --- What a card loads ------------------------------------------------------------------------------------


def card_fields(*own: str) -> list[str]:
    """The columns an offer or wish is read with: its own, then its profile's for the card."""
    return [*own, "profile__user_id", *(f"profile__{name}" for name in CARD_PROFILE_FIELDS)]


def load_top_skills(*pages: PeoplePage) -> None:
    """Each card's top skills, for every card of these pages in one query: ``CARD_TOP_SKILLS`` per
    person (a window function per profile), not every skill everyone offers."""
    offers = cast("type[Any]", Skill._meta.get_field("offers").related_model)  # people's SkillOffer
    top = (
        offers.objects.select_related("skill")
        .only("profile_id", "level", "skill__name", "skill__slug")
        .order_by("-level", "skill__name", "pk")
    )
    profiles = [row.profile for page in pages for row in page.rows]
    prefetch_related_objects(
        profiles, Prefetch("skills_offered", queryset=top[:CARD_TOP_SKILLS], to_attr="card_top_offers")
    )


# --- Who can help -----------------------------------------------------------------------------------------


def _available_q(today: dt.date) -> Q:
    """An offer whose person is open to help and not paused today (``Profile.is_available``)."""
    return Q(profile__open_to_help=True) & (
        Q(profile__paused_until__isnull=True) | Q(profile__paused_until__lte=today)
    )


def _unavailable_q(today: dt.date) -> Q:
    """The complement of ``_available_q``: not open to help, or paused past today."""
    return Q(profile__open_to_help=False) | Q(profile__paused_until__gt=today)


def _below(key: OfferKey) -> RawSQL:
    """(level, profile) strictly after the key in descending order: a row comparison, which the index on
    (skill, level, profile) answers as a range where the equivalent OR of columns would be a filter."""
    table = cast("type[Any]", Skill._meta.get_field("offers").related_model)._meta.db_table
    # Only the table name is formatted in; the values are bound parameters.
    return RawSQL(  # noqa: S611
        f'("{table}"."level", "{table}"."profile_id") < (%s, %s)',
        (key.level, key.profile_id),
        output_field=BooleanField(),
    )


def _offer_segment(
    skill: Skill, available: bool, today: dt.date, *, after: OfferKey | None, limit: int
) -> list[Any]:
    rows = skill.offers.filter(_available_q(today) if available else _unavailable_q(today))
    if after is not None:
        rows = rows.filter(_below(after))
    rows = rows.select_related("profile__team").only(*card_fields("level", "note", "skill_id"))
    return list(rows.order_by("-level", "-profile_id")[:limit])


def offers_page(
    skill: Skill, *, today: dt.date, after: OfferKey | None = None, size: int = OFFERS_SHOWN
) -> PeoplePage:
    """One page of the people who offer ``skill``, after a key (None: the first page)."""
    segments = [True, False]
    if after is not None:  # begin in the cursor's own segment
        segments = segments[segments.index(after.available) :]
    rows: list[Any] = []
    for index, available in enumerate(segments):
        start = after if index == 0 else None
        rows += _offer_segment(skill, available, today, after=start, limit=size + 1 - len(rows))
        if len(rows) > size:
            break
    more = len(rows) > size
    rows = rows[:size]
    if not more:
        return PeoplePage(rows, "")
    last = rows[-1]
    return PeoplePage(rows, OfferKey(last.profile.is_available(today), last.level, last.profile_id).encode())


# --- Who wants to learn it --------------------------------------------------------------------------------


def wanted_page(skill: Skill, *, after: WantedKey | None = None, size: int = WANTED_SHOWN) -> PeoplePage:
    """One page of the people who want to learn ``skill``, the latest wish first, after a key."""
    rows: QuerySet[Any] = skill.wanted_by.all()
    if after is not None:
        rows = rows.filter(pk__lt=after.pk)
    found = list(
        rows.select_related("profile__team")
        .only(*card_fields("note", "skill_id"))
        .order_by("-pk")[: size + 1]
    )
    page = found[:size]
    return PeoplePage(page, WantedKey(page[-1].pk).encode() if len(found) > size else "")


def offer_count(skill: Skill) -> int:
    """How many offer the skill (every page of ``offers_page``): read from the index on the offers'
    skill alone, without the profiles (a count through them would fetch every row)."""
    return skill.offers.count()


def wanted_count(skill: Skill) -> int:
    """How many want to learn the skill (every page of ``wanted_page``), from the index alone likewise."""
    return skill.wanted_by.count()
