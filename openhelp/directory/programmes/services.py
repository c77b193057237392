"""Programme workflows: create and edit (organisers), invite links, joining and leaving, managing members.

Every workflow takes keyword-only arguments and runs in one transaction. Bad input raises ValidationError
with a message per field; acting on a programme one does not organise raises Http404-worthy
``NotOrganiser`` (the views and API answer 404 so a programme's existence does not leak).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from openhelp.directory.programmes import access, rules
from openhelp.directory.programmes.models import Membership, MembershipRole, Programme, new_invite_token
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.services import notify
from openhelp.platform.outbox.events import record, record_many

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from openhelp.platform.accounts.models import User

MAX_NAME = 120
MAX_DESCRIPTION = 5000
MAX_CODE_OF_CONDUCT = 10000
MAX_FOCUS_SKILLS = 10
MAX_EMAILS = 500
RULE_FIELDS = (
    "response_hours_today",
    "response_hours_this_week",
    "response_hours_flexible",
    "offers_per_round",
    "late_cancel_hours",
    "no_show_max",
    "no_show_window_days",
)
PROGRAMME_FIELDS = frozenset(
    {
        "name",
        "description",
        "focus_skills",
        "code_of_conduct",
        "allowed_email_domain",
        "matching_weights",
        *RULE_FIELDS,
    }
)
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
EMAIL_SPLIT = re.compile(r"[\s,;]+")
# Path segments under /programmes/ that a slug must never shadow.
RESERVED_SLUGS = frozenset({"new", "join"})


class NotOrganiser(PermissionDenied):
    """The actor does not organise this programme (answered as a 404)."""


# --- Validation --------------------------------------------------------------------------------------


def clean_programme_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise the fields present in ``data``; one ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    _clean_texts(errors, data, cleaned)
    if "focus_skills" in data:
        skills = list({skill.pk: skill for skill in data["focus_skills"] or []}.values())
        if len(skills) > MAX_FOCUS_SKILLS:
            errors["focus_skills"] = [f"Choose at most {MAX_FOCUS_SKILLS} focus skills."]
        cleaned["focus_skills"] = skills
    if "matching_weights" in data:
        try:
            cleaned["matching_weights"] = rules.clean_matching_weights(data["matching_weights"])
        except ValidationError as error:
            errors.update(error.message_dict)
    for name in RULE_FIELDS:
        if name in data:
            _clean_rule(errors, name, data[name], cleaned)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_texts(errors: dict[str, list[str]], data: dict[str, Any], cleaned: dict[str, Any]) -> None:
    if "name" in data:
        name = " ".join((data["name"] or "").split())
        if not name:
            errors["name"] = ["Give the programme a name."]
        elif len(name) > MAX_NAME:
            errors["name"] = [f"Keep the name under {MAX_NAME} characters."]
        cleaned["name"] = name
    for name, limit in (("description", MAX_DESCRIPTION), ("code_of_conduct", MAX_CODE_OF_CONDUCT)):
        if name in data:
            text = (data[name] or "").strip()
            if len(text) > limit:
                errors[name] = [f"Keep it under {limit} characters."]
            cleaned[name] = text
    if "allowed_email_domain" in data:
        domain = (data["allowed_email_domain"] or "").strip().lower().lstrip("@")
        if domain and not DOMAIN.match(domain):
            errors["allowed_email_domain"] = [
                "Enter a domain like example.org (without the @), or leave it empty."
            ]
        cleaned["allowed_email_domain"] = domain


def _clean_rule(errors: dict[str, list[str]], name: str, value: Any, cleaned: dict[str, Any]) -> None:
    """A whole number within the model's bounds, or empty for the site default."""
    if value in ("", None):
        cleaned[name] = None
        return
    try:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(value)
        number = int(value)
        if number < 0:
            raise ValidationError("Must be zero or more.")
        cast("models.Field[Any, Any]", Programme._meta.get_field(name)).run_validators(number)
    except (TypeError, ValueError):
        errors[name] = ["Enter a whole number, or leave it empty for the site default."]
    except ValidationError as error:
        errors[name] = error.messages
    else:
        cleaned[name] = number


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = Programme.slug_base(name)
    if base in RESERVED_SLUGS:
        base = f"{base}-programme"
    taken = set(
        Programme.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)  # type: ignore[misc]  # pk=None excludes nothing
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _require_organiser(programme: Programme, actor: User) -> None:
    if not access.is_organiser(programme, actor):
        raise NotOrganiser("Only this programme's organisers can do that.")


def can_create(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and getattr(user, "is_organiser", False))


# --- Create and edit ---------------------------------------------------------------------------------


