"""People in and out: preview and apply a people CSV (all or nothing, idempotent), export the same format.

The format (one person per line, ``;`` between list items, levels 1–5 after a colon):

    email,name,team,manager_email,timezone,languages,skills_offered,skills_wanted
    ada@example.org,Ada Lovelace,Data,grace@example.org,Europe/London,en;fr,PostgreSQL:4;Python:5,Rust

Only ``email`` and ``name`` are required; a column left out of the header leaves that field as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from openhelp.directory.people.models import Profile, SkillOffer, SkillWanted, Team
from openhelp.directory.programmes import access as programme_access
from openhelp.directory.programmes.services import NotOrganiser, add_members
from openhelp.organisers.imports.models import BATCH_LIFETIME, ImportBatch
from openhelp.organisers.imports.parsing import (
    HEADERS,
    LEVEL_SEPARATOR,
    LIST_SEPARATOR,
    RowError,
    escape_cell,
)
from openhelp.organisers.imports.planning import CREATE, UNCHANGED, UPDATE, Plan, RowPlan, build_plan, chunks
from openhelp.organisers.imports.tasks import send_invitation
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import enqueue_on_commit
from openhelp.platform.outbox.events import record_many

if TYPE_CHECKING:
    from openhelp.directory.programmes.models import Programme

logger = logging.getLogger(__name__)
BATCH_SIZE = 500

__all__ = [
    "ImportPreview",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "apply_import",
    "export_people_csv",
    "preview_import",
]


@dataclass(frozen=True)
class PreviewRow:
    line: int
    email: str
    action: str  # "create", "update" or "unchanged"
    changes: tuple[str, ...]


@dataclass(frozen=True)
class ImportPreview:
    rows: list[PreviewRow]
    errors: list[RowError]
    new_teams: list[str]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def _count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self._count(CREATE)

    @property
    def updated(self) -> int:
        return self._count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    users: list[User] = field(repr=False)
    new_teams: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated


class ImportRejected(Exception):
    """The file has errors, so nothing was changed. ``errors`` lists them with line, column and reason."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = list(errors)
        first = self.errors[0] if self.errors else None
        where = f"line {first.line}: " if first and first.line else ""
        super().__init__(
            f"{len(self.errors)} error(s), nothing changed" + (f"; {where}{first.message}" if first else "")
        )


def preview_import(text: str) -> ImportPreview:
    """What importing ``text`` would do, row by row, and every error; changes nothing."""
    return _preview(build_plan(text))


def _preview(plan: Plan) -> ImportPreview:
    rows = [] if plan.errors else plan.rows
    return ImportPreview(
        rows=[PreviewRow(r.line, r.email, r.action, tuple(r.changes)) for r in rows],
        errors=plan.errors,
        new_teams=plan.new_teams,
    )


def apply_import(text: str, *, actor: User, send_invitations: bool = False) -> ImportResult:
    """Create and update the people in ``text`` in one transaction, or raise ImportRejected and change nothing.

    Importing the same file twice changes nothing the second time (it writes no row). New people get an
    account with no usable password and an unverified address; they sign in through "forgot password", or
    through the invitation e-mail sent (after commit) only when ``send_invitations`` is true.
    """
    try:
        with transaction.atomic():
            plan = build_plan(text)
            if plan.errors:
                raise ImportRejected(plan.errors)
            result, new_user_ids = _write(plan)
            if send_invitations:
                for user_id in new_user_ids:
                    enqueue_on_commit(send_invitation, user_id)
    except IntegrityError as error:
        # Only a concurrent change (another import adding the same person) gets here: the plan was valid.
        raise ImportRejected(
            [RowError(None, "", "Someone changed these people while the import ran. Preview the file again.")]
        ) from error
    logger.info(
        "People import by %s: %s created, %s updated, %s unchanged",
        getattr(actor, "email", actor),
        result.created,
        result.updated,
        result.unchanged,
    )
    return result


# --- Writing a plan --------------------------------------------------------------------------------


