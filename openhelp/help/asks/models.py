"""An ask: a mentee's focused request for help, its lifecycle timeline and its message thread."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.markdown import render_markdown


class AskState(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open — looking for experts"
    OFFERED = "offered", "Offered to experts"
    ACCEPTED = "accepted", "Accepted"
    SCHEDULED = "scheduled", "Scheduled"
    ANSWERED = "answered", "Answered"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"
    UNMATCHED = "unmatched", "No expert found"


class Urgency(models.TextChoices):
    TODAY = "today", "Today"
    THIS_WEEK = "this_week", "This week"
    FLEXIBLE = "flexible", "Flexible"

    @property
    def phrase(self) -> str:
        """The urgency said on its own, on a card or in a message: "This week" alone reads as a deadline,
        a capacity or a date range; "Needed this week" says whose need it is."""
        return URGENCY_PHRASES[self]


URGENCY_PHRASES = {
    Urgency.TODAY: "Needed today",
    Urgency.THIS_WEEK: "Needed this week",
    Urgency.FLEXIBLE: "No rush",
}


class AskFormat(models.TextChoices):
    ASYNC = "async", "Async answer"
    CALL_15 = "call15", "15-minute call"
    CALL_30 = "call30", "30-minute call"
    CALL_60 = "call60", "60-minute call"


class AskMode(models.TextChoices):
    ROUTED = "routed", "Routed — find the experts for me"
    DIRECTED = "directed", "Directed — ask one person"


class AskQuerySet(models.QuerySet["Ask"]):
    def asked_by(self, user) -> AskQuerySet:
        """Asks this person wrote or co-asks (the "my asks" list)."""
        if not user.is_authenticated:
            return self.none()
        # One id list from two indexes (mentee, co-askers) joined to the asks: an OR of the two would be a
        # filter on every ask, read in full.
        co_asked = Ask.co_askers.through.objects.filter(user_id=user.pk).order_by().values("ask_id")
        written = Ask.objects.filter(mentee_id=user.pk).order_by().values("pk")
        return self.filter(pk__in=written.union(co_asked))

    def involving(self, user) -> AskQuerySet:
        """Asks this person may open: as mentee, co-asker or accepted helper. Anyone else gets a 404."""
        if not user.is_authenticated:
            return self.none()
        co_asked = Ask.co_askers.through.objects.filter(user_id=user.pk).values("ask_id")
        return self.filter(
            models.Q(mentee_id=user.pk) | models.Q(helper_id=user.pk) | models.Q(pk__in=co_asked)
        )


class Ask(models.Model):
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asks")
    title = models.CharField(max_length=120)
    objective = models.CharField(max_length=300, help_text="By the end I can …")
    context = models.TextField(blank=True, help_text="Context and what you tried (Markdown).")
    preparation_questions = models.JSONField(default=list, help_text="1–5 questions.")
    skills = models.ManyToManyField("skills.Skill", related_name="asks")
    format = models.CharField(max_length=10, choices=AskFormat.choices, default=AskFormat.CALL_30)
    languages = models.ManyToManyField("people.Language", blank=True, related_name="asks")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.THIS_WEEK)
    needed_by = models.DateField(null=True, blank=True)
    mode = models.CharField(max_length=10, choices=AskMode.choices, default=AskMode.ROUTED)
    directed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directed_asks",
    )
    wants_known_mentor = models.BooleanField(default=False, help_text="Prefer someone I have met before.")
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asks",
        help_text="Scope the ask to one of my programmes: its members and rules then apply.",
    )
    co_askers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="co_asks")

    state = models.CharField(max_length=10, choices=AskState.choices, default=AskState.DRAFT, db_index=True)
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="helped_asks"
    )
    routing_round = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    scheduled_place = models.CharField(max_length=300, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    created_at = models.DateTimeField(default=now)
    published_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AskQuerySet.as_manager()
    # Not a column: the timeline entry a workflow just wrote, left on the instance it returns (lifecycle).
    latest_event: AskEvent

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "urgency", "accepted_at"])]

    def __str__(self) -> str:
        return self.title

    def waits_for_first_round(self) -> bool:
        """Published to be routed, and not offered to anyone yet: the worker is finding the experts."""
        return self.state == AskState.OPEN and self.mode == AskMode.ROUTED and self.routing_round == 0

    def is_participant(self, user) -> bool:
        """Mentee, co-askers and the accepted helper see the ask, its thread and its session."""
        if not user.is_authenticated:
            return False
        return user.pk in {self.mentee_id, self.helper_id} or self.co_askers.filter(pk=user.pk).exists()

    @property
    def is_editable(self) -> bool:
        return self.state in {AskState.DRAFT, AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED}

    @property
    def urgency_phrase(self) -> str:
        """The urgency as a card says it: "Needed this week" (the form's "This week" needs its question)."""
        return Urgency(self.urgency).phrase

    @property
    def is_call(self) -> bool:
        return self.format != AskFormat.ASYNC

    @cached_property
    def context_html(self) -> SafeString:
        return render_markdown(self.context)


class CoAskerInvitation(models.Model):
    """The mentee asked someone to co-ask. Nobody becomes a co-asker without saying yes: until they accept
    they see the ask's title and who asked them, and nothing else (not its context, thread or session).
    Accepting deletes the invitation and adds them to ``Ask.co_askers``; declining, or leaving later,
    keeps a declined row so that they are not asked again."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        DECLINED = "declined", "Declined"

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="co_asker_invitations")
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="co_asker_invitations"
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "invitee"], name="co_asker_invitation_once_per_person")
        ]

    def __str__(self) -> str:
        return f"Co-asker invitation {self.pk} on ask {self.ask_id}"


class AskEvent(models.Model):
    """The timeline: every state change (and notable step) with who, when and why."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_state = models.CharField(max_length=10, choices=AskState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=AskState.choices, blank=True)
    kind = models.CharField(max_length=40, default="transition")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ask_id}: {self.from_state} → {self.to_state}"


class Message(models.Model):
    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ask_messages"
    )
    body = models.TextField(help_text="Markdown.")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "id"]
        # The ask page reads the latest messages of one thread, newest first (asks.views.thread_page).
        indexes = [models.Index(fields=["ask", "created_at", "id"], name="ask_message_thread_idx")]

    def __str__(self) -> str:
        return f"Message {self.pk} on ask {self.ask_id}"

    @cached_property
    def body_html(self) -> SafeString:
        return render_markdown(self.body)
