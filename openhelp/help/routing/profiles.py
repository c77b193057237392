"""From the database to matching's plain types: the ask as an AskProfile, candidates as MentorProfiles.

routing.retrieval decides who may be offered an ask; this module reads what the scorer weighs about
each of them — skills and levels, profile text, past help, capacity, responsiveness, recent load,
working hours — in one query per kind of fact for the whole shortlist, never one per person.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import CharField, DateTimeField, DurationField, ExpressionWrapper, F, Value
from django.db.models.functions import Cast

from openhelp.directory.matching.types import AskProfile, MentorProfile, PastHelp, WorkingWindow
from openhelp.directory.people.capacity import sessions_used
from openhelp.directory.people.models import Language, Profile, SkillOffer
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.routing.capacity import USES_CAPACITY
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.help.routing.retrieval import EXACT, SkillPool, eligible_offers, shortlist
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.sql import InIds

PAST_HELP_WINDOW = dt.timedelta(days=365)
STATS_WINDOW = dt.timedelta(days=180)
# Automatic declines (paused, not available for a directed ask) say nothing about responsiveness.
NOT_A_CHOICE = (DeclineReason.PAUSED, DeclineReason.UNAVAILABLE)
# A completed ask is help that worked: it counts for more than one still in progress.
COMPLETED_WEIGHT = 1.5

Draft = dict[str, Any]  # MentorProfile's fields, filled in step by step


@dataclass(frozen=True)
class Candidates:
    ask: AskProfile
    mentors: list[MentorProfile]
    profile_ids: dict[int, int]  # user id → profile id, for links to people's pages


def candidates_for(ask: Ask, *, pool: SkillPool, load_window_weeks: int) -> Candidates:
    """The ask and everyone who may be offered it (with capacity left), as the scorer's plain types."""
    asker_ids = [ask.mentee_id, *ask.co_askers.values_list("pk", flat=True)]
    languages = list(Language.objects.filter(asks=ask).values_list("pk", "code"))
    mentors, profile_ids = mentor_profiles(
        pool=pool,
        language_ids=[pk for pk, _ in languages],
        asker_ids=asker_ids,
        ask_id=ask.pk,
        load_window_weeks=load_window_weeks,
    )
    profile = ask_profile(
        ask,
        pool=pool,
        language_codes=[code for _, code in languages],
        known_mentor_ids=_helpers_of(asker_ids) if mentors else set(),
    )
    return Candidates(ask=profile, mentors=mentors, profile_ids=profile_ids)


def ask_profile(ask: Ask, *, pool: SkillPool, language_codes: Iterable[str], known_mentor_ids) -> AskProfile:
    questions = " ".join(ask.preparation_questions or [])
    mentee = (
        Profile.objects.filter(user_id=ask.mentee_id)
        .values_list("timezone", "working_hours_start", "working_hours_end")
        .first()
    )
    return AskProfile(
        text=" ".join(part for part in [ask.title, ask.objective, ask.context, questions] if part),
        skill_ids=frozenset(pk for pk, relation in pool.relation.items() if relation == EXACT),
        skill_names=dict(pool.names),
        related_skill_ids=dict(pool.stands_for),
        languages=frozenset(language_codes),
        window=working_window(*mentee) if mentee else None,
        mentee_id=ask.mentee_id,
        known_mentor_ids=frozenset(known_mentor_ids),
        wants_known=ask.wants_known_mentor,
        # Who was offered this ask before, and blocks, are already excluded by retrieval in SQL.
    )


