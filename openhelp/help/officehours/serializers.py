"""API shapes for office hours, slots, bookings, the waiting list, time off and the calendar feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openhelp.directory.people.api import PersonRefSerializer, SkillReferenceField
from openhelp.directory.programmes.models import Programme
from openhelp.help.officehours.availability import OpenSlot
from openhelp.help.officehours.booking import MAX_QUESTION, MAX_REASON, MAX_TOPIC
from openhelp.help.officehours.models import (
    SEATS,
    SLOT_MINUTES,
    Booking,
    BookingEvent,
    LocationKind,
    OfficeHours,
    TimeOff,
    WaitlistEntry,
)
from openhelp.help.officehours.reminders import REMINDER_CHOICES
from openhelp.help.officehours.slots import zone
from openhelp.platform.api.fields import BooleanField, DeprecatedAlias, ListField
from openhelp.platform.api.known_fields import KnownFieldsOnly, NeededInPatch
from openhelp.platform.lib.dates import validate_in_range
from openhelp.platform.lib.timezones import available_timezones


class OfficeHoursSerializer(serializers.ModelSerializer):
    mentor = PersonRefSerializer(read_only=True)
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = OfficeHours
        fields = [
            "id",
            "mentor",
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
            "programme",
            "is_active",
            "created_at",
            "updated_at",
        ]


class OfficeHoursInputSerializer(KnownFieldsOnly, serializers.Serializer):
    """Shapes only; every rule (and its message) is the service's, shared with the web editor."""

    title = serializers.CharField(max_length=80, required=False, allow_blank=True)
    weekdays = ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        min_items=1,
        help_text="0 is Monday.",
    )
    start_time = serializers.TimeField(help_text="Local wall-clock time in `timezone`, HH:MM.")
    end_time = serializers.TimeField()
    timezone = serializers.ChoiceField(choices=available_timezones(), required=False)
    slot_minutes = serializers.IntegerField(
        min_value=SLOT_MINUTES[0], max_value=SLOT_MINUTES[1], required=False
    )
    buffer_minutes = serializers.IntegerField(min_value=0, max_value=60, required=False)
    seats = serializers.IntegerField(min_value=SEATS[0], max_value=SEATS[1], required=False)
    skills = ListField(child=SkillReferenceField(), required=False, max_length=5)
    location_kind = serializers.ChoiceField(choices=LocationKind.choices, required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    horizon_weeks = serializers.IntegerField(min_value=1, max_value=8, required=False)
    min_notice_minutes = serializers.IntegerField(min_value=0, max_value=7 * 24 * 60, required=False)
    daily_cap = serializers.IntegerField(min_value=1, max_value=50, required=False, allow_null=True)
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "Choose one of your own programmes."},
        help_text="Offer these hours within one of your programmes (its rules apply), or null for everyone.",
    )
    is_active = BooleanField(required=False)


class SlotSerializer(serializers.Serializer):
    office_hours = serializers.IntegerField(source="office_hours.pk", help_text="The block's id.")
    title = serializers.CharField(source="office_hours.label")
    mentor = PersonRefSerializer(source="office_hours.mentor")
    start = serializers.SerializerMethodField(help_text="In the zone asked for (`tz`).")
    end = serializers.SerializerMethodField()
    mentor_local_start = serializers.SerializerMethodField(help_text="The same moment in the mentor's zone.")
    mentor_timezone = serializers.CharField(source="office_hours.timezone")
    minutes = serializers.IntegerField()
    seats = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    booked_by_me = BooleanField(source="booked_by_viewer")
    waiting_by_me = BooleanField(source="waiting_by_viewer")

    def _tz(self):
        return zone(self.context.get("tz") or "UTC")

    def get_start(self, slot: OpenSlot) -> str:
        return slot.start.astimezone(self._tz()).isoformat()

    def get_end(self, slot: OpenSlot) -> str:
        return slot.end.astimezone(self._tz()).isoformat()

    def get_mentor_local_start(self, slot: OpenSlot) -> str:
        return slot.mentor_local_start.isoformat()


