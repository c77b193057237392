"""A session: one micro-mentoring interaction (from an accepted ask or a booking) and what it leaves
behind — its agenda, shared notes, each participant's private notes, the debrief and who turned up.

Private notes are the one thing here nobody but their author may ever read: they are not in the admin,
not in e-mails, feeds, exports of anyone else's data, search or figures for organisers.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.markdown import render_markdown

MAX_NOTES = 20_000
MAX_TAKEAWAYS = 10
MAX_RESOURCES = 10


class SessionState(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class SessionFormat(models.TextChoices):
    ASYNC = "async", "Async (in messages)"
    CALL = "call", "Call"
    OFFICE_HOURS = "office_hours", "Office-hours drop-in"


class SessionQuerySet(models.QuerySet["Session"]):
    def involving(self, user) -> SessionQuerySet:
        """Sessions this person takes part in. Everyone else — organisers included — gets a 404."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(mentee_id=user.pk) | models.Q(mentor_id=user.pk))


class Session(models.Model):
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions_as_mentee"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions_as_mentor"
    )
    ask = models.OneToOneField(
        "asks.Ask", null=True, blank=True, on_delete=models.SET_NULL, related_name="session"
    )
    booking = models.OneToOneField(
        "officehours.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="session"
    )
    title = models.CharField(max_length=120)
    skills = models.ManyToManyField("skills.Skill", blank=True, related_name="sessions")
    format = models.CharField(max_length=12, choices=SessionFormat.choices, default=SessionFormat.CALL)
    starts_at = models.DateTimeField(null=True, blank=True, help_text="Empty for an async session.")
    ends_at = models.DateTimeField(null=True, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    objective = models.CharField(max_length=300, blank=True, help_text="By the end I can …")
    preparation_questions = models.JSONField(default=list, blank=True)
    agenda_template = models.CharField(max_length=20, blank=True)
    state = models.CharField(
        max_length=10, choices=SessionState.choices, default=SessionState.PLANNED, db_index=True
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    debrief_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["mentee", "starts_at"]),
            models.Index(fields=["mentor", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentee=models.F("mentor")), name="session_two_different_people"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_participant(self, user) -> bool:
        return user.is_authenticated and user.pk in (self.mentee_id, self.mentor_id)

    def other_side(self, user):
        return self.mentor if user.pk == self.mentee_id else self.mentee

    @property
    def is_async(self) -> bool:
        return self.format == SessionFormat.ASYNC

    @property
    def is_cancelled(self) -> bool:
        return self.state == SessionState.CANCELLED

    def has_ended(self, moment=None) -> bool:
        """Past the planned end (attendance can be reported); an async session never 'ends' by the clock."""
        return self.ends_at is not None and self.ends_at <= (moment or now())


class AgendaStep(models.Model):
    """One step of the session's plan, ticked off during the call."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)
    hint = models.CharField(max_length=300, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class SharedNote(models.Model):
    """The notes both participants write. ``version`` rises with every save; a save made from an older
    version is refused (never overwrites), so two people typing at once cannot lose each other's words."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="shared_note")
    body = models.TextField(blank=True, max_length=MAX_NOTES, help_text="Markdown.")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Shared notes of session {self.session_id} (v{self.version})"

    @cached_property
    def body_html(self) -> SafeString:
        return render_markdown(self.body)


class PrivateNote(models.Model):
    """One participant's own notes on a session. Only ``author`` ever reads them."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(blank=True, max_length=MAX_NOTES)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="private_note_once_per_author")
        ]

    def __str__(self) -> str:
        # Never the body: this string ends up in logs and admin history.
        return f"Private note {self.pk}"

    def __repr__(self) -> str:
        return f"<PrivateNote {self.pk}>"


class Outcome(models.TextChoices):
    SOLVED = "solved", "Solved"
    PARTLY = "partly", "Partly solved"
    NOT_YET = "not_yet", "Not yet"


class Debrief(models.Model):
    """What a session leaves behind. Takeaways and resources may be published to the library when both
    people consent; the rating and the private feedback to the mentor never are."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="debrief")
    takeaways = models.JSONField(default=list, blank=True, help_text="A short list of sentences.")
    resources = models.JSONField(default=list, blank=True, help_text='[{"title": …, "url": "https://…"}]')
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback_to_mentor = models.TextField(blank=True, max_length=2000)
    mentee_consents_to_publish = models.BooleanField(default=False)
    mentor_consents_to_publish = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="debrief_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"Debrief of session {self.session_id}"

    @property
    def both_consent(self) -> bool:
        return self.mentee_consents_to_publish and self.mentor_consents_to_publish


class AttendanceKind(models.TextChoices):
    HAPPENED = "happened", "It happened"
    NO_SHOW = "no_show", "The other person did not come"


class Attendance(models.Model):
    """What one participant says about whether the session took place (one statement each)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AttendanceKind.choices)
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="no_shows",
        help_text="For a no-show: who did not come.",
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["absent", "kind", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["session", "reporter"], name="attendance_once_per_reporter")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (session {self.session_id})"


class BookingPauseLift(models.Model):
    """An organiser lifted a no-show pause: no-shows reported before ``created_at`` no longer count."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pause_lifts")
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Pause lifted for {self.user_id}"
