"""Workflows on profiles: creating them, editing them, 'open to help' and learning goals.

Web forms and API serializers validate input for a friendly message next to the field; these functions
validate again with the same rules (people.validators and the model), because they are the one door
every change goes through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from openhelp.directory.people.models import Language, Profile, SkillOffer, SkillWanted, Team
from openhelp.directory.people.validators import (
    duplicate_positions,
    duplicate_skill_error,
    validate_level,
    validate_pause_until,
)
from openhelp.directory.skills.models import Skill
from openhelp.platform.outbox.events import record

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

EDITABLE_PROFILE_FIELDS = frozenset(
    {
        "display_name",
        "headline",
        "bio",
        "team",
        "location",
        "timezone",
        "avatar_initials",
        "avatar_colour",
        "meeting_link",
        "working_hours_start",
        "working_hours_end",
        "open_to_help",
        "formats",
        "sessions_per_week",
        "minutes_per_week",
        "paused_until",
    }
)


@dataclass(frozen=True)
class OfferedSkill:
    skill: Skill
    level: int
    note: str = ""


@dataclass(frozen=True)
class WantedSkill:
    skill: Skill
    note: str = ""


@transaction.atomic
def create_profile(*, user: User, display_name: str, timezone: str = "UTC") -> Profile:
    """Every user has exactly one profile; calling this twice returns the existing one."""
    profile, _ = Profile.objects.get_or_create(
        user=user,
        defaults={"display_name": display_name.strip() or user.email.split("@")[0], "timezone": timezone},
    )
    return profile


def profile_for(user: User) -> Profile:
    """The user's own profile, created on first use (e.g. for a superuser made on the command line)."""
    profile = Profile.objects.filter(user=user).select_related("team").first()
    return profile or create_profile(user=user, display_name=user.email.split("@")[0])


@transaction.atomic
def update_profile(
    *, profile: Profile, languages: Iterable[Language] | None = None, **fields: Any
) -> Profile:
    """Change the given profile fields (and, when passed, the languages); all or nothing."""
    unknown = set(fields) - EDITABLE_PROFILE_FIELDS
    if unknown:
        raise TypeError(f"Not editable profile fields: {', '.join(sorted(unknown))}")
    _lock(profile)
    if "paused_until" in fields:
        try:
            validate_pause_until(fields["paused_until"], current=profile.paused_until)
        except ValidationError as error:
            raise ValidationError({"paused_until": error.error_list}) from error
    if "formats" in fields:
        fields["formats"] = list(dict.fromkeys(fields["formats"]))
    previous_team = profile.team_id
    if "team" in fields:  # what the database holds, whatever the caller's object says
        previous_team = Profile.objects.filter(pk=profile.pk).values_list("team_id", flat=True).first()
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user"], validate_unique=False)
    profile.save()
    record_team_change(profile=profile, previous_team=previous_team)
    if languages is not None:
        profile.languages.set(languages)
    return profile


def delete_teams(*, teams: Iterable[Team], actor: User | None = None) -> int:
    """Delete teams (the admin). Their people move to "no team" by SET NULL, which writes no event of its
    own: each ``team.deleted`` event names the people who were in the team."""
    deleted = 0
    with transaction.atomic():
        for team in teams:
            members = sorted(Profile.objects.filter(team=team).values_list("user_id", flat=True))
            record("team.deleted", actor=actor, team=team.pk, members=members)
            team.delete()
            deleted += 1
    return deleted


def record_team_change(*, profile: Profile, previous_team: int | None, actor: User | None = None) -> None:
    """For a profile saved outside ``update_profile`` (the admin), in its transaction."""
    if profile.team_id != previous_team:
        record(
            "profile.team_changed",
            actor=actor,
            person=profile.user_id,
            team=profile.team_id,
            previous_team=previous_team,
        )


@transaction.atomic
def update_open_to_help(
    *,
    profile: Profile,
    open_to_help: bool,
    formats: Sequence[str],
    sessions_per_week: int | None,
    minutes_per_week: int | None,
    paused_until: dt.date | None,
    skills_offered: Sequence[OfferedSkill] | None,
) -> Profile:
    """Save the whole 'open to help' page at once: the switch, formats, capacity, pause and skills.

    ``skills_offered=None`` leaves the skills as they are (the API changes them separately).
    """
    update_profile(
        profile=profile,
        open_to_help=open_to_help,
        formats=formats,
        sessions_per_week=sessions_per_week,
        minutes_per_week=minutes_per_week,
        paused_until=paused_until,
    )
    if skills_offered is not None:
        _replace_offers(profile, skills_offered)
    return profile


@transaction.atomic
def replace_skills_offered(*, profile: Profile, skills_offered: Sequence[OfferedSkill]) -> list[SkillOffer]:
    """Make the profile's offered skills exactly this list (kept rows keep their ids)."""
    _lock(profile)
    return _replace_offers(profile, skills_offered)


@transaction.atomic
def replace_skills_wanted(*, profile: Profile, skills_wanted: Sequence[WantedSkill]) -> list[SkillWanted]:
    """Make the profile's learning goals exactly this list."""
    _lock(profile)
    _check_unique("skills_wanted", [item.skill for item in skills_wanted])
    existing = {row.skill_id: row for row in profile.skills_wanted.all()}
    profile.skills_wanted.exclude(skill_id__in=[item.skill.pk for item in skills_wanted]).delete()
    to_create, to_update = [], []
    for item in skills_wanted:
        row = existing.get(item.skill.pk)
        if row is None:
            to_create.append(SkillWanted(profile=profile, skill=item.skill, note=item.note))
        elif row.note != item.note:
            row.note = item.note
            to_update.append(row)
    SkillWanted.objects.bulk_create(to_create)
    SkillWanted.objects.bulk_update(to_update, ["note"])
    return list(profile.skills_wanted.select_related("skill"))


def _lock(profile: Profile) -> None:
    # Two saves of the same page at once would both try to insert the same skill row; the row lock
    # queues the second behind the first instead of failing on the unique constraint.
    Profile.objects.select_for_update().filter(pk=profile.pk).values_list("pk").first()


def _check_unique(field: str, skills: list[Skill]) -> None:
    repeats = duplicate_positions(skills)
    if repeats:
        raise ValidationError({field: [duplicate_skill_error(skill.name) for skill in repeats.values()]})


def _replace_offers(profile: Profile, skills_offered: Sequence[OfferedSkill]) -> list[SkillOffer]:
    _check_unique("skills_offered", [item.skill for item in skills_offered])
    for item in skills_offered:
        try:
            validate_level(item.level)
        except ValidationError as error:
            raise ValidationError({"skills_offered": error.messages}) from error
    existing = {row.skill_id: row for row in profile.skills_offered.all()}
    profile.skills_offered.exclude(skill_id__in=[item.skill.pk for item in skills_offered]).delete()
    to_create, to_update = [], []
    for item in skills_offered:
        row = existing.get(item.skill.pk)
        if row is None:
            to_create.append(SkillOffer(profile=profile, skill=item.skill, level=item.level, note=item.note))
        elif (row.level, row.note) != (item.level, item.note):
            row.level, row.note = item.level, item.note
            to_update.append(row)
    SkillOffer.objects.bulk_create(to_create)
    SkillOffer.objects.bulk_update(to_update, ["level", "note"])
    return list(profile.skills_offered.select_related("skill"))
