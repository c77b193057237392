"""REST API for asks: write, read, edit, publish, cancel, the thread, and every step of the lifecycle.

Only the mentee, co-askers and the accepted helper see an ask (anyone else: 404). A step the ask's state
does not allow is a 409 whose message says why; a step for another role is a 403; bad input is a 400 with
the field. The rules are the services' (asks.services), exactly as on the web.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from openhelp.directory.people.api import PersonRefSerializer, SkillReferenceField, SkillSummarySerializer
from openhelp.directory.people.models import Language
from openhelp.directory.programmes.models import Programme
from openhelp.help.asks import services
from openhelp.help.asks.display import CLOSED_STATES, status_text, timeline_rows, with_offer_counts
from openhelp.help.asks.estimates import Basis, no_history_text_for, remembered_wait
from openhelp.help.asks.lifecycle import AskConflict
from openhelp.help.asks.models import Ask, AskFormat, AskState, Message, Urgency
from openhelp.help.asks.suggest import candidate_preview, suggest_skills
from openhelp.help.asks.validation import (
    MAX_CO_ASKERS,
    MAX_CONTEXT,
    MAX_MESSAGE,
    MAX_OBJECTIVE,
    MAX_PLACE,
    MAX_QUESTION,
    MAX_QUESTIONS,
    MAX_REASON,
    MAX_SKILLS,
    MAX_TITLE,
)
from openhelp.platform.api.conditional import ConditionalEdits
from openhelp.platform.api.errors import ERROR_BODY, Conflict
from openhelp.platform.api.fields import BooleanField, DeprecatedAlias, ListField
from openhelp.platform.api.idempotency import IdempotentCreates
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.params import query_flag
from openhelp.platform.api.responses import created

TAGS = ["asks"]
# More languages than anyone speaks; the list is only ever a handful.
MAX_LANGUAGES = 20
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    403: OpenApiResponse(ERROR_BODY, description="Your role on this ask does not allow this step."),
    404: OpenApiResponse(ERROR_BODY, description="No such ask, or it is not yours to see."),
    409: OpenApiResponse(ERROR_BODY, description="The ask's current state does not allow this step."),
    429: OpenApiResponse(
        ERROR_BODY,
        description="Too many asks published today, messages this hour or co-askers invited today "
        "(help.asks.limits); the message says when to try again.",
    ),
}


# --- Output --------------------------------------------------------------------------------------------


class AskSerializer(serializers.ModelSerializer):
    mentee = PersonRefSerializer(read_only=True)
    helper = PersonRefSerializer(read_only=True, allow_null=True)
    directed_to = PersonRefSerializer(read_only=True, allow_null=True)
    co_askers = PersonRefSerializer(many=True, read_only=True)
    skills = SkillSummarySerializer(many=True, read_only=True)
    languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    status = serializers.SerializerMethodField(help_text="Where the ask stands, in one sentence.")
    offered_count = serializers.SerializerMethodField(
        help_text="To how many experts it is offered now (never who)."
    )
    context_html = serializers.CharField(read_only=True, help_text="The context, rendered and sanitised.")
    place = serializers.CharField(
        source="scheduled_place",
        read_only=True,
        help_text="Where the call agreed is: a link, a room, a phone.",
    )
    scheduled_place = DeprecatedAlias(of="place")
    is_editable = BooleanField(read_only=True)
    programme = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The programme the ask is scoped to, if any."
    )
    session = serializers.SerializerMethodField(
        help_text="Its session (`GET /api/v1/sessions/{id}/`), for the mentee and the expert helping; null "
        "for co-askers and until an expert accepts."
    )

    class Meta:
        model = Ask
        fields = [
            "id",
            "title",
            "objective",
            "context",
            "context_html",
            "preparation_questions",
            "skills",
            "format",
            "languages",
            "urgency",
            "needed_by",
            "mode",
            "programme",
            "wants_known_mentor",
            "mentee",
            "directed_to",
            "co_askers",
            "helper",
            "state",
            "state_label",
            "status",
            "offered_count",
            "is_editable",
            "scheduled_for",
            "place",
            "scheduled_place",
            "cancel_reason",
            "created_at",
            "published_at",
            "accepted_at",
            "closed_at",
            "session",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_session(self, ask: Ask) -> int | None:
        """The session mentoring made for the ask (its ``session`` relation), shown to its two people."""
        request = self.context.get("request")
        try:
            session = ask.session
        except ObjectDoesNotExist:
            return None
        people = {session.mentee_id, session.mentor_id}
        return session.pk if request is not None and request.user.pk in people else None

    def get_offered_count(self, ask: Ask) -> int:
        return getattr(ask, "offered_count", 0) if ask.state == AskState.OFFERED else 0

    def get_status(self, ask: Ask) -> str:
        return status_text(ask, offered=self.get_offered_count(ask))


class EstimatedWaitSerializer(serializers.Serializer):
    seconds = serializers.IntegerField(
        allow_null=True, help_text="Median wait of the recent asks named by basis; null without any history."
    )
    sample_size = serializers.IntegerField()
    basis = serializers.ChoiceField(
        choices=Basis.choices,
        allow_null=True,
        help_text="Which recent asks the median is of: like this one (a shared skill and the same urgency), "
        "a shared skill at any urgency, or the whole organisation; null without any history.",
    )
    text = serializers.CharField(help_text="The estimate in words, or what happens next without history.")


class AskDetailSerializer(AskSerializer):
    estimated_wait = serializers.SerializerMethodField()
    invited_co_askers = serializers.SerializerMethodField(
        help_text="Asked to co-ask, no answer yet (they join when they accept); shown to the mentee only."
    )

    class Meta(AskSerializer.Meta):
        fields = [*AskSerializer.Meta.fields, "estimated_wait", "invited_co_askers"]
        read_only_fields = fields

    @extend_schema_field(PersonRefSerializer(many=True))
    def get_invited_co_askers(self, ask: Ask) -> list[dict]:
        request = self.context.get("request")
        if request is None or not services.is_mentee(ask, request.user):
            return []
        joined = {user.pk for user in ask.co_askers.all()}
        invited = [user for user in services.invited_co_askers(ask) if user.pk not in joined]
        return PersonRefSerializer(invited, many=True).data

    @extend_schema_field(EstimatedWaitSerializer(allow_null=True))
    def get_estimated_wait(self, ask: Ask) -> dict | None:
        if ask.state not in {AskState.DRAFT, AskState.OPEN, AskState.OFFERED, AskState.UNMATCHED}:
            return None
        # Remembered a few minutes per (urgency, skills), as on Today: a 90-day median those minutes do
        # not move, and reading every recent similar ask is the costliest part of writing or publishing one.
        wait = remembered_wait(ask)
        if wait is None:
            return {"seconds": None, "sample_size": 0, "basis": None, "text": no_history_text_for(ask)}
        return {
            "seconds": int(wait.median.total_seconds()),
            "sample_size": wait.sample_size,
            "basis": wait.basis.value,
            "text": wait.text,
        }


class MessageSerializer(serializers.ModelSerializer):
    author = PersonRefSerializer(read_only=True)
    body_html = serializers.CharField(read_only=True, help_text="The body, rendered and sanitised.")

    class Meta:
        model = Message
        fields = ["id", "author", "body", "body_html", "created_at"]
        read_only_fields = ["id", "author", "body_html", "created_at"]


class TimelineEntrySerializer(serializers.Serializer):
    created_at = serializers.DateTimeField(source="event.created_at")
    kind = serializers.CharField(source="event.kind")
    from_state = serializers.CharField(source="event.from_state")
    to_state = serializers.CharField(source="event.to_state")
    what = serializers.CharField()
    who = serializers.CharField(help_text="A name, “You”, “An expert” or the platform.")
    note = serializers.CharField(source="event.note")


# --- Input ---------------------------------------------------------------------------------------------


def _active_users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


class AskInputSerializer(KnownFieldsOnly, serializers.Serializer):
    title = serializers.CharField(
        max_length=MAX_TITLE,
        allow_blank=True,
        required=False,
        help_text="Optional: left out or empty, it is the objective's first sentence (trimmed to fit).",
    )
    objective = serializers.CharField(
        max_length=MAX_OBJECTIVE, allow_blank=True, help_text="Finish the sentence “By the end I can …”."
    )
    context = serializers.CharField(
        max_length=MAX_CONTEXT, allow_blank=True, required=False, help_text="Markdown."
    )
    preparation_questions = ListField(
        child=serializers.CharField(max_length=MAX_QUESTION, allow_blank=True),
        max_length=MAX_QUESTIONS,
        min_items=1,
        help_text="One to five questions.",
    )
    skills = ListField(
        child=SkillReferenceField(),
        max_length=MAX_SKILLS,
        min_items=1,
        error_messages={
            "max_length": f"Choose at most {MAX_SKILLS} skills: a focused ask finds help faster."
        },
        help_text="One to five skills: ids, names or aliases.",
    )
    format = serializers.ChoiceField(choices=AskFormat.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    needed_by = serializers.DateField(allow_null=True, required=False)
    languages = ListField(
        child=serializers.SlugRelatedField(slug_field="code", queryset=Language.objects.all()),
        max_length=MAX_LANGUAGES,
        required=False,
        help_text="Language codes.",
    )
    wants_known_mentor = BooleanField(required=False)
    directed_to = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(),
        allow_null=True,
        required=False,
        help_text="A user id to ask this person directly (only while a draft); null for a routed ask.",
    )
    co_askers = ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=_active_users()),
        max_length=MAX_CO_ASKERS,
        error_messages={"max_length": f"Add at most {MAX_CO_ASKERS} co-askers."},
        required=False,
        help_text="Up to four user ids of teammates.",
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(),
        allow_null=True,
        required=False,
        # The same words whether it does not exist or is someone else's: ids are not probed.
        error_messages={"does_not_exist": "Choose one of your own programmes."},
        help_text="One of your programmes (its members and rules then apply), or null; only while a draft.",
    )


class CancelReasonSerializer(KnownFieldsOnly, serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_REASON, help_text="Why you cancel; the expert sees it.")


class MessageBodySerializer(KnownFieldsOnly, serializers.Serializer):
    body = serializers.CharField(max_length=MAX_MESSAGE, help_text="Markdown.")


class OptionalMessageBodySerializer(KnownFieldsOnly, serializers.Serializer):
    body = serializers.CharField(max_length=MAX_MESSAGE, allow_blank=True, required=False, default="")


class AgreedTimeSerializer(KnownFieldsOnly, serializers.Serializer):
    scheduled_for = serializers.DateTimeField(
        help_text="ISO 8601 with an offset, e.g. 2026-03-02T10:00:00+01:00."
    )
    place = serializers.CharField(max_length=MAX_PLACE, help_text="A meeting link, a room or a phone number.")


class CoAskersSerializer(KnownFieldsOnly, serializers.Serializer):
    co_askers = ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=_active_users()),
        max_length=MAX_CO_ASKERS,
        error_messages={"max_length": f"Add at most {MAX_CO_ASKERS} co-askers."},
    )


class SuggestSkillsInputSerializer(KnownFieldsOnly, serializers.Serializer):
    text = serializers.CharField(
        max_length=20_000, allow_blank=True, help_text="Title, objective and context."
    )
    skills = ListField(
        child=SkillReferenceField(),
        required=False,
        default=list,
        max_length=10,
        help_text="Skills already chosen.",
    )
    languages = ListField(
        child=serializers.SlugRelatedField(slug_field="code", queryset=Language.objects.all()),
        max_length=MAX_LANGUAGES,
        required=False,
        default=list,
    )


class SuggestSkillsOutputSerializer(serializers.Serializer):
    results = SkillSummarySerializer(
        many=True, help_text="Up to five skills the text mentions, not yet chosen."
    )
    experts_this_week = serializers.IntegerField(
        allow_null=True, help_text="Experts who could take it this week."
    )
    experts_text = serializers.CharField()


# --- Views ---------------------------------------------------------------------------------------------


def _asks_for(user) -> QuerySet[Ask]:
    return with_offer_counts(
        Ask.objects.involving(user)
        .select_related("mentee__profile", "helper__profile", "directed_to__profile", "session")
        .prefetch_related("skills", "languages", "co_askers__profile")
    )


def _run(step: Callable[[], object]):
    """Translate the services' domain errors into API errors (ValidationError is handled globally)."""
    try:
        return step()
    except AskConflict as error:
        raise Conflict(str(error)) from error
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error


