"""API shapes for sessions. Private notes have their own serializer, only ever fed the caller's own note."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from openhelp.directory.people.api import PersonRefSerializer
from openhelp.help.mentoring import agenda
from openhelp.help.mentoring.attendance import MAX_LIFT_NOTE, reliability_for
from openhelp.help.mentoring.debriefs import MAX_TAKEAWAY
from openhelp.help.mentoring.lifecycle import JOIN_OPENS_BEFORE, Phase, available
from openhelp.help.mentoring.models import (
    MAX_RESOURCES,
    MAX_TAKEAWAYS,
    AgendaStep,
    Attendance,
    AttendanceKind,
    Debrief,
    Outcome,
    Session,
    SessionFormat,
    SessionState,
    SharedNote,
)
from openhelp.platform.api.fields import BooleanField, ListField, WordedCharField
from openhelp.platform.api.known_fields import KnownFieldsOnly, NeededInPatch


class SessionSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class AgendaStepSerializer(serializers.ModelSerializer):
    done = BooleanField(source="is_done")

    class Meta:
        model = AgendaStep
        fields = ["id", "position", "title", "hint", "minutes", "done", "done_at"]


class SessionSerializer(serializers.ModelSerializer):
    mentee = PersonRefSerializer()
    mentor = PersonRefSerializer()
    ask = serializers.IntegerField(source="ask_id", allow_null=True)
    booking = serializers.IntegerField(source="booking_id", allow_null=True)
    skills = SessionSkillSerializer(many=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "title",
            "mentee",
            "mentor",
            "ask",
            "booking",
            "format",
            "state",
            "starts_at",
            "ends_at",
            "planned_minutes",
            "place",
            "objective",
            "preparation_questions",
            "skills",
            "agenda_template",
        ]


class SharedNotesSerializer(serializers.ModelSerializer):
    updated_by = PersonRefSerializer(allow_null=True)

    class Meta:
        model = SharedNote
        fields = ["body", "version", "updated_at", "updated_by"]


class AvailableSerializer(serializers.Serializer):
    """What the session page offers right now (``lifecycle.available``): the same rule, read-only."""

    phase = serializers.ChoiceField(
        choices=[phase.value for phase in Phase],
        help_text="unscheduled (a call with no time yet), before (the call link is not open yet), opening "
        f"(the link is open, from {JOIN_OPENS_BEFORE.seconds // 60} minutes before the start), during, async "
        "(an async session still going on), over (past the planned end, completed or cancelled).",
    )
    join = BooleanField(help_text="The call link (``place``) is open to join now.")
    join_opens_at = serializers.DateTimeField(
        allow_null=True, help_text="When the call link opens, while it is not open yet."
    )
    timer = BooleanField(help_text="The call is about to start or under way: time it.")
    edit_plan = BooleanField(
        help_text="The objective and questions can change (until it is completed or cancelled)."
    )
    debrief = BooleanField(source="debrief.is_open", help_text="The debrief is open.")
    debrief_opens_at = serializers.DateTimeField(
        source="debrief.opens_at",
        allow_null=True,
        help_text="When the debrief opens, if only its start is to come.",
    )
    kudos = BooleanField(help_text="Kudos can be given for this session (it has taken place).")
    follow_up = BooleanField(help_text="It is over: ask the mentor again or book their office hours.")
    attendance = BooleanField(help_text="Whether it happened can be reported (after the planned end).")


class SessionDetailSerializer(SessionSerializer):
    steps = AgendaStepSerializer(many=True)
    shared_notes = SharedNotesSerializer(source="shared_note")
    available = serializers.SerializerMethodField(help_text="Which actions are open now.")
    other_reliability = serializers.SerializerMethodField(
        help_text='The other person\'s record, e.g. "attended 12 of 12, 1 late cancellation".'
    )

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "steps", "shared_notes", "other_reliability", "available"]

    @extend_schema_field(AvailableSerializer)
    def get_available(self, session: Session) -> dict:
        return AvailableSerializer(available(session)).data

    def get_other_reliability(self, session: Session) -> str:

        return str(reliability_for(session.other_side(self.context["request"].user)))


class PlanInputSerializer(KnownFieldsOnly, serializers.Serializer):
    objective = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    preparation_questions = ListField(
        child=serializers.CharField(allow_blank=True, max_length=1000), required=False, max_length=50
    )


class AgendaTemplateSerializer(KnownFieldsOnly, serializers.Serializer):
    template = serializers.ChoiceField(choices=agenda.CHOICES)


class AgendaStepInputSerializer(KnownFieldsOnly, serializers.Serializer):
    title = serializers.CharField(max_length=500)
    minutes = serializers.IntegerField(required=False, allow_null=True)


class AgendaTickSerializer(NeededInPatch, KnownFieldsOnly, serializers.Serializer):
    done = BooleanField()


class SharedNotesInputSerializer(KnownFieldsOnly, serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=100_000)
    version = serializers.IntegerField(
        help_text="The version the text was edited from. A stale version is a 409 with both texts."
    )


class SharedNotesConflictSerializer(serializers.Serializer):
    """The 409 body of a stale save: nothing was written; merge ``yours`` into ``current`` and save again."""

    error = serializers.DictField()
    current = SharedNotesSerializer()
    yours = serializers.CharField()


class PrivateNoteSerializer(KnownFieldsOnly, serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=100_000)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class DebriefResourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="https:// only.")


class DebriefSerializer(serializers.ModelSerializer):
    takeaways = serializers.ListField(child=serializers.CharField(), read_only=True)
    resources = DebriefResourceSerializer(many=True)

    class Meta:
        model = Debrief
        fields = [
            "takeaways",
            "resources",
            "outcome",
            "rating",
            "feedback_to_mentor",
            "mentee_consents_to_publish",
            "mentor_consents_to_publish",
            "published_at",
        ]


# A bound on each part of a resource, far above any real link; the title's own limit is the debrief's.
MAX_RESOURCE_FIELD = 2000


class DebriefResourceInputSerializer(KnownFieldsOnly, serializers.Serializer):
    """One resource: a misnamed key is an error, not a blank row dropped quietly. The lengths and the https
    rule are the debrief's to check, in its words ("Resource 2: give it a title")."""

    title = serializers.CharField(max_length=MAX_RESOURCE_FIELD, required=False, allow_blank=True, default="")
    url = serializers.CharField(
        max_length=MAX_RESOURCE_FIELD,
        required=False,
        allow_blank=True,
        default="",
        help_text="https:// only.",
    )


