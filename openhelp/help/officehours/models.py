"""Office hours: a mentor's recurring blocks, time off, the held slots, bookings and their history,
waiting lists, reminders, personal calendar feeds and API idempotency keys.

Times are stored in UTC. A block keeps its rule in the mentor's local wall-clock time and zone; slots are
expanded from it (officehours.slots) and only become rows (``Slot``) once somebody books one.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.timezones import validate_timezone

SLOT_MINUTES = (10, 60)
BUFFER_MINUTES = (0, 60)
SEATS = (1, 20)
HORIZON_WEEKS = (1, 8)
MAX_NOTICE_MINUTES = 7 * 24 * 60
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_REMINDERS = (24 * 60, 15)


class LocationKind(models.TextChoices):
    MEETING_LINK = "meeting_link", "My meeting link (from my profile)"
    ROOM = "room", "A video room generated for each slot"
    PLACE = "place", "A place (room, address)"
    CHAT = "chat", "Chat (we talk in messages)"


class OfficeHoursQuerySet(models.QuerySet["OfficeHours"]):
    def open_to(self, user) -> OfficeHoursQuerySet:
        """Blocks this person may see and book: everyone's, and those of programmes they belong to."""
        everyone = models.Q(programme__isnull=True)
        if not getattr(user, "is_authenticated", False):
            return self.filter(everyone)
        return self.filter(everyone | models.Q(programme__memberships__user_id=user.pk))


