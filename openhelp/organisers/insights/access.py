"""Who may read insights: organisers (everything) and programme organisers (their programmes only).
Everyone else gets a 404, for pages and data alike, so insights do not even admit they exist."""

from __future__ import annotations

from django.http import Http404

from openhelp.directory.programmes.models import Programme


def organised_programmes(user):

    if user.is_organiser:
        return Programme.objects.order_by("name")
    return Programme.objects.organised_by(user).order_by("name")


def resolve_programme(user, programme_id: int | None) -> int | None:
    """The programme this person may view (None = the whole organisation), or Http404."""
    if not user.is_authenticated:
        raise Http404
    if user.is_organiser:
        return programme_id
    allowed = list(organised_programmes(user).values_list("pk", flat=True)[:200])
    if not allowed:
        raise Http404
    if programme_id is None:
        return allowed[0]
    if programme_id not in allowed:
        raise Http404
    return programme_id


def may_view(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_organiser or organised_programmes(user).exists()
