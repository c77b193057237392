"""Keeping office hours: create, edit and retire blocks, time off, and each person's calendar settings.

The booking workflows (which lock) live in officehours.booking, officehours.changes and
officehours.ask_scheduling.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction

from openhelp.help.officehours.models import (
    BUFFER_MINUTES,
    HORIZON_WEEKS,
    MAX_NOTICE_MINUTES,
    SEATS,
    SLOT_MINUTES,
    Booking,
    BookingState,
    LocationKind,
    OfficeHours,
    PersonalCalendar,
    TimeOff,
    _feed_key,
    _feed_secret,
)
from openhelp.help.officehours.reminders import REMINDER_CHOICES
from openhelp.help.officehours.slots import Rule, nominal_starts
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.timezones import validate_timezone

if TYPE_CHECKING:
    from openhelp.platform.accounts.models import User

BLOCK_FIELDS = frozenset(
    {
        "title",
        "weekdays",
        "start_time",
        "end_time",
        "timezone",
        "slot_minutes",
        "buffer_minutes",
        "seats",
        "skills",
        "location_kind",
        "place",
        "horizon_weeks",
        "min_notice_minutes",
        "daily_cap",
        "is_active",
        "programme",
    }
)
MAX_SKILLS = 5
MAX_TIME_OFF_DAYS = 366


def _range(
    errors: dict[str, list[str]], fields: dict[str, Any], name: str, bounds: tuple[int, int], what: str
) -> None:
    value = fields.get(name)
    if value is None or not (bounds[0] <= int(value) <= bounds[1]):
        errors[name] = [f"{what} must be between {bounds[0]} and {bounds[1]}."]


def clean_block(fields: dict[str, Any], *, mentor: User) -> dict[str, Any]:
    """Every rule a block obeys, with a message per field; shared by the editor, the API and the preview."""
    errors: dict[str, list[str]] = {}
    weekdays = sorted({int(day) for day in fields.get("weekdays") or []})
    if not weekdays or any(day not in range(7) for day in weekdays):
        errors["weekdays"] = ["Choose at least one weekday."]
    fields["weekdays"] = weekdays
    try:
        validate_timezone(fields.get("timezone") or "")
    except ValidationError as error:
        errors["timezone"] = error.messages
    _range(errors, fields, "slot_minutes", SLOT_MINUTES, "A slot")
    _range(errors, fields, "buffer_minutes", BUFFER_MINUTES, "The break between slots")
    _range(errors, fields, "seats", SEATS, "Seats per slot")
    _range(errors, fields, "horizon_weeks", HORIZON_WEEKS, "The booking horizon (weeks)")
    _range(errors, fields, "min_notice_minutes", (0, MAX_NOTICE_MINUTES), "The notice (minutes)")
    _clean_times(errors, fields, weekdays)
    if fields.get("daily_cap") is not None and not (1 <= int(fields["daily_cap"]) <= 50):
        errors["daily_cap"] = ["The cap per day must be between 1 and 50, or empty for none."]
    _clean_location(errors, fields, mentor)
    if len(fields.get("title") or "") > 80:
        errors["title"] = ["Keep the title under 80 characters."]
    skills = list({skill.pk: skill for skill in fields.get("skills") or []}.values())
    if len(skills) > MAX_SKILLS:
        errors["skills"] = [f"Choose at most {MAX_SKILLS} focus skills."]
    fields["skills"] = skills
    programme = fields.get("programme")
    if programme is not None and not programme.memberships.filter(user_id=mentor.pk).exists():
        errors["programme"] = ["Choose one of your own programmes."]
    if errors:
        raise ValidationError(errors)
    return fields


def _clean_times(errors: dict[str, list[str]], fields: dict[str, Any], weekdays: list[int]) -> None:
    start, end = fields.get("start_time"), fields.get("end_time")
    if start is None:
        errors["start_time"] = ["Enter the local start time."]
    if end is None:
        errors["end_time"] = ["Enter the local end time."]
    elif start is not None and end <= start:
        errors["end_time"] = ["End after the start, on the same day."]
    elif start is not None and "slot_minutes" not in errors:
        rule = Rule(frozenset(weekdays), start, end, "UTC", int(fields["slot_minutes"]), 0)
        if not nominal_starts(rule):
            errors["end_time"] = ["The block is shorter than one slot."]


def _clean_location(errors: dict[str, list[str]], fields: dict[str, Any], mentor: User) -> None:
    kind = fields.get("location_kind") or LocationKind.MEETING_LINK
    fields["location_kind"] = kind
    fields["place"] = " ".join((fields.get("place") or "").split())
    if kind not in LocationKind.values:
        errors["location_kind"] = ["Choose where you meet."]
    elif kind == LocationKind.PLACE and not fields["place"]:
        errors["place"] = ["Say where: a room, an address."]
    elif kind == LocationKind.MEETING_LINK and not getattr(
        getattr(mentor, "profile", None), "meeting_link", ""
    ):
        errors["location_kind"] = ["Add a meeting link to your profile first, or choose a generated room."]


def _defaults() -> dict[str, Any]:
    """A new block's values for whatever the caller leaves out (the model's defaults)."""
    found = {}
    for name in BLOCK_FIELDS - {"skills", "weekdays", "start_time", "end_time", "timezone"}:
        field = cast("models.Field[Any, Any]", OfficeHours._meta.get_field(name))  # all concrete fields
        if field.has_default():
            found[name] = field.get_default()
        elif field.null:
            found[name] = None
    return found


@transaction.atomic
def save_block(*, mentor: User, block: OfficeHours | None = None, **fields: Any) -> OfficeHours:
    """Create (block=None) or edit a block. Bookings already made keep their own time."""
    unknown = set(fields) - BLOCK_FIELDS
    if unknown:
        raise TypeError(f"save_block() got unexpected fields {sorted(unknown)}")
    if block is not None and block.mentor_id != mentor.pk:
        raise ValidationError("These are not your office hours.")
    current = {name: getattr(block, name) for name in BLOCK_FIELDS - {"skills"}} if block else _defaults()
    if block is not None and "skills" not in fields:
        fields["skills"] = list(block.skills.all())
    fields.setdefault("timezone", getattr(getattr(mentor, "profile", None), "timezone", "UTC"))
    cleaned = clean_block({**current, **fields}, mentor=mentor)
    skills = cleaned.pop("skills")
    if block is None:
        block = OfficeHours(mentor=mentor)
    for name, value in cleaned.items():
        setattr(block, name, value)
    block.save()
    block.skills.set(skills)
    return block


def retire_block(*, block: OfficeHours, actor: User) -> str:
    """Delete a block nobody ever booked; otherwise stop offering it (booked sessions stay). Says which."""
    if block.mentor_id != actor.pk:
        raise ValidationError("These are not your office hours.")
    if Booking.objects.filter(slot__office_hours=block).exists():
        OfficeHours.objects.filter(pk=block.pk).update(is_active=False, updated_at=now())
        return "stopped"
    block.delete()
    return "deleted"


def upcoming_bookings_of(block: OfficeHours) -> int:
    return Booking.objects.filter(
        slot__office_hours=block, state=BookingState.CONFIRMED, start__gt=now()
    ).count()


def add_time_off(
    *,
    mentor: User,
    start_date: dt.date | None,
    end_date: dt.date | None,
    block: OfficeHours | None = None,
    note: str = "",
) -> TimeOff:
    """Skip one date (end empty) or a range, for one block or for all of them."""
    errors: dict[str, list[str]] = {}
    end_date = end_date or start_date
    if start_date is None or end_date is None:  # the end is missing only when the start is
        errors["start_date"] = ["Choose the first day off."]
    elif end_date < start_date:
        errors["end_date"] = ["The last day comes on or after the first."]
    elif (end_date - start_date).days > MAX_TIME_OFF_DAYS:
        errors["end_date"] = ["Keep time off to a year at most; pause your profile for longer."]
    if block is not None and block.mentor_id != mentor.pk:
        errors["office_hours"] = ["Choose one of your own blocks."]
    if len(note or "") > 120:
        errors["note"] = ["Keep the note under 120 characters."]
    if errors:
        raise ValidationError(errors)
    assert start_date is not None and end_date is not None  # a missing start is an error above
    return TimeOff.objects.create(
        mentor=mentor, office_hours=block, start_date=start_date, end_date=end_date, note=(note or "").strip()
    )


# --- Personal calendar -----------------------------------------------------------------------------------


def personal_calendar_for(user: User) -> PersonalCalendar:
    calendar, _ = PersonalCalendar.objects.get_or_create(user=user)
    return calendar


def rotate_feed(*, user: User) -> PersonalCalendar:
    """A new address for the feed; the old one answers 404 from now on."""
    calendar = personal_calendar_for(user)
    calendar.feed_key, calendar.feed_secret, calendar.rotated_at = _feed_key(), _feed_secret(), now()
    calendar.save(update_fields=["feed_key", "feed_secret", "rotated_at"])
    return calendar


def calendar_for_feed(key: str, secret: str) -> PersonalCalendar | None:
    """The calendar this address opens, or None. The secret is compared in constant time."""
    calendar = PersonalCalendar.objects.select_related("user__profile").filter(feed_key=key).first()
    # Compare against a dummy when the key is unknown, so timing does not tell keys apart either.
    expected = calendar.feed_secret if calendar is not None else _feed_secret()
    if not hmac.compare_digest(expected.encode(), (secret or "").encode()):
        return None
    if calendar is None or not calendar.user.is_active:
        return None
    return calendar


def set_reminders(*, user: User, minutes: Iterable[int]) -> PersonalCalendar:
    allowed = {value for value, _ in REMINDER_CHOICES}
    chosen = sorted({int(m) for m in minutes}, reverse=True)
    if any(m not in allowed for m in chosen):
        raise ValidationError({"reminders": ["Choose among the offered reminder times."]})
    calendar = personal_calendar_for(user)
    calendar.reminder_minutes = chosen
    calendar.save(update_fields=["reminder_minutes"])
    return calendar