def slot_representations(slots: Iterable[OpenSlot], *, tz_name: str | None) -> list[dict]:
    """``SlotSerializer(slots, many=True, context={"tz": tz_name}).data``, built directly: the slot list is
    in the load mix, and a page of 50 would build and walk twelve serializer fields each. The tests prove
    both give the same JSON."""
    tz = zone(tz_name or "UTC")
    found = []
    for slot in slots:
        block = slot.office_hours
        found.append(
            {
                "office_hours": block.pk,
                "title": str(block.label),
                "mentor": _person(block.mentor),
                "start": slot.start.astimezone(tz).isoformat(),
                "end": slot.end.astimezone(tz).isoformat(),
                "mentor_local_start": slot.mentor_local_start.isoformat(),
                "mentor_timezone": str(block.timezone),
                "minutes": slot.minutes,
                "seats": slot.seats,
                "seats_left": slot.seats_left,
                "booked_by_me": bool(slot.booked_by_viewer),
                "waiting_by_me": bool(slot.waiting_by_viewer),
            }
        )
    return found


TZ_CHOICE = "Use an IANA time zone, e.g. Europe/Berlin."


class SlotQuerySerializer(serializers.Serializer):
    # Bounded: an id beyond 64 bits reached the database as an OverflowError (SQLite), a 500.
    mentor = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="A mentor's user id."
    )
    skill = serializers.CharField(required=False, help_text="A skill id, name or alias.")
    start = serializers.DateField(
        required=False, validators=[validate_in_range], help_text="First day (in `tz`); default today."
    )
    end = serializers.DateField(
        required=False,
        validators=[validate_in_range],
        help_text="Last day (in `tz`, included); default start + 6 days.",
    )
    tz = serializers.ChoiceField(
        choices=available_timezones(),
        required=False,
        help_text="Default: your zone.",
        error_messages={"invalid_choice": TZ_CHOICE},
    )

    def to_internal_value(self, data):
        # A query string's empty value reads as absent to DRF; a filter that is sent must say something
        # (api/params.py).
        if "tz" in data and not str(data.get("tz", "")).strip():
            raise serializers.ValidationError({"tz": [TZ_CHOICE]})
        if "mentor" in data and not str(data.get("mentor", "")).strip():
            raise serializers.ValidationError({"mentor": ["Give a value, or leave mentor out."]})
        return super().to_internal_value(data)


class BookingEventSerializer(serializers.ModelSerializer):
    actor = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = BookingEvent
        fields = ["kind", "actor", "from_start", "to_start", "reason", "late", "created_at"]


class BookingSerializer(serializers.ModelSerializer):
    mentor = PersonRefSerializer(read_only=True)
    mentee = PersonRefSerializer(read_only=True)
    office_hours = serializers.IntegerField(source="slot.office_hours_id", read_only=True, allow_null=True)
    history = BookingEventSerializer(source="events", many=True, read_only=True)
    cancelled_by = PersonRefSerializer(read_only=True, allow_null=True)
    place = serializers.CharField(
        source="location", read_only=True, help_text="Where it meets: a call link, a room, a phone."
    )
    location = DeprecatedAlias(of="place")
    session = serializers.SerializerMethodField(
        help_text="Its session (`GET /api/v1/sessions/{id}/`); null for the few seconds after booking "
        "while it is made, and for a cancelled booking that never had one."
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "uid",
            "office_hours",
            "mentor",
            "mentee",
            "start",
            "end",
            "seat",
            "state",
            "topic",
            "question",
            "ask",
            "place",
            "location",
            "sequence",
            "from_waitlist",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "late_cancellation",
            "created_at",
            "history",
            "session",
        ]

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_session(self, booking: Booking) -> int | None:
        return session_id(booking)


def session_id(booking: Booking) -> int | None:
    """The id of the booking's session (the relation mentoring declares), or None while it has none."""
    try:
        return booking.session.pk
    except ObjectDoesNotExist:
        return None


_WHEN = serializers.DateTimeField()  # DRF's own formatting: the current zone, ISO 8601, "Z" for UTC


def _person(user) -> dict | None:
    if user is None:
        return None
    profile = getattr(user, "profile", None)
    return {
        "id": user.pk,
        "display_name": str(user.display_name),
        "profile_id": profile.pk if profile is not None else None,
    }


