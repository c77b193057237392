"""Validation rules for profiles, shared by the model, the web forms and the API (one message each).

Every rule raises a Django ``ValidationError`` with a specific message and code; DRF serializers pick
the model-field validators up automatically and call the rest explicitly, so a person sees the same
words whether they use the web page or the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator

from openhelp.platform.lib.clock import now

if TYPE_CHECKING:
    from openhelp.directory.skills.models import Skill

LEVEL_MESSAGE = "Choose a level from 1 (can point you to resources) to 5 (recognised expert)."
DUPLICATE_SKILL_MESSAGE = "You already listed “%(skill)s”; each skill can appear only once."

validate_avatar_colour = RegexValidator(
    regex=r"^#[0-9a-fA-F]{6}\Z",
    message="Use a colour written as # and six hex digits, e.g. #1a7f5a.",
    code="invalid_colour",
)


def validate_bio_length(value: str) -> None:
    # Read at call time (not baked into a migration) so the limit stays a setting.
    limit = settings.PROFILE_BIO_MAX_CHARS
    if value and len(value) > limit:
        raise ValidationError(
            "Your bio is %(length)d characters long; keep it to %(limit)d characters or fewer.",
            code="bio_too_long",
            params={"length": len(value), "limit": limit},
        )


_https_url = URLValidator(
    schemes=["https"], message="Enter a full https:// address, e.g. https://meet.example.org/you."
)


def validate_meeting_link(value: str) -> None:
    """Only https links: anything else (``javascript:``, ``http:``, ``data:``) is refused by name."""
    if not value:
        return
    scheme = urlsplit(value.strip()).scheme.lower()
    if not scheme:
        raise ValidationError(
            "Start the meeting link with https://, e.g. https://meet.example.org/you.", code="no_scheme"
        )
    if scheme != "https":
        raise ValidationError(
            "Meeting links must use https://; “%(scheme)s:” links are not allowed.",
            code="unsafe_scheme",
            params={"scheme": scheme},
        )
    _https_url(value)


def validate_level(value: int) -> None:
    if value is None or not 1 <= value <= 5:
        raise ValidationError(LEVEL_MESSAGE, code="invalid_level")


def validate_formats(value: Iterable[str]) -> None:
    from openhelp.directory.people.models import Format  # here: models imports this module

    if not isinstance(value, list | tuple):
        raise ValidationError("Formats must be a list.", code="invalid_formats")
    unknown = [item for item in value if item not in Format.values]
    if unknown:
        raise ValidationError(
            "“%(value)s” is not a format we offer. Choose from: %(choices)s.",
            code="unknown_format",
            params={"value": unknown[0], "choices": ", ".join(Format.values)},
        )


def validate_pause_until(value: dt.date | None, *, current: dt.date | None = None) -> None:
    """'Pause until' must be a future date: a pause that already ended would do nothing.

    Sending back the value already stored (``current``) is fine, so re-saving a page after a pause
    has ended on its own does not fail.
    """
    if value is not None and value != current and value <= now().date():
        raise ValidationError(
            "Choose a date after today; you are back automatically on that day.", code="pause_in_past"
        )


def validate_working_hours(start: dt.time | None, end: dt.time | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ValidationError(
            {
                "working_hours_end": ValidationError(
                    "Working hours must end after they start.", code="end_before_start"
                )
            }
        )


def duplicate_skill_error(skill_name: str) -> ValidationError:
    return ValidationError(DUPLICATE_SKILL_MESSAGE, code="duplicate_skill", params={"skill": skill_name})


def duplicate_positions(skills: Iterable[Skill | None]) -> dict[int, Skill]:
    """Position → skill for every repeat after the first occurrence (None entries are ignored)."""
    seen: set[int] = set()
    repeats: dict[int, Skill] = {}
    for position, skill in enumerate(skills):
        if skill is None:
            continue
        if skill.pk in seen:
            repeats[position] = skill
        seen.add(skill.pk)
    return repeats
