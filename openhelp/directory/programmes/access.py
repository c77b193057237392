"""Read-only questions about programmes: who belongs, what a person may see and join.

``member_user_ids(programme)`` is a subquery of user ids, meant for ``.filter(user_id__in=...)`` (routing
restricts an ask's candidates to the members of its programme with it).
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from openhelp.directory.programmes.models import Membership, MembershipRole, Programme


def member_user_ids(programme) -> QuerySet:
    """The ids of everyone in the programme (any role), as a lazy subquery."""
    return Membership.objects.filter(programme=programme).values("user_id")


def memberships_of(programme) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(programme=programme)
        .select_related("user__profile")
        .order_by("-role", "user__email")
    )


def membership_of(programme, user) -> Membership | None:
    if programme is None or user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(programme=programme, user_id=user.pk).first()


def is_member(programme, user) -> bool:
    return membership_of(programme, user) is not None


def is_organiser(programme, user) -> bool:
    membership = membership_of(programme, user)
    return membership is not None and membership.role == MembershipRole.ORGANISER


def programmes_of(user) -> QuerySet[Programme]:
    """The programmes this person belongs to (for "my programmes" and the scope choice on asks)."""
    return Programme.objects.of_member(user).order_by("name", "pk")


def email_domain(user) -> str:
    email = (getattr(user, "email", "") or "").strip().lower()
    return email.rpartition("@")[2] if "@" in email else ""


def joinable_by_domain(user) -> QuerySet[Programme]:
    """Programmes this person may join on their own because their e-mail domain is the allowed one."""
    domain = email_domain(user)
    if not domain or not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(allowed_email_domain__iexact=domain).exclude(memberships__user_id=user.pk)


def visible_to(user) -> QuerySet[Programme]:
    """Programmes whose page this person may open: their own, and those they may join by domain."""
    if not user.is_authenticated:
        return Programme.objects.none()
    mine = Membership.objects.filter(user_id=user.pk).values("programme_id")
    domain = email_domain(user)
    queryset = Programme.objects.filter(pk__in=mine)
    if domain:
        queryset = queryset | Programme.objects.filter(allowed_email_domain__iexact=domain)
    return queryset.distinct()


def member_counts(programmes) -> dict[int, int]:
    rows = (
        Membership.objects.filter(programme__in=programmes)
        .values("programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["programme_id"]: row["n"] for row in rows}