def booking_representation(booking: Booking) -> dict:
    """``BookingSerializer(booking).data``, built directly: the answer of the busiest endpoint (booking a
    slot), without building and walking twenty-odd serializer fields per request. Expects what that
    path already holds — mentor, mentee, slot and the history prefetched; the tests prove both give
    the same JSON."""
    when = _WHEN.to_representation
    return {
        "id": booking.pk,
        "uid": str(booking.uid),
        "office_hours": booking.slot.office_hours_id,
        "mentor": _person(booking.mentor),
        "mentee": _person(booking.mentee),
        "start": when(booking.start),
        "end": when(booking.end),
        "seat": booking.seat,
        "state": str(booking.state),
        "topic": str(booking.topic),
        "question": str(booking.question),
        "ask": booking.ask_id,
        "place": str(booking.location),
        "location": str(booking.location),
        "sequence": booking.sequence,
        "from_waitlist": bool(booking.from_waitlist),
        "cancelled_at": when(booking.cancelled_at),
        "cancelled_by": _person(booking.cancelled_by) if booking.cancelled_by_id else None,
        "cancel_reason": str(booking.cancel_reason),
        "late_cancellation": bool(booking.late_cancellation),
        "created_at": when(booking.created_at),
        "history": [
            {
                "kind": str(event.kind),
                "actor": _person(event.actor) if event.actor_id else None,
                "from_start": when(event.from_start),
                "to_start": when(event.to_start),
                "reason": str(event.reason),
                "late": bool(event.late),
                "created_at": when(event.created_at),
            }
            for event in booking.events.all()
        ],
        "session": session_id(booking),
    }


class BookingInputSerializer(KnownFieldsOnly, serializers.Serializer):
    office_hours = serializers.IntegerField(help_text="The block's id.")
    start = serializers.DateTimeField(
        validators=[validate_in_range],
        help_text="The slot's start, with its offset (e.g. from the slots list).",
    )
    topic = serializers.CharField(max_length=MAX_TOPIC)
    question = serializers.CharField(max_length=MAX_QUESTION, required=False, allow_blank=True, default="")
    ask = serializers.IntegerField(
        required=False, allow_null=True, help_text="An accepted call ask to schedule."
    )


class ReasonSerializer(KnownFieldsOnly, serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_REASON)


class RescheduleSerializer(ReasonSerializer):
    office_hours = serializers.IntegerField(help_text="A block of the same mentor.")
    start = serializers.DateTimeField(validators=[validate_in_range])


class WaitlistEntrySerializer(serializers.ModelSerializer):
    start = serializers.DateTimeField(source="slot.start", read_only=True)
    office_hours = serializers.IntegerField(source="slot.office_hours_id", read_only=True)
    mentor = PersonRefSerializer(source="slot.mentor", read_only=True)

    class Meta:
        model = WaitlistEntry
        fields = [
            "id",
            "office_hours",
            "mentor",
            "start",
            "topic",
            "question",
            "state",
            "booking",
            "created_at",
        ]


class WaitlistInputSerializer(KnownFieldsOnly, serializers.Serializer):
    office_hours = serializers.IntegerField()
    start = serializers.DateTimeField(validators=[validate_in_range])
    topic = serializers.CharField(max_length=MAX_TOPIC)
    question = serializers.CharField(max_length=MAX_QUESTION, required=False, allow_blank=True, default="")


class TimeOffSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    class Meta:
        model = TimeOff
        fields = ["id", "office_hours", "start_date", "end_date", "note", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "office_hours": {"required": False},
            "start_date": {"validators": [validate_in_range]},
            "end_date": {"required": False, "validators": [validate_in_range]},
        }


class CalendarSerializer(NeededInPatch, KnownFieldsOnly, serializers.Serializer):
    feed_url = serializers.CharField(read_only=True, help_text="Private: anyone with it sees your sessions.")
    reminder_minutes = ListField(
        child=serializers.ChoiceField(choices=REMINDER_CHOICES),
        max_length=len(REMINDER_CHOICES),
        help_text="Minutes before, among those on offer: e.g. [1440, 15].",
    )
