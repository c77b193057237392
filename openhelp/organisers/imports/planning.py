"""Turning a people CSV into a plan: per row create / update / unchanged with its changes, or row errors.

Reads only, and in a bounded number of queries whatever the file's size (lookups go by chunks of
``LOOKUP_CHUNK`` values). ``services.apply_import`` writes a plan; the preview shows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from openhelp.directory.people.models import Language, Profile, SkillOffer, SkillWanted, Team
from openhelp.directory.skills.models import Skill, SkillAlias, normalise_skill_name
from openhelp.organisers.imports.parsing import (
    LEVEL_SEPARATOR,
    CsvRow,
    FileRejected,
    RowError,
    read_rows,
    split_list,
)
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.display_names import clean_display_name
from openhelp.platform.lib.timezones import available_timezones

LOOKUP_CHUNK = 2000
NAME_MAX = Profile._meta.get_field("display_name").max_length
TEAM_MAX = Team._meta.get_field("name").max_length
DEFAULT_TIMEZONE = "UTC"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def chunks(values: Sequence, size: int = LOOKUP_CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class RowPlan:
    """What one row does. The resolved values (ids) are for apply; the preview shows action and changes."""

    line: int
    email: str
    columns: frozenset[str]
    name: str = ""
    team_name: str = ""
    manager_email: str = ""
    timezone: str = DEFAULT_TIMEZONE
    language_tokens: list[str] = field(default_factory=list)
    offer_tokens: list[tuple[str, int]] = field(default_factory=list)
    wanted_tokens: list[str] = field(default_factory=list)
    language_ids: set[int] = field(default_factory=set)
    offers: dict[int, int] = field(default_factory=dict)
    wanted: set[int] = field(default_factory=set)
    user: User | None = None
    profile: Profile | None = None
    action: str = CREATE
    changes: list[str] = field(default_factory=list)


@dataclass
class Existing:
    """What the database already holds for the people named in the file (and the shared lists)."""

    users: dict[str, User] = field(default_factory=dict)
    manager_emails: dict[int, str] = field(default_factory=dict)
    languages: dict[str, Language] = field(default_factory=dict)
    language_codes: dict[int, str] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    skill_names: dict[int, str] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    team_names: dict[int, str] = field(default_factory=dict)
    profile_languages: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    profile_offers: dict[int, dict[int, tuple[int, int]]] = field(default_factory=lambda: defaultdict(dict))
    profile_wanted: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))


@dataclass
class Plan:
    rows: list[RowPlan]
    errors: list[RowError]
    new_teams: list[str]
    existing: Existing


def build_plan(text: str) -> Plan:
    try:
        parsed = read_rows(text)
    except FileRejected as rejected:
        return Plan(rows=[], errors=[rejected.error], new_teams=[], existing=Existing())
    errors = list(parsed.errors)
    read = [_read_row(row, errors) for row in parsed.rows]
    rows = [plan for plan, readable in read if readable]
    # A row with an error in itself (a bad address, a level of 9) is still checked against the taxonomy,
    # the languages and the people, so one preview lists every error of the file, not the rest next time.
    checked_only = [plan for plan, readable in read if not readable]
    _check_duplicates(rows, errors)
    existing = _load_existing(rows + checked_only)
    in_file = {row.cells.get("email", "").lower() for row in parsed.rows}
    new_teams: dict[str, str] = {}
    for row in rows:
        _resolve(row, existing, in_file, errors, new_teams)
    for row in checked_only:
        _resolve(row, existing, in_file, errors, {}, plan=False)
    errors.sort(key=lambda e: (e.line or 0, e.column))
    return Plan(rows=rows, errors=errors, new_teams=list(new_teams.values()), existing=existing)


# --- Reading one row (no database) -----------------------------------------------------------------


def _read_row(row: CsvRow, errors: list[RowError]) -> tuple[RowPlan, bool]:
    """The row as read, and whether it read without an error."""
    found: list[RowError] = []

    def fail(column: str, message: str) -> None:
        found.append(RowError(row.line, column, message))

    cells = row.cells
    email = cells.get("email", "").lower()
    if not email:
        fail("email", "Enter the person's e-mail address.")
    elif not _is_email(email):
        fail("email", f"“{cells['email']}” is not a valid e-mail address.")
    plan = RowPlan(line=row.line, email=email, columns=frozenset(cells))
    plan.name = cells.get("name", "")
    if not plan.name.strip():
        fail("name", "Enter the person's name.")
    else:
        try:
            plan.name = clean_display_name(plan.name)
        except ValidationError as error:
            fail("name", error.messages[0])
        else:
            if len(plan.name) > NAME_MAX:
                fail("name", f"The name is longer than {NAME_MAX} characters.")
    plan.team_name = cells.get("team", "")
    if len(plan.team_name) > TEAM_MAX:
        fail("team", f"The team name is longer than {TEAM_MAX} characters.")
    plan.manager_email = cells.get("manager_email", "").lower()
    if plan.manager_email and not _is_email(plan.manager_email):
        fail("manager_email", f"“{cells['manager_email']}” is not a valid e-mail address.")
    elif plan.manager_email and plan.manager_email == email:
        fail("manager_email", "A person cannot be their own manager.")
    plan.timezone = cells.get("timezone", "") or DEFAULT_TIMEZONE
    if plan.timezone not in _known_timezones():
        fail(
            "timezone", f"“{plan.timezone}” is not a known time zone. Use an IANA name such as Europe/Berlin."
        )
    plan.language_tokens = split_list(cells.get("languages", ""))
    plan.wanted_tokens = split_list(cells.get("skills_wanted", ""))
    plan.offer_tokens = _read_offers(cells.get("skills_offered", ""), fail)
    errors.extend(found)
    return plan, not found


def _read_offers(cell: str, fail) -> list[tuple[str, int]]:
    offers = []
    for token in split_list(cell):
        name, _, level = token.rpartition(LEVEL_SEPARATOR)
        if not name.strip():
            fail("skills_offered", f"“{token}” needs a level from 1 to 5, e.g. {token}:3.")
        elif not (level.strip().isdecimal() and 1 <= int(level) <= 5):
            fail("skills_offered", f"“{token}”: the level must be a whole number from 1 to 5.")
        else:
            offers.append((name.strip(), int(level)))
    return offers


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    # lib.timezones.validate_timezone's own list, as a set built once rather than once per row.
    return frozenset(available_timezones())


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _check_duplicates(rows: list[RowPlan], errors: list[RowError]) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        if row.email in first_line:
            errors.append(
                RowError(
                    row.line,
                    "email",
                    f"{row.email} appears twice, on lines {first_line[row.email]} and {row.line}.",
                )
            )
        else:
            first_line[row.email] = row.line


# --- Loading what exists (bounded queries) ---------------------------------------------------------


def _load_existing(rows: list[RowPlan]) -> Existing:
    existing = Existing()
    for language in Language.objects.all():
        existing.languages[language.code.lower()] = language
        existing.languages.setdefault(language.name.casefold(), language)
        existing.language_codes[language.pk] = language.code
    for team in Team.objects.all():
        existing.teams[team.name.casefold()] = team
        existing.team_names[team.pk] = team.name
    _load_skills(rows, existing)
    emails = sorted({row.email for row in rows} | {row.manager_email for row in rows if row.manager_email})
    for chunk in chunks(emails):
        for user in User.objects.filter(email__in=chunk).select_related("profile"):
            existing.users[user.email] = user
    profiles = [user.profile for user in existing.users.values() if _profile_of(user) is not None]
    profile_ids = [profile.pk for profile in profiles]
    manager_ids = sorted({p.manager_id for p in profiles if p.manager_id})
    known = {user.pk: email for email, user in existing.users.items()}
    missing = [pk for pk in manager_ids if pk not in known]
    existing.manager_emails.update(known)
    for chunk in chunks(missing):
        existing.manager_emails.update(User.objects.filter(pk__in=chunk).values_list("pk", "email"))
    through = Profile.languages.through
    for chunk in chunks(profile_ids):
        for pk, profile_id, language_id in through.objects.filter(profile_id__in=chunk).values_list(
            "pk", "profile_id", "language_id"
        ):
            existing.profile_languages[profile_id][language_id] = pk
        offers = SkillOffer.objects.filter(profile_id__in=chunk).values_list(
            "pk", "profile_id", "skill_id", "skill__name", "level"
        )
        for pk, profile_id, skill_id, skill_name, level in offers:
            existing.profile_offers[profile_id][skill_id] = (pk, level)
            existing.skill_names[skill_id] = skill_name
        wanted = SkillWanted.objects.filter(profile_id__in=chunk).values_list(
            "pk", "profile_id", "skill_id", "skill__name"
        )
        for pk, profile_id, skill_id, skill_name in wanted:
            existing.profile_wanted[profile_id][skill_id] = pk
            existing.skill_names[skill_id] = skill_name
    return existing


def _load_skills(rows: Iterable[RowPlan], existing: Existing) -> None:
    names = {normalise_skill_name(name) for row in rows for name, _ in row.offer_tokens}
    names |= {normalise_skill_name(name) for row in rows for name in row.wanted_tokens}
    keys = sorted(names)
    for chunk in chunks(keys):
        for alias in SkillAlias.objects.filter(normalised_name__in=chunk).select_related("skill"):
            existing.skills[alias.normalised_name] = alias.skill
        for skill in Skill.objects.filter(normalised_name__in=chunk):
            existing.skills[skill.normalised_name] = skill  # a skill's own name wins over an alias
    for skill in existing.skills.values():
        existing.skill_names[skill.pk] = skill.name


def _profile_of(user: User | None) -> Profile | None:
    return getattr(user, "profile", None) if user is not None else None


# --- Resolving names and comparing with what exists ------------------------------------------------


def _resolve(
    row: RowPlan,
    existing: Existing,
    in_file: set[str],
    errors: list[RowError],
    new_teams: dict[str, str],
    *,
    plan: bool = True,
) -> None:
    before = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(RowError(row.line, column, message))

    for token in row.language_tokens:
        language = existing.languages.get(token.lower()) or existing.languages.get(token.casefold())
        if language is None:
            fail(
                "languages",
                f"“{token}” is not a known language; use a code such as en or pt-BR, or its name.",
            )
        else:
            row.language_ids.add(language.pk)
    for token, level in row.offer_tokens:
        if (skill := _skill(token, existing, fail, "skills_offered", seen=row.offers)) is not None:
            row.offers[skill.pk] = level
    for token in row.wanted_tokens:
        if (skill := _skill(token, existing, fail, "skills_wanted", seen=row.wanted)) is not None:
            row.wanted.add(skill.pk)
    if row.manager_email and row.manager_email not in existing.users and row.manager_email not in in_file:
        fail(
            "manager_email",
            f"The manager {row.manager_email} is neither in this file nor an existing person.",
        )
    if row.team_name and row.team_name.casefold() not in existing.teams:
        new_teams.setdefault(row.team_name.casefold(), row.team_name)
    if plan and len(errors) == before:
        row.user = existing.users.get(row.email)
        row.profile = _profile_of(row.user)
        _compare(row, existing)


def _skill(token: str, existing: Existing, fail, column: str, *, seen) -> Skill | None:
    """The skill a name or alias means; None (and an error) when unknown or already in the list."""
    skill = existing.skills.get(normalise_skill_name(token))
    if skill is None:
        fail(column, f"“{token}” is not a skill in the taxonomy (nor an alias of one). Add it there first.")
    elif skill.pk in seen:
        fail(column, f"“{token}” is listed twice (as {skill.name}).")
        return None
    return skill


def _compare(row: RowPlan, existing: Existing) -> None:
    profile = row.profile
    if profile is None:
        row.action = CREATE
        row.changes = _describe_new(row, existing)
        return
    changes: list[str] = []
    team_now = existing.team_names.get(profile.team_id, "") if profile.team_id else ""
    manager_now = existing.manager_emails.get(profile.manager_id, "") if profile.manager_id else ""
    if profile.display_name != row.name:
        changes.append(f"name: {profile.display_name} → {row.name}")
    if "team" in row.columns and team_now.casefold() != row.team_name.casefold():
        changes.append(f"team: {team_now or '—'} → {_team_label(row, existing)}")
    if "manager_email" in row.columns and manager_now != row.manager_email:
        changes.append(f"manager: {manager_now or '—'} → {row.manager_email or '—'}")
    if "timezone" in row.columns and profile.timezone != row.timezone:
        changes.append(f"time zone: {profile.timezone} → {row.timezone}")
    if "languages" in row.columns:
        changes += _set_change(
            "languages",
            set(existing.profile_languages[profile.pk]),
            row.language_ids,
            existing.language_codes,
        )
    if "skills_offered" in row.columns:
        changes += _offer_changes(existing.profile_offers[profile.pk], row.offers, existing.skill_names)
    if "skills_wanted" in row.columns:
        changes += _set_change(
            "skills wanted", set(existing.profile_wanted[profile.pk]), row.wanted, existing.skill_names
        )
    row.changes = changes
    row.action = UPDATE if changes else UNCHANGED


def _describe_new(row: RowPlan, existing: Existing) -> list[str]:
    described = [f"name: {row.name}", f"time zone: {row.timezone}"]
    if row.user is not None:
        described.insert(0, "profile for an existing account")
    if row.team_name:
        described.append(f"team: {_team_label(row, existing)}")
    if row.manager_email:
        described.append(f"manager: {row.manager_email}")
    if row.language_ids:
        described.append(
            "languages: " + ", ".join(sorted(existing.language_codes[i] for i in row.language_ids))
        )
    if row.offers:
        offered = sorted(f"{existing.skill_names[i]}:{level}" for i, level in row.offers.items())
        described.append("skills offered: " + ", ".join(offered))
    if row.wanted:
        described.append("skills wanted: " + ", ".join(sorted(existing.skill_names[i] for i in row.wanted)))
    return described


def _team_label(row: RowPlan, existing: Existing) -> str:
    if not row.team_name:
        return "—"
    team = existing.teams.get(row.team_name.casefold())
    return team.name if team is not None else f"{row.team_name} (new team)"


def _set_change(label: str, before: set[int], after: set[int], names: dict[int, str]) -> list[str]:
    if before == after:
        return []
    added = sorted(names[i] for i in after - before)
    removed = sorted(names[i] for i in before - after)
    parts = [f"+{name}" for name in added] + [f"−{name}" for name in removed]
    return [f"{label}: {', '.join(parts)}"]


def _offer_changes(
    before: dict[int, tuple[int, int]], after: dict[int, int], names: dict[int, str]
) -> list[str]:
    parts = [f"+{names[i]}:{level}" for i, level in after.items() if i not in before]
    parts += [f"−{names[i]}:{before[i][1]}" for i in before if i not in after]
    parts += [
        f"{names[i]}:{before[i][1]}→{level}"
        for i, level in after.items()
        if i in before and before[i][1] != level
    ]
    return [f"skills offered: {', '.join(parts)}"] if parts else []