class DebriefInputSerializer(KnownFieldsOnly, serializers.Serializer):
    """Send only what changes. ``rating`` and ``feedback_to_mentor`` are the mentee's;
    ``consents_to_publish`` is the caller's own consent."""

    takeaways = ListField(
        # Each one's length is the debrief's to check, in its words ("Takeaway 2 is too long …").
        child=WordedCharField(max_chars=MAX_TAKEAWAY, allow_blank=True),
        max_length=MAX_TAKEAWAYS,
        required=False,
    )
    resources: serializers.ListSerializer = serializers.ListSerializer(
        child=DebriefResourceInputSerializer(), max_length=MAX_RESOURCES, required=False
    )
    outcome = serializers.ChoiceField(choices=[("", "—"), *Outcome.choices], required=False, allow_blank=True)
    rating = serializers.IntegerField(required=False, allow_null=True)
    feedback_to_mentor = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    consents_to_publish = BooleanField(required=False)


class AttendanceSerializer(serializers.ModelSerializer):
    reporter = PersonRefSerializer()
    absent = PersonRefSerializer(allow_null=True)

    class Meta:
        model = Attendance
        fields = ["reporter", "kind", "absent", "created_at"]


class AttendanceInputSerializer(KnownFieldsOnly, serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttendanceKind.choices)


class EndorseInputSerializer(KnownFieldsOnly, serializers.Serializer):
    skill = serializers.IntegerField(help_text="One of the session's skills.")


class BookingPauseSerializer(serializers.Serializer):
    paused = BooleanField()
    reason = serializers.CharField(allow_null=True)
    reliability = serializers.CharField()


class PausedPersonSerializer(serializers.Serializer):
    person = PersonRefSerializer()
    missed = serializers.IntegerField(help_text="Counted no-shows in the policy's window.")


class LiftInputSerializer(KnownFieldsOnly, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_LIFT_NOTE, default="")


class PauseLiftSerializer(serializers.Serializer):
    person = PersonRefSerializer(source="user")
    lifted_by = PersonRefSerializer()
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


# The document ``export.export_for`` builds, as the web's export.json serves it (documentation only: the
# API returns that dict itself). "with" is a keyword, hence the inline serializers.
EXPORT_DEBRIEF = inline_serializer(
    "SessionExportDebrief",
    allow_null=True,
    fields={
        "takeaways": serializers.ListField(child=serializers.CharField()),
        "resources": DebriefResourceSerializer(many=True),
        "outcome": serializers.CharField(allow_blank=True),
        "rating": serializers.IntegerField(allow_null=True),
        "feedback_to_mentor": serializers.CharField(allow_blank=True),
    },
)
EXPORT_SESSION = inline_serializer(
    "SessionExportRow",
    many=True,
    fields={
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "role": serializers.CharField(help_text="mentee or mentor: the exporter's side."),
        "with": serializers.CharField(help_text="The other person's display name."),
        "format": serializers.ChoiceField(choices=SessionFormat.choices),
        "state": serializers.ChoiceField(choices=SessionState.choices),
        "starts_at": serializers.DateTimeField(allow_null=True),
        "ends_at": serializers.DateTimeField(allow_null=True),
        "place": serializers.CharField(allow_blank=True),
        "objective": serializers.CharField(allow_blank=True),
        "preparation_questions": serializers.ListField(child=serializers.CharField(allow_blank=True)),
        "skills": serializers.ListField(child=serializers.CharField()),
        "agenda": inline_serializer(
            "SessionExportStep",
            many=True,
            fields={"title": serializers.CharField(), "done": BooleanField()},
        ),
        "shared_notes": serializers.CharField(allow_blank=True),
        "my_private_notes": serializers.CharField(
            allow_blank=True, help_text="The exporter's own; never the other side's."
        ),
        "debrief": EXPORT_DEBRIEF,
    },
)
SESSION_EXPORT = inline_serializer("SessionExport", fields={"sessions": EXPORT_SESSION})