def _write(plan: Plan) -> tuple[ImportResult, list[int]]:
    rows, existing = plan.rows, plan.existing
    timestamp = now()
    teams = _create_teams(plan.new_teams, existing.teams)
    users = dict(existing.users)
    new_emails = [row.email for row in rows if row.user is None]
    User.objects.bulk_create(
        [User(email=email, password=_unusable_password(), date_joined=timestamp) for email in new_emails],
        batch_size=BATCH_SIZE,
    )
    for chunk in chunks(new_emails):
        users.update({user.email: user for user in User.objects.filter(email__in=chunk)})
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=users[e], email=e, verified=False, primary=True) for e in new_emails],
        batch_size=BATCH_SIZE,
    )

    def team_for(row: RowPlan) -> Team | None:
        return teams[row.team_name.casefold()] if row.team_name else None

    def manager_for(row: RowPlan) -> int | None:
        return users[row.manager_email].pk if row.manager_email else None

    creating = [row for row in rows if row.action == CREATE]
    Profile.objects.bulk_create(
        [
            Profile(
                user=users[row.email],
                display_name=row.name,
                team=team_for(row),
                timezone=row.timezone,
                manager_id=manager_for(row),
                created_at=timestamp,
            )
            for row in creating
        ],
        batch_size=BATCH_SIZE,
    )
    profile_ids = {row.email: row.profile.pk for row in rows if row.profile is not None}
    user_emails = {users[row.email].pk: row.email for row in creating}
    for chunk in chunks(list(user_emails)):
        for user_id, profile_id in Profile.objects.filter(user_id__in=chunk).values_list("user_id", "pk"):
            profile_ids[user_emails[user_id]] = profile_id

    updating = [row for row in rows if row.action == UPDATE]
    previous_team = {row.email: row.profile.team_id for row in updating if row.profile is not None}
    _update_profiles(updating, team_for, manager_for, timestamp)
    _write_related(creating + updating, profile_ids, plan)
    record_many(
        "person.imported",
        (
            {
                "person": users[row.email].pk,
                "team": row.profile.team_id if row.profile else getattr(team_for(row), "pk", None),
                "previous_team": previous_team.get(row.email),
            }
            for row in creating + updating
        ),
    )
    result = ImportResult(
        created=len(creating),
        updated=len(updating),
        unchanged=len(rows) - len(creating) - len(updating),
        users=[users[row.email] for row in rows],
        new_teams=plan.new_teams,
    )
    return result, [users[email].pk for email in new_emails]


def _unusable_password() -> str:
    # What make_password(None) stores, from one urandom call instead of forty random.choice calls.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _update_profiles(
    rows: list[RowPlan],
    team_for: Callable[[RowPlan], Team | None],
    manager_for: Callable[[RowPlan], int | None],
    timestamp: dt.datetime,
) -> None:
    """Write only the fields that changed: grouped by the set of changed fields (few groups), because
    bulk_update's cost grows with objects × fields; a row whose only changes are lists just gets its
    updated_at."""
    groups: dict[tuple[str, ...], list[Profile]] = defaultdict(list)
    for row in rows:
        profile, changed = row.profile, []
        assert profile is not None  # a row to update has its profile
        new_values: dict[str, Any] = {"display_name": row.name}
        if "team" in row.columns:
            new_values["team_id"] = team.pk if (team := team_for(row)) else None
        if "manager_email" in row.columns:
            new_values["manager_id"] = manager_for(row)
        if "timezone" in row.columns:
            new_values["timezone"] = row.timezone
        for name, value in new_values.items():
            if getattr(profile, name) != value:
                setattr(profile, name, value)
                changed.append(name.removesuffix("_id"))
        profile.updated_at = timestamp
        groups[tuple(changed)].append(profile)
    for fields, profiles in groups.items():
        if fields:
            Profile.objects.bulk_update(profiles, [*fields, "updated_at"], batch_size=BATCH_SIZE)
        else:
            for chunk in chunks([profile.pk for profile in profiles]):
                Profile.objects.filter(pk__in=chunk).update(updated_at=timestamp)


def _create_teams(names: list[str], teams: dict[str, Team]) -> dict[str, Team]:
    teams = dict(teams)
    if not names:
        return teams
    taken = {team.slug for team in teams.values()}
    new = []
    for name in names:
        base = slugify(name)[:70] or "team"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        new.append(Team(name=name, slug=slug))
    Team.objects.bulk_create(new)
    for team in Team.objects.filter(slug__in=[team.slug for team in new]):
        teams[team.name.casefold()] = team
    return teams


