"""Template tags for the moments pieces shown on profile pages."""

from __future__ import annotations

from django import template

from openhelp.community.moments import services

register = template.Library()
SHOWN_ON_PROFILE = 3


@register.simple_tag
def shared_moments(profile_user) -> dict:
    """``{% shared_moments profile_user as shared %}``: {"count", "latest"} of this person's public moments."""
    if profile_user is None:
        return {"count": 0, "latest": []}
    moments = services.public_moments_of(user=profile_user)
    latest = list(moments[:SHOWN_ON_PROFILE])
    # fewer than a full list: that is all of them, no need to count
    count = moments.count() if len(latest) == SHOWN_ON_PROFILE else len(latest)
    return {"count": count, "latest": latest}
