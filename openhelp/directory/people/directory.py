"""The people directory's query: one function shared by the web page and the API.

``search_profiles`` turns a ``DirectoryFilters`` into a queryset that is ordered (people open to help
right now first), de-duplicated without DISTINCT (every join is a ``pk__in`` subquery) and loaded with
everything a person card shows, so a page of 25 or of 500 people costs the same number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When

from openhelp.directory.people.models import Format, Profile, SkillOffer
from openhelp.directory.skills.services import resolve_skill, search_skill_ids, with_descendants
from openhelp.platform.lib.clock import now


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


def for_cards(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """What ``people/_person_card.html`` reads, loaded in two extra queries for any number of people."""
    return queryset.select_related("team").prefetch_related(
        Prefetch("skills_offered", queryset=SkillOffer.objects.select_related("skill")),
        "languages",
    )


def search_profiles(
    filters: DirectoryFilters, *, viewer=None, moment: dt.datetime | None = None
) -> QuerySet[Profile]:
    moment = moment or now()
    today = moment.date()
    queryset = Profile.objects.filter(user__is_active=True)

    text = filters.q.strip()
    if text:
        offers = Q(note__icontains=text)
        skill_ids = search_skill_ids(text, user=viewer)
        if skill_ids:
            offers |= Q(skill_id__in=skill_ids)
        # One branch per indexed column, joined by UNION: each branch can use its own trigram index on
        # PostgreSQL (openhelp/directory/people/migrations/0006), where one OR across columns and a sub-select cannot.
        matching = [
            Profile.objects.filter(**{f"{column}__icontains": text}).order_by().values("pk")
            for column in ("display_name", "headline", "bio")
        ]
        matching.append(SkillOffer.objects.filter(offers).order_by().values("profile_id"))
        queryset = queryset.filter(pk__in=matching[0].union(*matching[1:]))
    if filters.skill.strip():
        queryset = queryset.filter(pk__in=_offerers_of(filters.skill, viewer=viewer))
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

    available = Q(open_to_help=True) & (Q(paused_until__isnull=True) | Q(paused_until__lte=today))
    queryset = queryset.annotate(
        available_now=Case(
            When(available, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    ).order_by("-available_now", "display_name", "pk")
    return for_cards(queryset)


def _skill_filter_ids(skill_text: str, *, viewer) -> set[int]:
    """The skills a typed skill filter means: the exact skill (or alias) and its children.

    Only when nothing matches exactly does it fall back to partial names, so "Java" does not also
    return everyone who offers JavaScript.
    """
    exact = resolve_skill(skill_text, user=viewer)
    return set(with_descendants([exact.pk])) if exact else set(search_skill_ids(skill_text, user=viewer))


def _offerers_of(skill_text: str, *, viewer):
    """Profile ids offering the skill a person typed (``_skill_filter_ids``)."""
    return SkillOffer.objects.filter(skill_id__in=_skill_filter_ids(skill_text, viewer=viewer)).values(
        "profile_id"
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
