"""Workflows on profiles: creating them, switching 'open to help', editing skills."""

from __future__ import annotations

from django.db import transaction

from people.models import Profile


@transaction.atomic
def create_profile(*, user, display_name: str, timezone: str = "UTC") -> Profile:
    """Every user has exactly one profile; calling this twice returns the existing one."""
    profile, _ = Profile.objects.get_or_create(
        user=user,
        defaults={"display_name": display_name.strip() or user.email.split("@")[0], "timezone": timezone},
    )
    return profile