def mentor_profiles(
    *,
    pool: SkillPool,
    language_ids: list[int],
    asker_ids: list[int],
    ask_id: int | None,
    load_window_weeks: int,
) -> tuple[list[MentorProfile], dict[int, int]]:
    """Shortlisted eligible mentors with capacity left, as MentorProfiles keyed by user id."""
    rows = eligible_offers(pool=pool, language_ids=language_ids, asker_ids=asker_ids, ask_id=ask_id)
    chosen = shortlist(rows, pool=pool, rotation=ask_id or 0)
    if not chosen:
        return [], {}
    # The rules were applied while shortlisting: the detail read is by id, over the shortlist only.
    rows = SkillOffer.objects.filter(
        InIds("profile_id", chosen), skill_id__in=pool.ids, level__gte=pool.min_level
    )
    # Working hours come back as text and are parsed once per distinct value (cheaper per row).
    columns = rows.order_by().annotate(
        start_text=Cast("profile__working_hours_start", CharField()),
        end_text=Cast("profile__working_hours_end", CharField()),
    )
    # MentorProfile is frozen (the scorer caches per object), so facts gather in plain dicts first.
    by_profile: dict[int, Draft] = {}
    notes: dict[int, list[str]] = defaultdict(list)
    # Most people share a handful of zones and hours: each distinct window is built once per call.
    windows: dict[tuple[str, str, str], WorkingWindow] = {}
    for values in columns.values_list(
        "profile_id",
        "skill_id",
        "level",
        "note",
        "profile__user_id",
        "profile__display_name",
        "profile__headline",
        "profile__bio",
        "profile__timezone",
        "start_text",
        "end_text",
        "profile__sessions_per_week",
    ):
        profile_id, skill_id, level, note = values[:4]
        draft = by_profile.get(profile_id)
        if draft is None:
            user_id, name, headline, bio, tz, start, end, limit = values[4:]
            draft = by_profile[profile_id] = {
                "id": user_id,
                "name": name,
                "skills": {},
                "skill_names": {},
                "profile_text": f"{headline}\n{bio}",
                "capacity_total": limit,
                "window": windows.get((tz, start, end))
                or windows.setdefault((tz, start, end), working_window(tz, _time(start), _time(end))),
            }
        draft["skills"][skill_id] = level
        draft["skill_names"][skill_id] = pool.names.get(skill_id, "")
        if note:
            notes[profile_id].append(note)
    _add_capacity(by_profile)
    for profile_id, draft in by_profile.items():
        if notes[profile_id]:
            draft["profile_text"] += "\n" + "\n".join(notes[profile_id])
    by_user = {draft["id"]: draft for draft in by_profile.values()}
    if by_user:
        _add_languages(by_profile, language_ids)
        _add_responsiveness(by_user)
        _add_help_given(by_user, weeks=load_window_weeks)
    profile_ids = {draft["id"]: profile_id for profile_id, draft in by_profile.items()}
    return [MentorProfile(**draft) for draft in by_user.values()], profile_ids


@lru_cache(maxsize=512)
def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@lru_cache(maxsize=1024)
def _utc_offset_minutes(tz_name: str, day: dt.date) -> int:
    try:
        zone = ZoneInfo(tz_name)
    except (KeyError, ValueError):
        return 0
    offset = dt.datetime.combine(day, dt.time(12), tzinfo=zone).utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() // 60)


def working_window(tz_name: str, start: dt.time, end: dt.time) -> WorkingWindow:
    """A working day with today's offset of the person's zone (daylight saving included)."""
    return WorkingWindow(
        start_minute=start.hour * 60 + start.minute,
        end_minute=end.hour * 60 + end.minute,
        utc_offset_minutes=_utc_offset_minutes(tz_name, now().date()),
    )


def _add_capacity(by_profile: dict[int, Draft]) -> None:
    """Sessions used this week from every registered capacity source; those with none left drop out."""
    limited = [pk for pk, draft in by_profile.items() if draft["capacity_total"] is not None]
    used = sessions_used(limited) if limited else {}
    for profile_id in limited:
        draft = by_profile[profile_id]
        draft["capacity_used"] = used.get(profile_id, 0)
        if draft["capacity_used"] >= draft["capacity_total"]:
            del by_profile[profile_id]


def _add_languages(by_profile: dict[int, Draft], language_ids: list[int]) -> None:
    if not language_ids:
        return
    spoken: dict[int, set[str]] = defaultdict(set)
    rows = Profile.languages.through.objects.filter(
        InIds("profile_id", by_profile), language_id__in=language_ids
    )
    for profile_id, code in rows.values_list("profile_id", "language__code"):
        spoken[profile_id].add(code)
    for profile_id, draft in by_profile.items():
        draft["languages"] = frozenset(spoken[profile_id])