@transaction.atomic
def create_programme(*, actor: User, **fields: Any) -> Programme:
    """A site organiser creates a programme and becomes its first organiser."""
    if not can_create(actor):
        raise PermissionDenied("Only organisers can create programmes.")
    unknown = set(fields) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"create_programme() got unexpected fields {sorted(unknown)}")
    fields.setdefault("name", None)
    cleaned = clean_programme_fields(fields)
    skills = cleaned.pop("focus_skills", [])
    moment = now()
    programme = Programme.objects.create(
        slug=_unique_slug(cleaned["name"]), created_by=actor, created_at=moment, updated_at=moment, **cleaned
    )
    programme.focus_skills.set(skills)
    Membership.objects.create(
        programme=programme,
        user=actor,
        role=MembershipRole.ORGANISER,
        joined_at=moment,
        accepted_code_of_conduct_at=moment,
    )
    record("member.added", actor=actor, programme=programme.pk, person=actor.pk)
    return programme


@transaction.atomic
def update_programme(*, programme: Programme, actor: User, **changes: Any) -> Programme:
    """Change the description, members' rules or anything else; only the programme's organisers may."""
    _require_organiser(programme, actor)
    unknown = set(changes) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"update_programme() got unexpected fields {sorted(unknown)}")
    cleaned = clean_programme_fields(changes)
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if "focus_skills" in cleaned:
        locked.focus_skills.set(cleaned.pop("focus_skills"))
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.updated_at = now()
    locked.save()
    return locked


@transaction.atomic
def rotate_invite(*, programme: Programme, actor: User) -> Programme:
    """A new invite link; the old one stops working."""
    _require_organiser(programme, actor)
    programme.invite_token = new_invite_token()
    programme.updated_at = now()
    programme.save(update_fields=["invite_token", "updated_at"])
    return programme


# --- Joining and leaving -----------------------------------------------------------------------------


def programme_for_token(token: str) -> Programme | None:
    token = (token or "").strip()
    if not token:
        return None
    return Programme.objects.filter(invite_token=token).first()


def can_self_join(programme: Programme, user: User) -> bool:
    domain = (programme.allowed_email_domain or "").lower()
    return bool(domain) and access.email_domain(user) == domain


@transaction.atomic
def join(*, programme: Programme, user: User, accept_code_of_conduct: bool, token: str = "") -> Membership:
    """Join with the programme's invite token, or without one when one's e-mail domain is the allowed one.

    The code of conduct must be accepted (when the programme has one). Joining twice is harmless.
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to join a programme.")
    existing = access.membership_of(programme, user)
    if existing is not None:
        return existing
    errors: dict[str, list[str]] = {}
    if token:
        if token != programme.invite_token:
            errors["token"] = ["This invite link is not valid any more. Ask an organiser for a new one."]
    elif not can_self_join(programme, user):
        errors["token"] = [
            "You need an invite link to join this programme"
            + (
                f" (or an e-mail address at {programme.allowed_email_domain})."
                if programme.allowed_email_domain
                else "."
            )
        ]
    if programme.code_of_conduct and not accept_code_of_conduct:
        errors["accept_code_of_conduct"] = ["Read and accept the code of conduct to join."]
    if errors:
        raise ValidationError(errors)
    moment = now()
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                programme=programme,
                user=user,
                role=MembershipRole.MEMBER,
                joined_at=moment,
                accepted_code_of_conduct_at=moment,
            )
            record("member.added", actor=user, programme=programme.pk, person=user.pk)
            return membership
    except IntegrityError:  # joined twice at once
        return Membership.objects.get(programme=programme, user=user)


@transaction.atomic
def join_with_token(*, token: str, user: User, accept_code_of_conduct: bool) -> Membership:
    programme = programme_for_token(token)
    if programme is None:
        raise ValidationError(
            {"token": ["This invite link is not valid any more. Ask an organiser for a new one."]}
        )
    return join(programme=programme, user=user, token=token, accept_code_of_conduct=accept_code_of_conduct)


@transaction.atomic
def accept_code_of_conduct(*, programme: Programme, user: User) -> Membership:
    """A member added by an organiser accepts the code of conduct on their first visit."""
    membership = access.membership_of(programme, user)
    if membership is None:
        raise PermissionDenied("You are not a member of this programme.")
    if membership.accepted_code_of_conduct_at is None:
        membership.accepted_code_of_conduct_at = now()
        membership.save(update_fields=["accepted_code_of_conduct_at"])
    return membership


def _other_organisers(programme: Programme, user_id: int) -> bool:
    return (
        Membership.objects.filter(programme=programme, role=MembershipRole.ORGANISER)
        .exclude(user_id=user_id)
        .exists()
    )


@transaction.atomic
def leave(*, programme: Programme, user: User) -> None:
    """Leave a programme. The last organiser must hand over first, so a programme is never orphaned."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    membership = access.membership_of(programme, user)
    if membership is None:
        return
    if membership.role == MembershipRole.ORGANISER and not _other_organisers(programme, user.pk):
        raise ValidationError("You are the only organiser: make someone else an organiser before you leave.")
    membership.delete()
    record("member.removed", actor=user, programme=programme.pk, person=user.pk)


