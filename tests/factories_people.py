"""Bulk builders for people: hundreds of profiles in a handful of queries, for the query-count guard."""

from __future__ import annotations

import itertools

from openhelp.directory.people.models import Format, Language, Profile, SkillOffer, SkillWanted
from openhelp.platform.accounts.models import User

_counter = itertools.count()


def make_people(n: int, *, skills=(), languages=(), team=None, open_to_help=True) -> list[Profile]:
    """``n`` active users with profiles, each offering and wanting every given skill and speaking every language."""
    batch = next(_counter)
    users = User.objects.bulk_create(
        [User(email=f"bulk{batch}-{i}@example.org", password="!") for i in range(n)]  # noqa: S106
    )
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                display_name=f"Bulk {batch}-{i}",
                headline="Happy to help",
                timezone="Europe/Berlin",
                team=team,
                open_to_help=open_to_help,
                formats=[Format.CALL_30.value],
                sessions_per_week=3,
            )
            for i, user in enumerate(users)
        ]
    )
    SkillOffer.objects.bulk_create(
        [SkillOffer(profile=p, skill=s, level=1 + (i % 5)) for p in profiles for i, s in enumerate(skills)]
    )
    SkillWanted.objects.bulk_create([SkillWanted(profile=p, skill=s) for p in profiles for s in skills])
    through = Profile.languages.through
    through.objects.bulk_create([through(profile=p, language=lang) for p in profiles for lang in languages])
    return profiles


def language(code: str) -> Language:
    """A seeded language (the data migration adds ~45 of them)."""
    return Language.objects.get(code=code)
