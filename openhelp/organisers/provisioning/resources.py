"""People and teams as SCIM resources (RFC 7643 §4): what we send, and what we read from an identity
provider's JSON before a workflow saves it. Only what a directory owns is shown: no bio, skills, meeting
link or anything else a person wrote themselves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from openhelp.directory.people.models import Profile, Team
from openhelp.organisers.provisioning.scim import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, ScimError
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.timezones import validate_timezone


class Unset:
    """An attribute the request did not mention (so it stays as it is), as opposed to one set to null."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def _timestamp(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else None


# --- Users ------------------------------------------------------------------------------------------


def user_resource(user: User, *, base: str) -> dict[str, Any]:
    profile: Profile | None = getattr(user, "profile", None)
    link = getattr(user, "scim", None)
    display_name = profile.display_name if profile else user.display_name
    name: dict[str, Any] = {"formatted": display_name}
    if link and link.given_name:
        name["givenName"] = link.given_name
    if link and link.family_name:
        name["familyName"] = link.family_name
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "id": str(user.pk),
        "userName": user.email,
        "name": name,
        "displayName": display_name,
        "active": user.is_active,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
    }
    if link and link.external_id:
        resource["externalId"] = link.external_id
    if profile and profile.headline:
        resource["title"] = profile.headline
    if profile:
        resource["timezone"] = profile.timezone
    enterprise: dict[str, Any] = {}
    if profile and profile.team:
        enterprise["department"] = profile.team.name
    if profile and profile.manager:
        enterprise["manager"] = {
            "value": str(profile.manager_id),
            "displayName": profile.manager.display_name,
        }
    resource[ENTERPRISE_SCHEMA] = enterprise
    modified = max(filter(None, [user.date_joined, profile and profile.updated_at, link and link.updated_at]))
    resource["meta"] = {
        "resourceType": "User",
        "created": _timestamp(user.date_joined),
        "lastModified": _timestamp(modified),
        "location": f"{base}/Users/{user.pk}",
    }
    return resource


@dataclass(frozen=True)
class PersonData:
    """A User resource read and checked; UNSET leaves an attribute as it is."""

    email: str
    external_id: str
    given_name: str
    family_name: str
    display_name: str
    title: str
    timezone: str | Unset
    active: bool | Unset
    department: str | None | Unset
    manager: str | None | Unset


def parse_user(document: dict[str, Any], *, before: PersonData | None = None) -> PersonData:
    """``before``: the person as they were, for a PATCH. A PATCH that changes only givenName or familyName
    renames the person, though the displayName it leaves untouched still holds the old name."""
    data = {key.lower(): value for key, value in document.items()}
    user_name = _text(data.get("username"), "userName", limit=254)
    emails = data.get("emails") or []
    if not isinstance(emails, list):
        raise invalid_value("emails is a list of objects with a value.")
    email = user_name if _is_email(user_name) else _primary_email(emails)
    if not email:
        raise invalid_value("userName must be an e-mail address (or emails must hold a primary one).")
    name = data.get("name") or {}
    if not isinstance(name, dict):
        raise invalid_value("name is an object (givenName, familyName, formatted).")
    name = {key.lower(): value for key, value in name.items()}
    given, family = (
        _text(name.get("givenname"), "name.givenName", 80),
        _text(name.get("familyname"), "name.familyName", 80),
    )
    formatted = _text(name.get("formatted"), "name.formatted", 80)
    display = _text(data.get("displayname"), "displayName", 80)
    parts = " ".join(part for part in (given, family) if part)
    if before is not None and (given, family) != (before.given_name, before.family_name) and parts:
        if display in ("", before.display_name) and formatted in ("", before.display_name):
            display = parts
    display = display or formatted or parts or email.split("@")[0]
    timezone: str | Unset = UNSET
    if data.get("timezone"):
        timezone = _text(data["timezone"], "timezone", 64)
        try:
            validate_timezone(timezone)
        except ValidationError:
            raise invalid_value(f"“{timezone}” is not an IANA time zone such as Europe/Berlin.") from None
    department, manager = _enterprise(document)
    return PersonData(
        email=email.lower(),
        external_id=_text(data.get("externalid"), "externalId", 255),
        given_name=given,
        family_name=family,
        display_name=display[:80],
        title=_text(data.get("title"), "title", 140),
        timezone=timezone,
        active=UNSET if data.get("active") is None else parse_bool(data["active"], "active"),
        department=department,
        manager=manager,
    )


