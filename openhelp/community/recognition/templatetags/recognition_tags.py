"""Template tags for the recognition pieces other apps' pages include (profile, session page)."""

from __future__ import annotations

from django import template

from openhelp.community.recognition import services

register = template.Library()


@register.simple_tag(takes_context=True)
def given_summary(context, profile_user) -> services.GivenSummary | None:
    """``{% given_summary profile_user as given %}``: what this person has given, as the viewer may see it."""
    request = context.get("request")
    if profile_user is None or request is None:
        return None
    return services.given_summary(user=profile_user, viewer=request.user)


@register.simple_tag
def demonstrated(profile_user, limit: int = 20) -> list:
    """``{% demonstrated profile_user as endorsements %}``: the skills this person was endorsed for."""
    if profile_user is None:
        return []
    return list(services.demonstrated_skills(user=profile_user)[:limit])