def _add_responsiveness(by_user: dict[int, Draft]) -> None:
    """Offers answered (or left to expire) and accepted, and the median hours to answer, last half year.

    The time to answer is subtracted in SQL (an exact interval, as the subtraction in Python would give):
    decoding one interval costs a fraction of decoding two timestamps with their zones, which was most
    of this step's time for a few hundred mentors."""
    answered = (
        Offer.objects.filter(
            InIds("mentor_id", by_user),
            created_at__gte=now() - STATS_WINDOW,
            state__in=[OfferState.ACCEPTED, OfferState.DECLINED, OfferState.EXPIRED],
        )
        .exclude(decline_reason__in=NOT_A_CHOICE)
        .order_by()
        .annotate(waited=_between("created_at", F("responded_at")))
        .values_list("mentor_id", "state", "waited")
    )
    hours: dict[int, list[float]] = defaultdict(list)
    for mentor_id, state, waited in answered:
        draft = by_user[mentor_id]
        draft["offers_received"] = draft.get("offers_received", 0) + 1
        draft["offers_accepted"] = draft.get("offers_accepted", 0) + (state == OfferState.ACCEPTED)
        if waited is not None:
            hours[mentor_id].append(max(waited.total_seconds(), 0) / 3600)
    for mentor_id, values in hours.items():
        by_user[mentor_id]["median_response_hours"] = statistics.median(values)


def _add_help_given(by_user: dict[int, Draft], *, weeks: int) -> None:
    """What each mentor took on, in one query: the asks over the load window (the fair-spread signal
    compares it with what they offer) and the asks helped with over the last year (title, objective,
    skills, age), which say what they know. Ages are subtracted in SQL (see ``_add_responsiveness``)."""
    moment = now()
    recent = dt.timedelta(weeks=weeks)
    rows = (
        Ask.objects.filter(
            InIds("helper_id", by_user),
            state__in=USES_CAPACITY,
            accepted_at__gte=moment - max(recent, PAST_HELP_WINDOW),
        )
        .order_by()
        .annotate(age=_between("accepted_at", Value(moment, output_field=DateTimeField())))
        .values_list("pk", "helper_id", "title", "objective", "state", "age", "mentee_id", "skills__id")
    )
    past: dict[int, list[PastHelp]] = defaultdict(list)
    for pk, (helper_id, title, objective, state, age, mentee_id), skill_ids in asks_in_order(rows):
        if age <= recent:  # accepted at or after the start of the load window
            draft = by_user[helper_id]
            draft["recent_sessions"] = draft.get("recent_sessions", 0) + 1
        if age <= PAST_HELP_WINDOW:
            past[helper_id].append(
                PastHelp(
                    title=title,
                    text=f"{title}. {objective}",
                    skill_ids=skill_ids,
                    age_days=max(age.total_seconds(), 0) / 86400,
                    weight=COMPLETED_WEIGHT if state == AskState.COMPLETED else 1.0,
                    mentee_id=mentee_id,
                    ask_id=pk,
                )
            )
    for helper_id, items in past.items():
        by_user[helper_id]["past_help"] = tuple(items)


def asks_in_order(rows: Iterable[tuple]) -> list[tuple[int, tuple, frozenset[int]]]:
    """Rows of ``(pk, *fields, skill_id)``, one per skill of each ask, as ``(pk, fields, skill ids)`` in
    ask order, whatever order the database returned them in: a reason that names one of two equally
    similar past asks then names the same one every time."""
    fields_of: dict[int, tuple] = {}
    skills: dict[int, set[int]] = defaultdict(set)
    for pk, *fields, skill_id in rows:
        fields_of.setdefault(pk, tuple(fields))
        if skill_id is not None:
            skills[pk].add(skill_id)
    return [(pk, fields_of[pk], frozenset(skills[pk])) for pk in sorted(fields_of)]


def _between(since: str, until: F | Value) -> ExpressionWrapper:
    """``until - since`` as a duration computed by the database, exact to the microsecond."""
    return ExpressionWrapper(until - F(since), output_field=DurationField())


def _helpers_of(asker_ids: list[int]) -> set[int]:
    """Everyone who has helped one of the askers before (for 'fresh perspective' or 'someone I know')."""
    helpers = Ask.objects.filter(mentee_id__in=asker_ids, state__in=USES_CAPACITY, helper__isnull=False)
    return set(helpers.order_by().values_list("helper_id", flat=True).distinct())