def _enterprise(document: dict[str, Any]) -> tuple[str | None | Unset, str | None | Unset]:
    extension = next((v for k, v in document.items() if k.lower() == ENTERPRISE_SCHEMA.lower()), None)
    if extension is None:
        return UNSET, UNSET
    if not isinstance(extension, dict):
        raise invalid_value(f"{ENTERPRISE_SCHEMA} is an object.")
    extension = {key.lower(): value for key, value in extension.items()}
    department = _text(extension.get("department"), "department", 80) or None
    manager = extension.get("manager")
    if isinstance(manager, dict):
        manager = next((v for k, v in manager.items() if k.lower() == "value"), None)
    return department, (str(manager).strip() or None) if manager not in (None, "") else None


def parse_bool(value: Any, label: str) -> bool:
    """true/false, and the strings "True"/"False" some providers send."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"{label} is true or false.")


def _text(value: Any, label: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise invalid_value(f"{label} is a string.")
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise invalid_value(f"{label} is longer than {limit} characters.")
    return text


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _primary_email(emails: list[Any]) -> str:
    values = [e for e in emails if isinstance(e, dict) and _is_email(str(e.get("value", "")))]
    chosen = next(
        (e for e in values if e.get("primary") in (True, "true", "True")), values[0] if values else None
    )
    return str(chosen["value"]) if chosen else ""


# --- Groups -----------------------------------------------------------------------------------------


def group_resource(team: Team, *, base: str, members: list[Profile] | None = None) -> dict[str, Any]:
    link = getattr(team, "scim", None)
    resource: dict[str, Any] = {"schemas": [GROUP_SCHEMA], "id": str(team.pk), "displayName": team.name}
    if link and link.external_id:
        resource["externalId"] = link.external_id
    if members is not None:
        resource["members"] = [
            {"value": str(p.user_id), "display": p.display_name, "$ref": f"{base}/Users/{p.user_id}"}
            for p in members
        ]
    resource["meta"] = {
        "resourceType": "Group",
        "created": _timestamp(link.created_at if link else None),
        "lastModified": _timestamp(link.updated_at if link else None),
        "location": f"{base}/Groups/{team.pk}",
    }
    resource["meta"] = {key: value for key, value in resource["meta"].items() if value is not None}
    return resource


@dataclass(frozen=True)
class TeamData:
    name: str
    external_id: str
    members: list[int] | None  # None: the request did not mention members


def parse_group(document: dict[str, Any]) -> TeamData:
    data = {key.lower(): value for key, value in document.items()}
    name = _text(data.get("displayname"), "displayName", 80)
    if not name:
        raise invalid_value("A group needs a displayName.")
    members = data.get("members")
    ids: list[int] | None = None
    if members is not None:
        if not isinstance(members, list):
            raise invalid_value("members is a list of objects with a value.")
        ids = []
        for member in members:
            raw = member.get("value") if isinstance(member, dict) else member
            try:
                ids.append(int(str(raw)))
            except ValueError:
                raise invalid_value(f"“{raw}” is not the id of a user here.") from None
    return TeamData(name=name, external_id=_text(data.get("externalid"), "externalId", 255), members=ids)


def user_queryset():
    return User.objects.select_related("profile__team", "profile__manager__profile", "scim").order_by("pk")


def team_queryset():
    return Team.objects.select_related("scim").order_by("pk")