class OfficeHours(models.Model):
    """One recurring block: weekdays, a local start and end in a zone, cut into bookable slots."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hours"
    )
    title = models.CharField(max_length=80, blank=True, help_text="e.g. “Django drop-in”.")
    weekdays = models.JSONField(default=list, help_text="0 = Monday … 6 = Sunday.")
    start_time = models.TimeField()
    end_time = models.TimeField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    slot_minutes = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(SLOT_MINUTES[0]), MaxValueValidator(SLOT_MINUTES[1])]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(BUFFER_MINUTES[0]), MaxValueValidator(BUFFER_MINUTES[1])]
    )
    seats = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(SEATS[0]), MaxValueValidator(SEATS[1])]
    )
    skills = models.ManyToManyField("skills.Skill", blank=True, related_name="office_hours")
    location_kind = models.CharField(
        max_length=20, choices=LocationKind.choices, default=LocationKind.MEETING_LINK
    )
    place = models.CharField(max_length=200, blank=True, help_text="Where, for a place.")
    room_code = models.CharField(max_length=32, editable=False, default="", blank=True)
    horizon_weeks = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(HORIZON_WEEKS[0]), MaxValueValidator(HORIZON_WEEKS[1])]
    )
    min_notice_minutes = models.PositiveIntegerField(
        default=120, validators=[MaxValueValidator(MAX_NOTICE_MINUTES)]
    )
    daily_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    is_active = models.BooleanField(default=True)
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="office_hours",
        help_text="Scope these office hours to one of my programmes: its cancellation rules then apply.",
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfficeHoursQuerySet.as_manager()

    class Meta:
        ordering = ["mentor_id", "start_time", "pk"]
        verbose_name_plural = "office hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=SLOT_MINUTES[0], slot_minutes__lte=SLOT_MINUTES[1]),
                name="office_hours_slot_10_60",
            ),
            models.CheckConstraint(
                condition=models.Q(seats__gte=SEATS[0], seats__lte=SEATS[1]), name="office_hours_seats_1_20"
            ),
            models.CheckConstraint(
                condition=models.Q(horizon_weeks__gte=1, horizon_weeks__lte=8),
                name="office_hours_horizon_1_8",
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="office_hours_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Office hours of {self.mentor}"

    def save(self, *args, **kwargs) -> None:
        if not self.room_code:
            self.room_code = secrets.token_hex(8)
        super().save(*args, **kwargs)

    @property
    def weekday_names(self) -> list[str]:
        return [WEEKDAY_NAMES[day] for day in sorted(self.weekdays)]

    @property
    def label(self) -> str:
        return self.title or "Office hours"


class TimeOff(models.Model):
    """Skip one date or a holiday range: for one block, or for all the mentor's blocks (block empty)."""

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off")
    office_hours = models.ForeignKey(
        OfficeHours, null=True, blank=True, on_delete=models.CASCADE, related_name="time_off"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    note = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="time_off_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} off {self.start_date}–{self.end_date}"


class Slot(models.Model):
    """A slot somebody booked: the mentor's time, committed while ``held``.

    Rows exist only for booked slots. A slot that loses its last booking stays (its bookings keep their
    history) but is no longer held. ``office_hours`` is empty for a call agreed for an ask.
    On PostgreSQL an exclusion constraint (migration 0002) forbids two held slots of one mentor that
    overlap in time; on every database a unique index forbids two held slots starting together.
    """

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slots")
    office_hours = models.ForeignKey(
        OfficeHours, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    seats = models.PositiveSmallIntegerField(default=1)
    held = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["mentor", "start"]), models.Index(fields=["held", "start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["office_hours", "start"],
                condition=models.Q(office_hours__isnull=False),
                name="slot_once_per_block_and_start",
            ),
            models.UniqueConstraint(
                fields=["mentor", "start"], condition=models.Q(held=True), name="slot_held_once_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} {self.start:%Y-%m-%d %H:%M} UTC"


class BookingState(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


class BookingQuerySet(models.QuerySet["Booking"]):
    def involving(self, user) -> BookingQuerySet:
        """Bookings this person may open: as the mentee or the mentor. Anyone else gets a 404."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(mentee_id=user.pk) | models.Q(mentor_id=user.pk))

    def confirmed(self) -> BookingQuerySet:
        return self.filter(state=BookingState.CONFIRMED)


class Booking(models.Model):
    """One mentee's seat in a slot. Rescheduling moves it (same uid, sequence + 1) and logs the move."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # RESTRICT, not PROTECT: a slot with bookings cannot be deleted on its own, but deleting a mentor's
    # account deletes their slots and the bookings in them together.
    slot = models.ForeignKey(Slot, on_delete=models.RESTRICT, related_name="bookings")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings_as_mentee"
    )
    seat = models.PositiveSmallIntegerField(default=1)
    # Copies of the slot's times: the mentee-side exclusion constraint needs them on this row.
    start = models.DateTimeField()
    end = models.DateTimeField()
    state = models.CharField(max_length=10, choices=BookingState.choices, default=BookingState.CONFIRMED)
    topic = models.CharField(max_length=120)
    question = models.TextField(max_length=1000, blank=True)
    ask = models.ForeignKey(
        "asks.Ask", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    location = models.CharField(max_length=300, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="Raised on every change (iCalendar SEQUENCE)."
    )
    from_waitlist = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings_cancelled",  # read by attendance (reliability: late cancellations)
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    late_cancellation = models.BooleanField(default=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["mentee", "start"]),
            models.Index(fields=["mentor", "start"]),
            models.Index(fields=["state", "start"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "seat"],
                condition=models.Q(state="confirmed"),
                name="booking_one_person_per_seat",
            ),
            models.UniqueConstraint(
                fields=["slot", "mentee"],
                condition=models.Q(state="confirmed"),
                name="booking_one_seat_per_person",
            ),
            models.CheckConstraint(condition=models.Q(seat__gte=1), name="booking_seat_from_1"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="booking_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} with {self.mentor} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def is_confirmed(self) -> bool:
        return self.state == BookingState.CONFIRMED

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def is_upcoming(self, moment: dt.datetime | None = None) -> bool:
        return self.is_confirmed and self.end > (moment or now())

    def other_side(self, user):
        return self.mentor if user.pk == self.mentee_id else self.mentee


class BookingEvent(models.Model):
    """The history of a booking: booked, promoted, rescheduled (from → to), cancelled; who and why."""

    class Kind(models.TextChoices):
        BOOKED = "booked", "Booked"
        PROMOTED = "promoted", "Got a seat from the waiting list"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_start = models.DateTimeField(null=True, blank=True)
    to_start = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    late = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.kind}"


class WaitlistState(models.TextChoices):
    WAITING = "waiting", "Waiting"
    PROMOTED = "promoted", "Got a seat"
    LEFT = "left", "Left the list"
    LAPSED = "lapsed", "The slot passed"


class WaitlistEntry(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="waitlist")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist")
    topic = models.CharField(max_length=120)
    question = models.TextField(max_length=1000, blank=True)
    state = models.CharField(max_length=10, choices=WaitlistState.choices, default=WaitlistState.WAITING)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waiting list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "mentee"],
                condition=models.Q(state="waiting"),
                name="waitlist_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee} waits for {self.slot}"


class Reminder(models.Model):
    """A reminder planned for one booking, recipient and offset, valid for one ``sequence`` of the booking.

    A reschedule raises the booking's sequence, so reminders planned before it no longer match and are
    skipped; ``sent_at`` is claimed with a conditional UPDATE, so a reminder goes out at most once.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes_before = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "recipient", "minutes_before", "sequence"], name="reminder_planned_once"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.minutes_before} min before booking {self.booking_id}"


def _default_reminders() -> list[int]:
    return list(DEFAULT_REMINDERS)


def _feed_key() -> str:
    return secrets.token_urlsafe(12)


def _feed_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


class PersonalCalendar(models.Model):
    """A person's private calendar feed address and their reminder choices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_calendar"
    )
    feed_key = models.CharField(max_length=32, unique=True, default=_feed_key)
    # Kept readable so the address can be shown again; anyone able to read this column can read the
    # bookings themselves, so hashing it would protect nothing the feed reveals.
    feed_secret = models.CharField(max_length=64, default=_feed_secret)
    reminder_minutes = models.JSONField(default=_default_reminders, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"


class IdempotencyKey(models.Model):
    """A booking POST made with an Idempotency-Key: the retry gets the same booking back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class TimeProposal(models.Model):
    """Up to three times a mentor proposes for an accepted call ask; the mentee picks one."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for a choice"
        CHOSEN = "chosen", "A time was chosen"
        WITHDRAWN = "withdrawn", "Withdrawn"

    ask = models.ForeignKey("asks.Ask", on_delete=models.CASCADE, related_name="time_proposals")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Times for ask {self.ask_id}"


class ProposedTime(models.Model):
    proposal = models.ForeignKey(TimeProposal, on_delete=models.CASCADE, related_name="times")
    start = models.DateTimeField()

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} UTC"