# --- Managing members (organisers) -------------------------------------------------------------------


@dataclass
class AddResult:
    added: list[User] = field(default_factory=list)
    already: list[User] = field(default_factory=list)
    promoted: list[User] = field(default_factory=list)


def _clean_role(role: str) -> str:
    if role not in MembershipRole.values:
        raise ValidationError({"role": ["Choose member or organiser."]})
    return role


@transaction.atomic
def add_members(
    *, programme: Programme, users: Iterable[User], role: str = MembershipRole.MEMBER, actor: User
) -> AddResult:
    """Add existing people (e.g. the users of a CSV import) to the programme; each is told.

    People already in it keep their membership; with ``role="organiser"`` a member becomes an organiser.
    """
    _require_organiser(programme, actor)
    role = _clean_role(role)
    people = {user.pk: user for user in users if user is not None}
    existing = {
        m.user_id: m
        for m in Membership.objects.select_for_update().filter(programme=programme, user_id__in=people)
    }
    result = AddResult()
    moment = now()
    new_rows = []
    for pk, user in people.items():
        membership = existing.get(pk)
        if membership is None:
            new_rows.append(Membership(programme=programme, user=user, role=role, joined_at=moment))
            result.added.append(user)
        elif role == MembershipRole.ORGANISER and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
            result.promoted.append(user)
        else:
            result.already.append(user)
    Membership.objects.bulk_create(new_rows, ignore_conflicts=True)
    record_many(
        "member.added", ({"programme": programme.pk, "person": row.user_id} for row in new_rows), actor=actor
    )
    if result.added:
        _tell_added(programme, result.added, actor=actor)
    return result


def _tell_added(programme: Programme, users: list[User], *, actor: User) -> None:
    notify(
        event="programme.added",
        recipients=users,
        title=f"{actor.display_name} added you to “{programme.name}”",
        body="Open the programme to read its code of conduct and see who else is in it.",
        url=programme.get_absolute_url(),
        context={"programme_id": programme.pk},
        dedupe_key=f"programme:{programme.pk}:added",
    )


def users_for_emails(text: str) -> list[User]:
    """Existing, active people for a list of e-mail addresses; unknown ones are a clear error."""
    emails = list(dict.fromkeys(e.lower() for e in EMAIL_SPLIT.split(text or "") if e))
    if not emails:
        raise ValidationError({"emails": ["Enter at least one e-mail address."]})
    if len(emails) > MAX_EMAILS:
        raise ValidationError({"emails": [f"Add at most {MAX_EMAILS} people at a time."]})
    found = {
        u.email.lower(): u
        for u in get_user_model().objects.filter(email__in=emails, is_active=True).select_related("profile")
    }
    unknown = [e for e in emails if e not in found]
    if unknown:
        raise ValidationError(
            {"emails": [f"Nobody with the address {', '.join(unknown)} is on the platform yet."]}
        )
    return [found[e] for e in emails]


def add_members_by_email(
    *, programme: Programme, emails: str, role: str = MembershipRole.MEMBER, actor: User
) -> AddResult:
    _require_organiser(programme, actor)
    return add_members(programme=programme, users=users_for_emails(emails), role=role, actor=actor)


@transaction.atomic
def set_role(*, programme: Programme, user: User, role: str, actor: User) -> Membership:
    _require_organiser(programme, actor)
    role = _clean_role(role)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    membership = Membership.objects.filter(programme=programme, user=user).first()
    if membership is None:
        raise ValidationError("This person is not in the programme.")
    if (
        role == MembershipRole.MEMBER
        and membership.is_organiser
        and not _other_organisers(programme, user.pk)
    ):
        raise ValidationError("A programme needs at least one organiser.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, programme: Programme, user: User, actor: User) -> None:
    _require_organiser(programme, actor)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    membership = Membership.objects.filter(programme=programme, user=user).first()
    if membership is None:
        return
    if membership.is_organiser and not _other_organisers(programme, user.pk):
        raise ValidationError("A programme needs at least one organiser.")
    membership.delete()
    record("member.removed", actor=actor, programme=programme.pk, person=user.pk)


# --- Scoping asks and office hours -------------------------------------------------------------------


def check_scope(*, programme: Programme | None, user: User, field_name: str = "programme") -> None:
    """An ask or office hours may only be scoped to a programme its author belongs to."""
    if programme is not None and not access.is_member(programme, user):
        raise ValidationError({field_name: ["Choose one of your own programmes."]})
