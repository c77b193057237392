"""The people directory's query: one function shared by the web page and the API.

``search_profiles`` turns a ``DirectoryFilters`` into a queryset that is ordered (people open to help
right now first), de-duplicated without DISTINCT (every join is a ``pk__in`` subquery) and loaded with
everything a person card shows, so a page of 25 or of 500 people costs the same number of queries.

``directory_page`` (the directory and the people API) reads a page and a capped count instead, and reads
a text search by how common it is: a probe (``TextSearch.probe``) finds either every match, a short list
of ids sorted for the page, or that there are many, and then the page is read in directory order testing
each person (``TextSearch.condition``) while the probe's ids show the count passed its cap. Every way
finds the same people in the same order (tests/people/test_directory_search.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import (
    BooleanField,
    Case,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)

from openhelp.directory.people import keyset
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
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.sql import InIds

# A trigram index serves substrings of three characters or more. A shorter search ("go", "ai") would scan
# every profile's text and match half of them ("ago", "again"); it matches the start of a word of the
# name instead (and skills by name, above), which is what someone typing two letters looks for.
SHORTEST_SUBSTRING = 3

# The probe of a text search reads at most this many ids (a person once per way they match). Fewer means
# every match is in hand: the page and the count read just those people. This many means the search is
# common ("data", "design" match a fifth of everybody): the page is read in directory order, testing each
# person, and stops once it is full, and the probe's ids alone show the count passed its cap.
PROBE_ROWS = 3000


@dataclass(frozen=True)
class TextSearch:
    """A free-text search (``?q=``): the text, and the skills it names (aliases and children included),
    worked out once for the page, its count and the cards' matched skills."""

    text: str
    skill_ids: frozenset[int]

    @classmethod
    def of(cls, text: str, *, viewer=None) -> TextSearch | None:
        text = text.strip()
        return cls(text, frozenset(search_skill_ids(text, user=viewer))) if text else None

    @property
    def is_short(self) -> bool:
        return len(self.text) < SHORTEST_SUBSTRING

    def branches(self) -> list[QuerySet]:
        """Profile ids the search matches, one branch per index that serves it (joined by UNION, each
        branch can use its own: the trigram indexes of openhelp/directory/people/migrations/0006 on
        PostgreSQL, where one OR across columns and a sub-select cannot). The skills come first: an
        index-only read, the cheapest per row, which matters when the probe stops early."""
        profiles = Profile.objects.order_by().values_list("pk", flat=True)
        offers = SkillOffer.objects.order_by().values_list("profile_id", flat=True)
        text = self.text
        found: list[QuerySet] = [offers.filter(skill_id__in=sorted(self.skill_ids))] if self.skill_ids else []
        if self.is_short:  # "go": the skill Go and names starting "Go", not every note that says "ago"
            return [
                *found,
                profiles.filter(display_name__istartswith=text),
                profiles.filter(display_name__icontains=f" {text}"),
            ]
        found += [
            profiles.filter(**{f"{column}__icontains": text})
            for column in ("display_name", "headline", "bio")
        ]
        return [*found, offers.filter(note__icontains=text)]

    def union(self) -> QuerySet:
        """Every matching profile id, once."""
        first, *others = self.branches()
        return first.union(*others) if others else first

    def condition(self) -> Q:
        """The same matches as a test of each profile: for reading in directory order and stopping
        once a page is full (the skills and notes are each read once, into a hashed set)."""
        offers = SkillOffer.objects.order_by().values("profile_id")
        text = self.text
        condition = Q(pk__in=offers.filter(skill_id__in=sorted(self.skill_ids))) if self.skill_ids else Q()
        if self.is_short:
            return condition | Q(display_name__istartswith=text) | Q(display_name__icontains=f" {text}")
        for column in ("display_name", "headline", "bio"):
            condition |= Q(**{f"{column}__icontains": text})
        return condition | Q(pk__in=offers.filter(note__icontains=text))

    def probe(self) -> tuple[list[int], bool]:
        """Up to ``PROBE_ROWS`` matching ids (UNION ALL: it streams, and stops there), and whether
        they are all of them."""
        first, *others = self.branches()
        both = first.union(*others, all=True) if others else first
        found = list(both[:PROBE_ROWS])
        return found, len(found) < PROBE_ROWS


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
    filters: DirectoryFilters, *, viewer=None, moment: dt.datetime | None = None
) -> QuerySet[Profile]:
    """The active people the filters match, unordered, each search one subquery."""
    return _narrowed(
        filters,
        search=TextSearch.of(filters.q, viewer=viewer),
        skill_ids=_skill_filter_ids(filters.skill, viewer=viewer),
        moment=moment or now(),
        probe=False,
    ).queryset


@dataclass
class Narrowed:
    """The active people the filters match (unordered), and what is known of how to read them."""

    queryset: QuerySet[Profile]
    # The text search's matches are a short list of ids: the page sorts them (``keyset``: walk=False)
    # instead of walking the name index from "A" to wherever they are.
    few: bool = False
    # Many matches: some of them with every other filter applied. If they alone pass the cap, so does
    # the whole, and the count is known without reading every match.
    sample: QuerySet[Profile] | None = None