def _write_related(rows: list[RowPlan], profile_ids: dict[str, int], plan: Plan) -> None:
    existing = plan.existing
    through = Profile.languages.through
    drop_languages, add_languages = [], []
    drop_offers, add_offers, relevel_offers = [], [], defaultdict(list)
    drop_wanted, add_wanted = [], []
    for row in rows:
        pid = profile_ids[row.email]
        if "languages" in row.columns:
            before = existing.profile_languages.get(pid, {})
            drop_languages += [pk for lang, pk in before.items() if lang not in row.language_ids]
            add_languages += [
                through(profile_id=pid, language_id=i) for i in row.language_ids if i not in before
            ]
        if "skills_offered" in row.columns:
            offers = existing.profile_offers.get(pid, {})
            drop_offers += [pk for skill, (pk, _) in offers.items() if skill not in row.offers]
            for skill, level in row.offers.items():
                if skill not in offers:
                    add_offers.append(SkillOffer(profile_id=pid, skill_id=skill, level=level))
                elif offers[skill][1] != level:
                    relevel_offers[level].append(offers[skill][0])
        if "skills_wanted" in row.columns:
            wanted = existing.profile_wanted.get(pid, {})
            drop_wanted += [pk for skill, pk in wanted.items() if skill not in row.wanted]
            add_wanted += [SkillWanted(profile_id=pid, skill_id=i) for i in row.wanted if i not in wanted]
    for model, ids in ((through, drop_languages), (SkillOffer, drop_offers), (SkillWanted, drop_wanted)):
        for chunk in chunks(ids):
            model.objects.filter(pk__in=chunk).delete()
    through.objects.bulk_create(add_languages, batch_size=BATCH_SIZE)
    for level, ids in relevel_offers.items():  # five levels at most: one UPDATE per level
        for chunk in chunks(ids):
            SkillOffer.objects.filter(pk__in=chunk).update(level=level)
    SkillOffer.objects.bulk_create(add_offers, batch_size=BATCH_SIZE)
    SkillWanted.objects.bulk_create(add_wanted, batch_size=BATCH_SIZE)


# --- Export ----------------------------------------------------------------------------------------


def export_people_csv(profiles: Iterable[Profile] | None = None) -> str:
    """The people as CSV in the import format (so exporting then importing changes nothing).

    ``profiles``: a queryset or a list of profiles; everyone when None. Ordered by e-mail. Read as plain
    values (no model instances), in a handful of queries per 2,000 people.
    """
    if profiles is None:
        profiles = Profile.objects.all()
    if isinstance(profiles, QuerySet):
        ids = list(profiles.order_by().values_list("pk", flat=True))
    else:
        ids = [profile.pk for profile in profiles]
    people: list[tuple[Any, ...]] = []
    languages, offered, wanted = defaultdict(list), defaultdict(list), defaultdict(list)
    through = Profile.languages.through
    for chunk in chunks(ids):
        people += Profile.objects.filter(pk__in=chunk).values_list(
            "pk", "user__email", "display_name", "team__name", "manager__email", "timezone"
        )
        for pk, code in through.objects.filter(profile_id__in=chunk).values_list(
            "profile_id", "language__code"
        ):
            languages[pk].append(code)
        for pk, name, level in SkillOffer.objects.filter(profile_id__in=chunk).values_list(
            "profile_id", "skill__name", "level"
        ):
            offered[pk].append((name, level))
        for pk, name in SkillWanted.objects.filter(profile_id__in=chunk).values_list(
            "profile_id", "skill__name"
        ):
            wanted[pk].append(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADERS)
    for pk, email, name, team, manager, timezone in sorted(people, key=lambda person: person[1]):
        offers = sorted(offered[pk], key=lambda offer: offer[0].casefold())
        cells = [
            email,
            name,
            team or "",
            manager or "",
            timezone,
            LIST_SEPARATOR.join(sorted(languages[pk])),
            LIST_SEPARATOR.join(f"{skill}{LEVEL_SEPARATOR}{level}" for skill, level in offers),
            LIST_SEPARATOR.join(sorted(wanted[pk])),
        ]
        writer.writerow([escape_cell(cell) for cell in cells])
    return buffer.getvalue()


# --- The upload kept between preview and apply -----------------------------------------------------


def stage_import(*, owner: User, text: str, filename: str = "") -> ImportBatch:
    """Keep an uploaded file for its owner until they apply it (an hour at most); forget expired ones."""
    ImportBatch.objects.filter(created_at__lt=now() - BATCH_LIFETIME).delete()
    return ImportBatch.objects.create(owner=owner, text=text, filename=filename[:200])


def staged_import(*, owner: User, token: str) -> ImportBatch:
    """The owner's unexpired upload; anyone else's token, or an expired one, answers 404."""
    return get_object_or_404(ImportBatch, owner=owner, token=token, created_at__gt=now() - BATCH_LIFETIME)


@transaction.atomic
def apply_staged_import(*, batch: ImportBatch, send_invitations: bool = False) -> ImportResult:
    """Apply a kept upload (validated again, all or nothing) and forget it."""
    result = apply_import(batch.text, actor=batch.owner, send_invitations=send_invitations)
    batch.delete()
    return result


@transaction.atomic
def import_members(
    *, programme: Programme, batch: ImportBatch, actor: User, send_invitations: bool = False
) -> ImportResult:
    """Apply a staged people import and add everyone in the file to the programme, all or nothing."""
    if not programme_access.is_organiser(programme, actor):
        raise NotOrganiser("Only this programme's organisers can do that.")
    result = apply_staged_import(batch=batch, send_invitations=send_invitations)
    add_members(programme=programme, users=result.users, actor=actor)
    return result
