"""REST API for routing: my offers (list, read, accept, decline), pause me, and suggestions for my ask.

Someone else's offer or ask answers 404 like a missing one. A lost race or an offer that can no longer
be answered is a 409 with a message saying what happened.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.help.asks.models import Ask
from openhelp.help.mentoring.services import session_for_ask
from openhelp.help.routing import policy, services
from openhelp.help.routing.candidates import rank_candidates
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.platform.api.errors import Conflict
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.params import query_choice

# --- Serializers -------------------------------------------------------------------------------------


class OfferedAskSerializer(serializers.ModelSerializer):
    """What a mentor sees of an ask offered to them."""

    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    mentee_name = serializers.CharField(source="mentee.display_name", read_only=True)

    class Meta:
        model = Ask
        fields = [
            "id",
            "title",
            "objective",
            "context",
            "preparation_questions",
            "skills",
            "format",
            "urgency",
            "needed_by",
            "mode",
            "mentee_name",
        ]


class OfferSerializer(serializers.ModelSerializer):
    ask = OfferedAskSerializer(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="Why you.")
    is_open = serializers.SerializerMethodField(help_text="Pending and still within its window.")
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices, allow_blank=True, read_only=True, help_text="Empty unless declined."
    )
    session = serializers.SerializerMethodField(
        help_text="The session the accept opened (`GET /api/v1/sessions/{id}/`); null unless you accepted "
        "this offer and still help with its ask."
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "state",
            "round",
            "created_at",
            "expires_at",
            "responded_at",
            "is_open",
            "reasons",
            "decline_reason",
            "decline_note",
            "ask",
            "session",
        ]
        read_only_fields = fields

    def get_is_open(self, offer: Offer) -> bool:
        return offer.can_accept()

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_session(self, offer: Offer) -> int | None:
        if not _holds(offer):
            return None
        session = session_of(offer.ask)
        return session.pk if session is not None and session.mentor_id == offer.mentor_id else None


class DeclineSerializer(KnownFieldsOnly, serializers.Serializer):
    reason = serializers.ChoiceField(choices=[(r.value, r.label) for r in services.MENTOR_DECLINE_REASONS])
    note = serializers.CharField(max_length=services.MAX_NOTE, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["reason"] == DeclineReason.OTHER and not attrs.get("note", "").strip():
            raise ValidationError({"note": ["Say in a few words why, so we route it better next time."]})
        return attrs


class PauseSerializer(KnownFieldsOnly, serializers.Serializer):
    until = serializers.DateField(help_text="No new offers before this day (the first day you are back).")


class PauseResultSerializer(serializers.Serializer):
    paused_until = serializers.DateField()
    passed_on = serializers.IntegerField(help_text="Pending offers declined politely and re-routed.")


class SuggestionSerializer(serializers.Serializer):
    mentor_id = serializers.IntegerField(help_text="The user id to put in a directed ask's directed_to.")
    profile_id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


def _own_offer(request, pk: int) -> Offer:
    queryset = Offer.objects.filter(mentor=request.user).select_related(
        "ask__mentee__profile", "ask__session"
    )
    return get_object_or_404(queryset.prefetch_related("ask__skills"), pk=pk)


def _conflict(error: services.RoutingConflict) -> Conflict:
    """A 409 whose code tells a lost race (``offer_taken``) from an offer that is over (``offer_closed``)."""
    code = "offer_taken" if isinstance(error, services.OfferTaken) else "offer_closed"
    return Conflict(str(error), code=code)


def session_of(ask: Ask):
    """The ask's session (the relation mentoring declares), or None while it has none."""
    try:
        return ask.session
    except ObjectDoesNotExist:
        return None


def _holds(offer: Offer) -> bool:
    """The mentor accepted this offer and still has its ask (not released since)."""
    return offer.state == OfferState.ACCEPTED and offer.ask.helper_id == offer.mentor_id


# --- Views -------------------------------------------------------------------------------------------


STATE_PARAMETER = OpenApiParameter(
    "state", str, enum=[s.value for s in OfferState], description="Only offers in this state."
)


