"""Provisioning workflows: the company directory creates, changes, deactivates and brings back people,
and keeps teams and their members in step. Each change records its domain event in its own transaction.

Deactivation keeps everything the person did (sessions, kudos, the library) and releases what others
were waiting on, as deleting an account does (``accounts.services.delete_account``): upcoming bookings
are cancelled and the other side told, their open asks are cancelled politely, pending offers to them
move on to other experts. Those releases run after the deactivation commits, each in its own
transaction (bookings take people's locks in a durable transaction), and the account is inactive first,
so nothing new reaches the person meanwhile."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from openhelp.directory.people.models import Profile, Team
from openhelp.directory.people.services import create_profile, delete_teams, record_team_change
from openhelp.help.asks.models import Ask, AskState
from openhelp.help.asks.services import HANDED_BACK, cancel_ask, hand_back
from openhelp.help.officehours.changes import cancel_booking
from openhelp.help.officehours.errors import NotChangeable
from openhelp.help.officehours.models import Booking
from openhelp.help.routing.services import pass_on_offers
from openhelp.organisers.provisioning.models import ProvisionedPerson, ProvisionedTeam
from openhelp.organisers.provisioning.resources import UNSET, PersonData, TeamData, Unset, invalid_value
from openhelp.organisers.provisioning.scim import ScimError
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.numbers import id_from_text
from openhelp.platform.outbox.events import record

LEFT = "This person is no longer at the organisation."
# Asks still waiting for, or working with, an expert; drafts and finished asks stay as they are.
OPEN_ASK_STATES = (AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED, AskState.ACCEPTED, AskState.SCHEDULED)


@dataclass(frozen=True)
class Released:
    bookings: int
    asks: int
    offers: int
    handed_back: int = 0  # asks they were helping with, now offered to other experts


def taken(email: str) -> ScimError:
    return ScimError(409, f"A user with userName {email} already exists.", "uniqueness")


# --- People ----------------------------------------------------------------------------------------


def provision_person(*, data: PersonData) -> tuple[User, bool]:
    """POST /Users: a new account (no password: people sign in with the company login or "forgot
    password"). A person the directory DELETEd before comes back with their history. Returns
    (user, created)."""
    existing = User.objects.filter(email__iexact=data.email).select_related("scim").first()
    if existing is not None:
        link = getattr(existing, "scim", None)
        if link is None or link.deleted_at is None:
            raise taken(data.email)
        ProvisionedPerson.objects.filter(pk=link.pk).update(deleted_at=None, updated_at=now())
        revived = update_person(user=existing, data=data, active_default=True)
        return revived, False
    try:
        with transaction.atomic():
            user = User.objects.create(
                email=data.email, password=make_password(None), is_active=data.active is not False
            )
            EmailAddress.objects.create(user=user, email=data.email, verified=False, primary=True)
            profile = create_profile(
                user=user, display_name=data.display_name, timezone=_or(data.timezone, "UTC")
            )
            ProvisionedPerson.objects.create(
                user=user,
                external_id=data.external_id,
                given_name=data.given_name,
                family_name=data.family_name,
                deactivated_at=None if user.is_active else now(),
            )
            profile.headline = data.title
            if data.department is not UNSET:
                profile.team = _team_named(data.department)
            if not isinstance(data.manager, Unset):
                profile.manager_id = _manager_id(data.manager, user=user)
            profile.save()
            record("person.provisioned", person=user.pk, team=profile.team_id)
            record_team_change(profile=profile, previous_team=None)
    except IntegrityError:
        raise taken(data.email) from None  # the same person created by a parallel request
    return user, True


def update_person(*, user: User, data: PersonData, active_default: bool | None = None) -> User:
    """PUT or PATCH /Users/{id}: write what changed, then deactivate or reactivate if ``active`` changed."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        email_changed = data.email != user.email.lower()
        if email_changed:
            if User.objects.filter(email__iexact=data.email).exclude(pk=user.pk).exists():
                raise taken(data.email)
            EmailAddress.objects.filter(user=user, email__iexact=user.email).delete()
            EmailAddress.objects.filter(user=user).update(primary=False)
            EmailAddress.objects.update_or_create(
                user=user, email=data.email, defaults={"primary": True, "verified": False}
            )
            user.email = data.email
            user.save(update_fields=["email"])
        link, _ = ProvisionedPerson.objects.get_or_create(user=user)
        link_changed = _assign(
            link, external_id=data.external_id, given_name=data.given_name, family_name=data.family_name
        )
        if link_changed:
            link.updated_at = now()
            link.save()
        profile = Profile.objects.select_for_update().filter(user=user).first() or create_profile(
            user=user, display_name=data.display_name
        )
        previous_team = profile.team_id
        wanted: dict[str, object] = {"display_name": data.display_name, "headline": data.title}
        if not isinstance(data.timezone, Unset):
            wanted["timezone"] = data.timezone
        if not isinstance(data.department, Unset):
            wanted["team_id"] = getattr(_team_named(data.department), "pk", None)
        if not isinstance(data.manager, Unset):
            wanted["manager_id"] = _manager_id(data.manager, user=user)
        profile_changed = _assign(profile, **wanted)
        if profile_changed:
            profile.save()
        if profile_changed or link_changed or email_changed:
            record("person.updated", person=user.pk)
        record_team_change(profile=profile, previous_team=previous_team)
    active = data.active if data.active is not UNSET else active_default
    if active is False and user.is_active:
        deactivate_person(user=user)
    elif active is True and not user.is_active:
        reactivate_person(user=user)
    user.refresh_from_db()
    return user


def deactivate_person(*, user: User, delete: bool = False) -> Released:
    """``active: false`` (or DELETE, with ``delete``): no more logging in, commitments released."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        link, _ = ProvisionedPerson.objects.get_or_create(user=user)
        if delete and link.deleted_at is None:
            link.deleted_at = now()
            link.save(update_fields=["deleted_at"])
        if not user.is_active:
            return Released(0, 0, 0)  # already done: a repeated request changes nothing
        user.is_active = False
        user.save(update_fields=["is_active"])
        link.deactivated_at = now()
        link.save(update_fields=["deactivated_at"])
        team = Profile.objects.filter(user=user).values_list("team_id", flat=True).first()
        record("person.deactivated", person=user.pk, team=team)
    return release_commitments(user=user)


def release_commitments(*, user: User) -> Released:
    """What others were waiting on from someone who left: each release in its own transaction."""
    bookings = 0
    upcoming = Booking.objects.involving(user).confirmed().filter(end__gt=now()).select_related("slot")
    for booking in upcoming:
        try:
            cancel_booking(booking=booking, actor=user, reason=LEFT)
        except NotChangeable:
            continue  # started or cancelled meanwhile
        bookings += 1
    asks = 0
    for ask in Ask.objects.filter(mentee=user, state__in=OPEN_ASK_STATES).select_related("mentee", "helper"):
        cancel_ask(ask=ask, actor=user, reason=LEFT)
        asks += 1
    offers = pass_on_offers(mentor=user, note=LEFT)
    handed_back = 0
    for ask in Ask.objects.filter(helper=user, state__in=HANDED_BACK).order_by("pk"):
        hand_back(ask=ask, note=f"{user.display_name} left the organisation; offered to other experts.")
        handed_back += 1
    return Released(bookings=bookings, asks=asks, offers=offers, handed_back=handed_back)


@transaction.atomic
def reactivate_person(*, user: User) -> User:
    """``active: true`` again: logging in works again (released bookings and asks stay released)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    ProvisionedPerson.objects.filter(user=user).update(deactivated_at=None, updated_at=now())
    team = Profile.objects.filter(user=user).values_list("team_id", flat=True).first()
    record("person.reactivated", person=user.pk, team=team)
    return user


def _manager_id(value: str | None, *, user: User) -> int | None:
    """The manager's SCIM id (ours), or their externalId; someone unknown (not provisioned yet) is no one."""
    if not value:
        return None
    found = None
    if (user_id := id_from_text(value)) is not None:
        found = User.objects.filter(pk=user_id).values_list("pk", flat=True).first()
    if found is None:
        found = ProvisionedPerson.objects.filter(external_id=value).values_list("user_id", flat=True).first()
    return found if found != user.pk else None


# --- Teams -----------------------------------------------------------------------------------------


@transaction.atomic
def provision_team(*, data: TeamData) -> Team:
    """POST /Groups: a new team, with its members moved into it."""
    if Team.objects.filter(name__iexact=data.name).exists():
        raise ScimError(409, f"A group named {data.name} already exists.", "uniqueness")
    team = _create_team(data.name)
    ProvisionedTeam.objects.create(team=team, external_id=data.external_id)
    if data.members is not None:
        _set_members(team, data.members)
    return team


@transaction.atomic
def update_team(*, team: Team, data: TeamData) -> Team:
    """PUT or PATCH /Groups/{id}: rename, and make ``members`` exactly the team's people when given. A
    person is in one team: joining this one takes them out of their previous team."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if data.name != team.name:
        if Team.objects.filter(name__iexact=data.name).exclude(pk=team.pk).exists():
            raise ScimError(409, f"A group named {data.name} already exists.", "uniqueness")
        previous_name, team.name = team.name, data.name
        team.save(update_fields=["name"])
        record("team.updated", team=team.pk, previous_name=previous_name)
    link, _ = ProvisionedTeam.objects.get_or_create(team=team)
    link.external_id, link.updated_at = data.external_id or link.external_id, now()
    link.save()
    if data.members is not None:
        _set_members(team, data.members)
    return team


def delete_team(*, team: Team) -> None:
    """DELETE /Groups/{id}: the team goes; its people stay, in no team (``team.deleted`` names them)."""
    delete_teams(teams=[team])


def _set_members(team: Team, user_ids: list[int]) -> None:
    wanted = set(user_ids)
    known = set(User.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        raise invalid_value(f"No user with id {min(wanted - known)}.")
    for user in User.objects.filter(pk__in=wanted).exclude(profile__team=team).order_by("pk"):
        profile = Profile.objects.select_for_update().filter(user=user).first() or create_profile(
            user=user, display_name=user.email.split("@")[0]
        )
        _move(profile, team.pk)
    for profile in Profile.objects.select_for_update().filter(team=team).exclude(user_id__in=wanted):
        _move(profile, None)


def _move(profile: Profile, team_id: int | None) -> None:
    previous = profile.team_id
    profile.team_id = team_id
    profile.save(update_fields=["team", "updated_at"])
    record_team_change(profile=profile, previous_team=previous)


def _team_named(name: str | None | object) -> Team | None:
    """The team a department names, made (with its event) when it does not exist yet."""
    if not name or not isinstance(name, str):
        return None
    team = Team.objects.filter(name__iexact=name).first()
    return team or _create_team(name)


def _create_team(name: str) -> Team:
    base = slugify(name)[:70] or "team"
    slug, n = base, 2
    while Team.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    team = Team.objects.create(name=name, slug=slug)
    record("team.provisioned", team=team.pk)
    return team


def _assign(instance: object, **values: object) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _or(value: object, default: str) -> str:
    return value if isinstance(value, str) else default
