"""The people directory's query: one function shared by the web page and the API.

``search_profiles`` turns a ``DirectoryFilters`` into a queryset that is ordered (people open to help
right now first), de-duplicated without DISTINCT (every join is a ``pk__in`` subquery) and loaded with
everything a person card shows, so a page of 25 or of 500 people costs the same number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects

from openhelp.directory.people.keyset import (
    CappedCount,
    Key,
    KeysetPage,
    capped_count,
    keyset_page,
    offset_rows,
)
from openhelp.directory.people.models import Format, Profile, SkillOffer
from openhelp.directory.skills.services import resolve_skill, search_skill_ids, with_descendants
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.sql import InIds

# A trigram index serves substrings of three characters or more. A shorter search ("go", "ai") would scan
# every profile's text and match half of them ("ago", "again"); it matches the start of a word of the
# name instead (and skills by name, above), which is what someone typing two letters looks for.
SHORTEST_SUBSTRING = 3


def _text_matches(text: str) -> list[QuerySet]:
    """Profile ids whose name, headline or bio match ``text``: one branch per indexed column, joined by
    UNION by the caller, so each branch can use its own trigram index on PostgreSQL
    (openhelp/directory/people/migrations/0006), where one OR across columns and a sub-select cannot."""
    ids = Profile.objects.order_by().values_list("pk", flat=True)
    if len(text) < SHORTEST_SUBSTRING:
        return [ids.filter(display_name__istartswith=text), ids.filter(display_name__icontains=f" {text}")]
    return [ids.filter(**{f"{column}__icontains": text}) for column in ("display_name", "headline", "bio")]


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""  # name, skill (with aliases and child skills), headline, bio or skill note
    skill: str = ""  # a skill name or alias; also finds people offering its child skills
    open_now: bool = False  # open to help and not paused today
    format: str = ""  # a Format value
    language: str = ""  # a Language code
    team: str = ""  # a Team slug
    tz_within_hours: int | None = None  # current UTC offset within ± this many hours of tz_reference
    tz_reference: str = "UTC"  # the viewer's own time zone

    @property
    def format_label(self) -> str:
        return dict(Format.choices).get(self.format, self.format)

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q
            or self.skill
            or self.open_now
            or self.format
            or self.language
            or self.team
            or self.tz_within_hours is not None
        )


# What ``people/_person_card.html`` and the API's profile read besides the profile and its team.
CARD_PREFETCHES = (
    Prefetch("skills_offered", queryset=SkillOffer.objects.select_related("skill")),
    "languages",
)


def for_cards(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """What ``people/_person_card.html`` reads, loaded in two extra queries for any number of people."""
    return queryset.select_related("team").prefetch_related(*CARD_PREFETCHES)


def search_profiles(
    filters: DirectoryFilters, *, viewer=None, moment: dt.datetime | None = None
) -> QuerySet[Profile]:
    """Every match, ordered and loaded for cards (the header search reads its first few). The directory
    and the people API read their pages through ``directory_page`` instead: this order sorts all matches."""
    moment = moment or now()
    today = moment.date()
    queryset = filtered_profiles(filters, viewer=viewer, moment=moment)
    available = Q(open_to_help=True) & (Q(paused_until__isnull=True) | Q(paused_until__lte=today))
    queryset = queryset.annotate(
        available_now=Case(
            When(available, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    ).order_by("-available_now", "display_name", "pk")
    return for_cards(queryset)


def filtered_profiles(
    filters: DirectoryFilters, *, viewer=None, moment: dt.datetime | None = None, materialise: bool = False
) -> QuerySet[Profile]:
    """The active people the filters match, unordered. ``materialise`` reads the text and skill matches
    first as a list of ids when it is short (``MATERIALISE_MATCHES``): for a caller that runs several
    queries on the result (a page and its count)."""
    narrow = _ids_or_subquery if materialise else _subquery
    moment = moment or now()
    today = moment.date()
    queryset = Profile.objects.filter(user__is_active=True)

    text = filters.q.strip()
    if text:
        offers = Q(note__icontains=text)
        skill_ids = search_skill_ids(text, user=viewer)
        if skill_ids:
            offers |= Q(skill_id__in=skill_ids)
        matching = _text_matches(text)
        if len(text) < SHORTEST_SUBSTRING:
            offers = Q(skill_id__in=skill_ids)  # "go": the skill Go, not every note that says "ago"
        matching.append(SkillOffer.objects.filter(offers).order_by().values_list("profile_id", flat=True))
        queryset = queryset.filter(narrow(matching[0].union(*matching[1:])))
    if filters.skill.strip():
        queryset = queryset.filter(narrow(_offerers_of(filters.skill, viewer=viewer)))
    if filters.open_now:
        queryset = queryset.available(today)
    if filters.format:
        # formats is a JSON list; a quoted substring test works on SQLite and PostgreSQL alike
        # (JSON containment is PostgreSQL-only) and cannot confuse one format value with another.
        queryset = queryset.filter(formats__icontains=f'"{filters.format}"')
    if filters.language:
        queryset = queryset.filter(
            pk__in=Profile.languages.through.objects.filter(language__code=filters.language).values(
                "profile_id"
            )
        )
    if filters.team:
        queryset = queryset.filter(team__slug=filters.team)
    if filters.tz_within_hours is not None:
        queryset = queryset.filter(
            timezone__in=zones_within(filters.tz_reference, filters.tz_within_hours, moment=moment)
        )
    return queryset


@dataclass
class DirectoryPage:
    """One page of the directory: the people (loaded for cards), where to read on, and how many matched."""

    people: list[Profile]
    next_cursor: str | None
    previous_cursor: str | None
    count: CappedCount


def directory_page(
    filters: DirectoryFilters,
    *,
    viewer=None,
    size: int,
    after: str = "",
    before: str = "",
    page_number: int | None = None,
    moment: dt.datetime | None = None,
) -> DirectoryPage:
    """A page in directory order (available today first, then by name) read by keyset (see ``keyset``).

    ``after``/``before`` are cursors from a previous page; ``page_number`` serves old page-number links.
    A cursor that does not decode raises ``ValueError`` with a message for the person.
    """
    moment = moment or now()
    today = moment.date()
    queryset = filtered_profiles(filters, viewer=viewer, moment=moment, materialise=True)
    with_team = queryset.select_related("team")
    if page_number is not None and page_number > 1 and not (after or before):
        rows = offset_rows(
            with_team,
            today=today,
            offset=(page_number - 1) * size,
            limit=size + 1,
            only_available=filters.open_now,
        )
        more = len(rows) > size
        rows = rows[:size]
        page = KeysetPage(
            rows,
            Key.of(rows[-1], today) if rows and more else None,
            Key.of(rows[0], today) if rows else None,
        )
    else:
        page = keyset_page(
            with_team,
            today=today,
            size=size,
            after=Key.decode(after) if after else None,
            before=Key.decode(before) if before else None,
            only_available=filters.open_now,
        )
    people = list(page.rows)
    prefetch_related_objects(people, *CARD_PREFETCHES)
    return DirectoryPage(
        people=people,
        next_cursor=page.next_key.encode() if page.next_key else None,
        previous_cursor=page.previous_key.encode() if page.previous_key else None,
        count=capped_count(queryset),
    )


# A match list up to this long is read once and passed as ids (probes of the primary key); a longer one
# stays a subquery. Read once, the page and its count do not each evaluate the text search again, and the
# planner joins a few thousand ids to profiles by key instead of hashing every open profile.
MATERIALISE_MATCHES = 20000


def _subquery(ids: QuerySet) -> Q:
    return Q(pk__in=ids)


def _ids_or_subquery(ids: QuerySet) -> Q | InIds:
    """The ids as one array parameter (``InIds``: Django's ``__in`` would prepare thousands one by one),
    or the subquery when there are more than ``MATERIALISE_MATCHES``."""
    found = list(ids[: MATERIALISE_MATCHES + 1])
    return Q(pk__in=ids) if len(found) > MATERIALISE_MATCHES else InIds("id", found)


def _skill_filter_ids(skill_text: str, *, viewer) -> set[int]:
    """The skills a typed skill filter means: the exact skill (or alias) and its children.

    Only when nothing matches exactly does it fall back to partial names, so "Java" does not also
    return everyone who offers JavaScript.
    """
    exact = resolve_skill(skill_text, user=viewer)
    return set(with_descendants([exact.pk])) if exact else set(search_skill_ids(skill_text, user=viewer))


def _offerers_of(skill_text: str, *, viewer):
    """Profile ids offering the skill a person typed (``_skill_filter_ids``)."""
    return (
        SkillOffer.objects.filter(skill_id__in=_skill_filter_ids(skill_text, viewer=viewer))
        .order_by()
        .values_list("profile_id", flat=True)
    )


def matched_skill_ids(filters: DirectoryFilters, *, viewer=None) -> set[int]:
    """The skills a search matched people on (the skill filter, skills the text names); empty without one."""
    ids: set[int] = set()
    if filters.q.strip():
        ids |= set(search_skill_ids(filters.q.strip(), user=viewer))
    if filters.skill.strip():
        ids |= _skill_filter_ids(filters.skill.strip(), viewer=viewer)
    return ids


def matched_offers(profile: Profile, *, skill_ids: set[int], text: str = "") -> list[SkillOffer]:
    """What this person offers that the search matched: a matched skill, or a note with the text in it.

    Reads the offers ``for_cards`` prefetched, so a page of cards costs no extra query.
    """
    text = text.strip().lower()
    return [
        offer
        for offer in profile.skills_offered.all()
        if offer.skill_id in skill_ids or (text and text in offer.note.lower())
    ]


def utc_offset_hours(zone: str, moment: dt.datetime) -> float | None:
    try:
        offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return offset.total_seconds() / 3600 if offset is not None else None


def zones_within(reference: str, hours: int, *, moment: dt.datetime | None = None) -> list[str]:
    """The time zones people use whose UTC offset right now is within ± ``hours`` of ``reference``'s.

    Offsets are taken at ``moment`` (so daylight saving is respected) for each distinct zone in use, which
    is a few dozen zones at most however many people there are. The distance wraps around the clock:
    UTC+12 and UTC-11 are one hour apart on the clock face, which is what working together needs.
    """
    moment = moment or now()
    mine = utc_offset_hours(reference, moment)
    if mine is None:
        mine = 0.0
    in_use = Profile.objects.order_by().values_list("timezone", flat=True).distinct()
    zones = []
    for zone in in_use:
        offset = utc_offset_hours(zone, moment)
        if offset is None:
            continue
        distance = abs(offset - mine) % 24
        if min(distance, 24 - distance) <= hours:
            zones.append(zone)
    return zones