@extend_schema(tags=["offers"])
class OfferListView(generics.ListAPIView):
    """The offers made to me, newest first."""

    serializer_class = OfferSerializer

    @extend_schema(summary="The offers made to me, newest first", parameters=[STATE_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        offers = (
            Offer.objects.filter(mentor=self.request.user)
            .select_related("ask__mentee__profile", "ask__session")
            .prefetch_related("ask__skills")
            .order_by("-created_at", "-pk")
        )
        state = query_choice(self.request, "state", OfferState.values)
        if state is not None:
            offers = offers.filter(state=state)
        return offers


@extend_schema(tags=["offers"])
class OfferDetailView(APIView):
    @extend_schema(
        summary="One of my offers",
        responses={200: OfferSerializer, 404: OpenApiResponse(description="Not one of your offers.")},
    )
    def get(self, request, pk: int):
        return Response(OfferSerializer(_own_offer(request, pk)).data)


@extend_schema(tags=["offers"])
class OfferAcceptView(APIView):
    @extend_schema(
        summary="Accept the ask: the first expert to accept gets it (again: the same answer)",
        request=None,
        responses={
            200: OfferSerializer,
            404: OpenApiResponse(description="Not one of your offers."),
            409: OpenApiResponse(
                description="`offer_taken`: someone else accepted first; `offer_closed`: the offer can no "
                "longer be answered (declined, expired, the ask cancelled or moved on)."
            ),
        },
    )
    def post(self, request, pk: int):
        """Accept the ask: the first expert to accept gets it; the others' offers are withdrawn. Sending it
        again once you have the ask (a retry after a lost answer) answers the same 200, and changes
        nothing. ``session`` in the answer is the session the accept opened."""
        offer = _own_offer(request, pk)
        if not _holds(offer):
            try:
                services.accept_offer(offer=offer, mentor=request.user)
            except services.RoutingConflict as error:
                if not _holds(_own_offer(request, pk)):  # a concurrent retry of one's own accept won
                    raise _conflict(error) from None
        offer = _own_offer(request, pk)
        if session_of(offer.ask) is None:
            # Made once the accept commits (services.follow_ask_after_commit); made here if that has not
            # happened yet (an outer transaction), so the answer can name it. Idempotent.
            session_for_ask(offer.ask)
            offer = _own_offer(request, pk)
        return Response(OfferSerializer(offer).data)


@extend_schema(tags=["offers"])
class OfferDeclineView(APIView):
    @extend_schema(
        summary="Decline the ask, with a reason",
        request=DeclineSerializer,
        responses={
            200: OfferSerializer,
            400: OpenApiResponse(description="A reason is missing or the note is too long."),
            404: OpenApiResponse(description="Not one of your offers."),
            409: OpenApiResponse(
                description="`offer_closed`: the offer is no longer open; `offer_taken`: someone else "
                "accepted the ask meanwhile."
            ),
        },
    )
    def post(self, request, pk: int):
        """Decline with a reason; the ask goes on to the next experts."""
        offer = _own_offer(request, pk)
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.decline_offer(offer=offer, mentor=request.user, **data.validated_data)
        except services.RoutingConflict as error:
            raise _conflict(error) from None
        return Response(OfferSerializer(_own_offer(request, pk)).data)


@extend_schema(tags=["offers"])
class PauseView(APIView):
    @extend_schema(
        summary="Pause me until a day (no new offers)",
        request=PauseSerializer,
        responses={200: PauseResultSerializer},
    )
    def post(self, request):
        """Pause me until a day: no new offers; pending ones are declined politely and re-routed."""
        data = PauseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        until = data.validated_data["until"]
        try:
            passed_on = services.pause_mentor(mentor=request.user, until=until)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(PauseResultSerializer({"paused_until": until, "passed_on": passed_on}).data)

    @extend_schema(summary="I'm back: end my pause early", request=None, responses={204: None})
    def delete(self, request):
        """End my pause early (the inbox's "I'm back"): offers can come again from now on. Not paused: the
        same 204."""
        services.resume_mentor(mentor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["asks"])
class AskSuggestionsView(APIView):
    @extend_schema(
        summary="The experts who fit my ask best right now, and why",
        responses={200: SuggestionSerializer(many=True), 404: OpenApiResponse(description="Not your ask.")},
    )
    def get(self, request, pk: int):
        """The experts who fit my ask best right now, with plain-words reasons (the ask's mentee only)."""
        ask = get_object_or_404(Ask.objects.filter(mentee=request.user), pk=pk)
        ranked = rank_candidates(ask, widened=False, limit=policy.setting("SUGGESTIONS_SHOWN"))
        return Response(SuggestionSerializer(ranked, many=True).data)