class AskMixin:
    def get_ask(self) -> Ask:
        return get_object_or_404(_asks_for(self.request.user), pk=self.kwargs["pk"])

    def get_ask_to_change(self) -> Ask:
        """The visible ask, without the relations and counts only an answer shows (``respond`` reads
        them again after the change): for a step that needs nothing of them, such as publishing."""
        asks = Ask.objects.involving(self.request.user).select_related(
            "mentee__profile", "directed_to__profile"
        )
        return get_object_or_404(asks, pk=self.kwargs["pk"])

    def respond(self, ask: Ask, code: int = status.HTTP_200_OK) -> Response:
        fresh = _asks_for(self.request.user).get(pk=ask.pk)
        return Response(AskDetailSerializer(fresh, context={"request": self.request}).data, status=code)


class AskListView(IdempotentCreates, AskMixin, generics.GenericAPIView):
    serializer_class = AskSerializer

    def get_queryset(self):
        return _asks_for(self.request.user).filter(
            pk__in=Ask.objects.asked_by(self.request.user).values("pk")
        )

    @extend_schema(
        summary="My asks (including those I co-ask), newest first",
        parameters=[
            OpenApiParameter(
                "closed",
                bool,
                description="true: only closed asks (completed, cancelled, expired …); false: only the others, "
                "as the page's two tabs. Absent: both.",
            )
        ],
        responses={200: AskSerializer(many=True), 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        asks = self.get_queryset()
        closed = query_flag(request, "closed")
        if closed is not None:
            asks = asks.filter(state__in=CLOSED_STATES) if closed else asks.exclude(state__in=CLOSED_STATES)
        page = self.paginate_queryset(asks.order_by("-created_at", "-pk"))
        return self.get_paginated_response(AskSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Write an ask (saved as a draft)",
        request=AskInputSerializer,
        responses={201: AskDetailSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def post(self, request):
        data = AskInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        ask = services.create_ask(mentee=request.user, **data.validated_data)
        return created(self.respond(ask, status.HTTP_201_CREATED), request, "asks-detail", pk=ask.pk)


class AskDetailView(ConditionalEdits, AskMixin, generics.GenericAPIView):
    serializer_class = AskDetailSerializer

    def version(self, request, pk: int):
        return get_object_or_404(Ask.objects.involving(request.user).only("updated_at"), pk=pk).updated_at

    @extend_schema(
        summary="An ask", responses={200: AskDetailSerializer, 401: ERRORS[401], 404: ERRORS[404]}, tags=TAGS
    )
    def get(self, request, pk: int):
        return self.respond(self.get_ask())

    @extend_schema(
        summary="Edit an ask (only until an expert accepts it)",
        request=AskInputSerializer(partial=True),
        responses={200: AskDetailSerializer, **ERRORS},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        ask = self.get_ask()
        data = AskInputSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        _run(lambda: services.update_ask(ask=ask, actor=request.user, **data.validated_data))
        return self.respond(ask)


def _step_view(
    name: str,
    summary: str,
    step: Callable[[Ask, object, dict], object],
    request_serializer: type[serializers.Serializer] | None = None,
    *,
    reads_relations: bool = True,
    done_in: str | None = None,
):
    """A POST endpoint that runs one lifecycle step on a visible ask and answers with the fresh ask.

    ``reads_relations=False``: the step reads nothing of the ask's skills, languages, co-askers or offer
    count, so they are not loaded before it (only for the answer). ``done_in``: the state the step leaves
    the ask in for good (cancelled, completed); the same step sent again there — a retry whose first answer
    was lost — answers the ask as it is, 200, instead of a 409, and changes nothing (the permission checks
    still come first)."""

    class StepView(IdempotentCreates, AskMixin, generics.GenericAPIView):
        serializer_class = request_serializer or serializers.Serializer

        @extend_schema(
            summary=summary,
            request=request_serializer,
            responses={200: AskDetailSerializer, **ERRORS},
            tags=TAGS,
        )
        def post(self, request, pk: int):
            ask = self.get_ask() if reads_relations else self.get_ask_to_change()
            data: dict = {}
            if request_serializer is not None:
                serializer = request_serializer(data=request.data, context={"request": request})
                serializer.is_valid(raise_exception=True)
                data = serializer.validated_data
            try:
                _run(lambda: step(ask, request.user, data))
            except Conflict:
                if done_in is None or not Ask.objects.filter(pk=ask.pk, state=done_in).exists():
                    raise
            return self.respond(ask)

    StepView.__name__ = StepView.__qualname__ = name
    return StepView


AskPublishView = _step_view(
    "AskPublishView",
    "Publish a draft: offered at once to the person asked, or (state `open`) to the best experts by the "
    "worker within seconds",
    lambda ask, user, data: services.publish_ask(ask=ask, actor=user),
    reads_relations=False,
)
AskCancelView = _step_view(
    "AskCancelView",
    "Cancel an ask, with a reason",
    lambda ask, user, data: services.cancel_ask(ask=ask, actor=user, reason=data["reason"]),
    CancelReasonSerializer,
    done_in=AskState.CANCELLED,
)
AskAnsweredView = _step_view(
    "AskAnsweredView",
    "Mark an ask answered (the expert helping), optionally with a last message",
    lambda ask, user, data: services.mark_answered(ask=ask, actor=user, body=data.get("body", "")),
    OptionalMessageBodySerializer,
)
AskCompleteView = _step_view(
    "AskCompleteView",
    "Confirm it helped: the ask is completed",
    lambda ask, user, data: services.confirm_helped(ask=ask, actor=user),
    done_in=AskState.COMPLETED,
)
AskFollowUpView = _step_view(
    "AskFollowUpView",
    "Ask a follow-up question after an answer",
    lambda ask, user, data: services.ask_follow_up(ask=ask, actor=user, body=data["body"]),
    MessageBodySerializer,
)
AskScheduleView = _step_view(
    "AskScheduleView",
    "Record the time and place agreed for a call",
    lambda ask, user, data: services.record_agreed_time(
        ask=ask, actor=user, scheduled_for=data["scheduled_for"], place=data["place"]
    ),
    AgreedTimeSerializer,
)
AskRerouteView = _step_view(
    "AskRerouteView",
    "Route a declined directed ask to other experts",
    lambda ask, user, data: services.reroute_declined_directed(ask=ask, actor=user),
)
AskCoAskersView = _step_view(
    "AskCoAskersView",
    "Set the co-askers (up to four teammates)",
    lambda ask, user, data: services.set_co_askers(ask=ask, actor=user, co_askers=data["co_askers"]),
    CoAskersSerializer,
)


class AskMessagesView(IdempotentCreates, AskMixin, generics.GenericAPIView):
    serializer_class = MessageSerializer

    @extend_schema(
        summary="The ask's thread, oldest first",
        responses={200: MessageSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        ask = self.get_ask()
        page = self.paginate_queryset(
            Message.objects.filter(ask=ask).select_related("author__profile").order_by("created_at", "pk")
        )
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(
        summary="Write in the ask's thread",
        request=MessageBodySerializer,
        responses={201: MessageSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        ask = self.get_ask()
        data = MessageBodySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = _run(
            lambda: services.post_message(ask=ask, author=request.user, body=data.validated_data["body"])
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class AskTimelineView(AskMixin, generics.GenericAPIView):
    serializer_class = TimelineEntrySerializer

    @extend_schema(
        summary="Every step of the ask: who, when and why",
        responses={200: TimelineEntrySerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        page = self.paginate_queryset(timeline_rows(self.get_ask(), viewer=request.user))
        return self.get_paginated_response(TimelineEntrySerializer(page, many=True).data)


class SuggestSkillsView(generics.GenericAPIView):
    serializer_class = SuggestSkillsInputSerializer

    @extend_schema(
        summary="Skills your text mentions, and how many experts could take it this week",
        request=SuggestSkillsInputSerializer,
        responses={200: SuggestSkillsOutputSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def post(self, request):
        data = SuggestSkillsInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        chosen = [skill.pk for skill in data.validated_data["skills"]]
        suggestions = suggest_skills(text=data.validated_data["text"], user=request.user, exclude_ids=chosen)
        count, text = candidate_preview(
            skill_ids=chosen,
            language_ids=[language.pk for language in data.validated_data["languages"]],
            mentee=request.user,
        )
        return Response(
            {
                "results": SkillSummarySerializer(suggestions, many=True).data,
                "experts_this_week": count,
                "experts_text": text,
            }
        )