def _narrowed(
    filters: DirectoryFilters,
    *,
    search: TextSearch | None,
    skill_ids: set[int] | None,
    moment: dt.datetime,
    probe: bool,
) -> Narrowed:
    """``probe`` reads the text search's matches first (``TextSearch.probe``) and the skill filter's
    offerers as ids when they are few (``MATERIALISE_MATCHES``): for a caller that reads a page and a
    count. Without it each search stays a subquery."""
    queryset = Profile.objects.all()
    by_ids = False  # narrowed to a list of ids (``_active_only``)
    if skill_ids is not None:
        offerers = (
            SkillOffer.objects.filter(skill_id__in=sorted(skill_ids))
            .order_by()
            .values_list("profile_id", flat=True)
        )
        narrowing = _ids_or_subquery(offerers) if probe else Q(pk__in=offerers)
        by_ids = isinstance(narrowing, InIds)
        queryset = queryset.filter(narrowing)
    if filters.open_now:
        queryset = queryset.available(moment.date())
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
    if search is None:
        return Narrowed(_active_only(queryset, by_ids=by_ids))
    if not probe:
        return Narrowed(_active_only(queryset.filter(pk__in=search.union()), by_ids=by_ids))
    found, complete = search.probe()
    if complete:
        matches = queryset.filter(InIds("id", sorted(set(found))))
        return Narrowed(_active_only(matches, by_ids=True), few=True)
    if skill_ids is not None or filters.language or filters.team or filters.tz_within_hours is not None:
        # A narrow filter besides many matches: reading in directory order could pass over most people
        # before a page is full, so the matches are read first, as ids when there are not too many.
        narrowing = _ids_or_subquery(search.union())
        by_ids = by_ids or isinstance(narrowing, InIds)
        return Narrowed(_active_only(queryset.filter(narrowing), by_ids=by_ids))
    sampled = set(found)
    sample = None
    if len(sampled) > keyset.COUNT_CAP:
        sample = _active_only(queryset.filter(InIds("id", sorted(sampled))), by_ids=True)
    return Narrowed(_active_only(queryset.filter(search.condition()), by_ids=by_ids), sample=sample)


def _active_only(queryset: QuerySet[Profile], *, by_ids: bool) -> QuerySet[Profile]:
    """Only people whose account is active. Joined to the users, which PostgreSQL walks alongside the
    profiles; but a queryset narrowed to a list of ids tests each person by the user's primary key
    (``_has_active_account``): joined, PostgreSQL would hash the whole user table to check a few
    thousand people."""
    return queryset.filter(_has_active_account()) if by_ids else queryset.filter(user__is_active=True)


def _has_active_account() -> Subquery:
    """The person's account is active, read per person by the user's primary key: the same rows as
    joining the users (``user__is_active=True``), in a form PostgreSQL cannot turn into a join."""
    account = User.objects.filter(pk=OuterRef("user_id")).order_by().values("is_active")[:1]
    return Subquery(account, output_field=BooleanField())


@dataclass
class DirectoryPage:
    """One page of the directory: the people (loaded for cards), where to read on, how many matched,
    and the skills the search matched people on (the skill filter's, those the text names)."""

    people: list[Profile]
    next_cursor: str | None
    previous_cursor: str | None
    count: CappedCount
    skill_ids: set[int] = field(default_factory=set)


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
    search = TextSearch.of(filters.q, viewer=viewer)
    skill_ids = _skill_filter_ids(filters.skill, viewer=viewer)
    narrowed = _narrowed(filters, search=search, skill_ids=skill_ids, moment=moment, probe=True)
    with_team = narrowed.queryset.select_related("team")
    walk = not narrowed.few
    if page_number is not None and page_number > 1 and not (after or before):
        rows = offset_rows(
            with_team,
            today=today,
            offset=(page_number - 1) * size,
            limit=size + 1,
            only_available=filters.open_now,
            walk=walk,
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
            walk=walk,
        )
    people = list(page.rows)
    prefetch_related_objects(people, *CARD_PREFETCHES)
    return DirectoryPage(
        people=people,
        next_cursor=page.next_key.encode() if page.next_key else None,
        previous_cursor=page.previous_key.encode() if page.previous_key else None,
        count=_count(narrowed),
        skill_ids=set(search.skill_ids if search else ()) | (skill_ids or set()),
    )


def _count(narrowed: Narrowed) -> CappedCount:
    """The capped count: from the sample when it alone passes the cap, else by counting to the cap."""
    if narrowed.sample is not None:
        count = capped_count(narrowed.sample)
        if count.capped:
            return count
    return capped_count(narrowed.queryset)


# Matches of a skill filter (or of a common search with a narrow filter) up to this many are read once and
# passed as ids (probes of the primary key); more stay a subquery. Read once, the page and its count do
# not each evaluate the subquery again.
MATERIALISE_MATCHES = 20000


def _ids_or_subquery(ids: QuerySet) -> Q | InIds:
    """The ids as one array parameter (``InIds``: Django's ``__in`` would prepare thousands one by one),
    or the subquery when there are more than ``MATERIALISE_MATCHES``."""
    found = list(ids[: MATERIALISE_MATCHES + 1])
    return Q(pk__in=ids) if len(found) > MATERIALISE_MATCHES else InIds("id", found)


def _skill_filter_ids(skill_text: str, *, viewer) -> set[int] | None:
    """The skills a typed skill filter means (None without one): the exact skill (or alias) and its
    children. Only when nothing matches exactly does it fall back to partial names, so "Java" does not
    also return everyone who offers JavaScript."""
    skill_text = skill_text.strip()
    if not skill_text:
        return None
    exact = resolve_skill(skill_text, user=viewer)
    return set(with_descendants([exact.pk])) if exact else set(search_skill_ids(skill_text, user=viewer))


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
