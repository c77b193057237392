"""REST API for recognition: kudos (give, mine, the public feed), endorsements, and what a person has given.

A private kudos is returned to its giver and its receiver only; anyone else asking for it gets a 404, and
it never appears in the feed or in another person's summary.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response

from openhelp.community.recognition import services
from openhelp.community.recognition.models import MAX_KUDOS_MESSAGE, Endorsement, Kudos
from openhelp.community.recognition.pagination import KudosFeedPagination
from openhelp.directory.people.api import PersonRefSerializer, SkillReferenceField, SkillSummarySerializer
from openhelp.directory.people.models import Profile
from openhelp.directory.skills.services import search_skill_ids
from openhelp.help.mentoring.api import E400, E404, E409, run
from openhelp.help.mentoring.debriefs import endorsable_skills
from openhelp.help.mentoring.models import Session
from openhelp.help.mentoring.serializers import EndorseInputSerializer
from openhelp.help.mentoring.services import sessions_for
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.platform.api.fields import BooleanField
from openhelp.platform.api.idempotency import IdempotentCreates
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.params import query_choice
from openhelp.platform.api.responses import created
from openhelp.platform.lib.numbers import id_from_text

TAGS = ["recognition"]
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    403: OpenApiResponse(ERROR_BODY, description="Only the session's mentor can do this."),
    404: OpenApiResponse(ERROR_BODY, description="No such item, or it is not yours to see."),
}


class KudosSerializer(serializers.ModelSerializer):
    giver = PersonRefSerializer(read_only=True)
    receiver = PersonRefSerializer(read_only=True)
    skill = SkillSummarySerializer(read_only=True, allow_null=True)
    session = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Kudos
        fields = ["id", "giver", "receiver", "skill", "message", "public", "session", "created_at"]
        read_only_fields = fields


class KudosInputSerializer(KnownFieldsOnly, serializers.Serializer):
    receiver = serializers.IntegerField(help_text="The user id of the person you thank.")
    skill = SkillReferenceField(required=False, allow_null=True)
    message = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_KUDOS_MESSAGE
    )
    public = BooleanField(required=False, default=True)
    session = serializers.IntegerField(required=False, allow_null=True, help_text="A session of you both.")

    def validate_receiver(self, value: int):
        receiver = get_user_model().objects.filter(pk=value, is_active=True).select_related("profile").first()
        if receiver is None:
            raise ValidationError("There is nobody with this id.")
        return receiver

    def validate_session(self, value: int | None):
        if value is None:
            return None

        session = Session.objects.involving(self.context["request"].user).filter(pk=value).first()
        if session is None:
            raise ValidationError("There is no session of yours with this id.")
        return session


class EndorsementSerializer(serializers.ModelSerializer):
    mentor = PersonRefSerializer(read_only=True)
    mentee = PersonRefSerializer(read_only=True)
    skill = SkillSummarySerializer(read_only=True)
    session = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    text = serializers.SerializerMethodField(
        help_text="“Demonstrated: <skill> — endorsed by <mentor>, <date>”."
    )

    class Meta:
        model = Endorsement
        fields = ["id", "mentor", "mentee", "skill", "session", "text", "created_at"]
        read_only_fields = fields

    def get_text(self, endorsement: Endorsement) -> str:
        return (
            f"Demonstrated: {endorsement.skill.name} — endorsed by {endorsement.mentor.display_name}, "
            f"{endorsement.created_at.day} {endorsement.created_at:%b %Y}"
        )


class EndorsementInputSerializer(KnownFieldsOnly, serializers.Serializer):
    session = serializers.IntegerField(help_text="A session in which you were the mentor.")
    skill = SkillReferenceField()


class NamedCountSerializer(serializers.Serializer):
    name = serializers.CharField(source="skill__name")
    slug = serializers.CharField(source="skill__slug")
    count = serializers.IntegerField(source="n")


class GivenSummarySerializer(serializers.Serializer):
    people_helped = serializers.IntegerField()
    sessions_given = serializers.IntegerField()
    skills = NamedCountSerializer(many=True, help_text="Skills helped with in sessions.")
    kudos_received = serializers.IntegerField(help_text="Public kudos received.")
    private_kudos_received = serializers.IntegerField(help_text="Only ever non-zero for yourself.")
    kudos_given = serializers.IntegerField(help_text="Public kudos given.")
    kudos_skills = NamedCountSerializer(many=True, help_text="Skills thanked for.")
    recent_kudos = KudosSerializer(many=True)
    endorsements_given = serializers.IntegerField()
    endorsements_received = serializers.IntegerField()
    reliability = serializers.SerializerMethodField(help_text="e.g. “attended 12 of 12”; null when unknown.")

    def get_reliability(self, summary) -> str | None:
        value = summary.reliability
        if value is None:
            return None
        return str(getattr(value, "text", value))


class KudosListView(IdempotentCreates, generics.GenericAPIView):
    serializer_class = KudosSerializer

    @extend_schema(
        summary="Kudos I received (default) or gave, private ones included",
        parameters=[
            OpenApiParameter("direction", OpenApiTypes.STR, enum=["received", "given"], required=False)
        ],
        responses={200: KudosSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        direction = query_choice(request, "direction", ["received", "given"], default="received")
        kudos = (services.kudos_received if direction == "received" else services.kudos_given)(
            user=request.user
        )
        kudos = kudos.select_related("giver__profile", "receiver__profile", "skill")
        page = self.paginate_queryset(kudos)
        return self.get_paginated_response(KudosSerializer(page, many=True).data)

    @extend_schema(
        summary="Give kudos (no self-kudos; a daily limit applies)",
        request=KudosInputSerializer,
        responses={
            201: KudosSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            429: OpenApiResponse(ERROR_BODY, description="You gave the most kudos allowed today."),
        },
        tags=TAGS,
    )
    def post(self, request):
        data = KudosInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            kudos = services.give_kudos(giver=request.user, **data.validated_data)
        except services.KudosRateLimited as error:
            raise Throttled(detail=error.messages[0]) from error
        fresh = Kudos.objects.select_related("giver__profile", "receiver__profile", "skill").get(pk=kudos.pk)
        response = Response(KudosSerializer(fresh).data, status=status.HTTP_201_CREATED)
        return created(response, request, "kudos-detail", pk=fresh.pk)


class KudosFeedView(generics.GenericAPIView):
    """Keyset pages (``KudosFeedPagination``): a page costs the same at any depth of the feed."""

    serializer_class = KudosSerializer
    pagination_class = KudosFeedPagination
    queryset = Kudos.objects.none()  # pages come from feed.feed_keyset_page; this names the model

    @extend_schema(
        summary="The recognition feed: public kudos, newest first (follow next for older ones)",
        parameters=[
            OpenApiParameter("skill", OpenApiTypes.STR, required=False, description="Skill or alias.")
        ],
        responses={200: KudosSerializer(many=True), 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        text = request.query_params.get("skill", "").strip()[:80]
        skill_ids = search_skill_ids(text, user=request.user) if text else None
        page = self.paginator.paginate_feed(request, skill_ids=skill_ids)
        return self.get_paginated_response(KudosSerializer(page, many=True).data)


class KudosDetailView(generics.GenericAPIView):
    serializer_class = KudosSerializer

    @extend_schema(
        summary="One kudos (private ones: giver and receiver only)",
        responses={200: KudosSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        kudos = get_object_or_404(
            Kudos.objects.visible_to(request.user).select_related(
                "giver__profile", "receiver__profile", "skill"
            ),
            pk=pk,
        )
        return Response(KudosSerializer(kudos).data)


class EndorsementListView(IdempotentCreates, generics.GenericAPIView):
    serializer_class = EndorsementSerializer

    @extend_schema(
        summary="Endorsements a person received (default: you)",
        parameters=[
            OpenApiParameter(
                "user", {"type": "integer", "minimum": 1}, required=False, description="A user id."
            )
        ],
        responses={200: EndorsementSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        raw = request.query_params.get("user")
        user_id = id_from_text(raw)
        if raw is not None and user_id is None:
            raise ValidationError({"user": ["Give a user id (a number)."]})
        mentee = (
            request.user
            if raw is None
            else get_user_model().objects.filter(pk=user_id, is_active=True).first()
        )
        endorsements = services.demonstrated_skills(user=mentee) if mentee else Endorsement.objects.none()
        page = self.paginate_queryset(endorsements.select_related("mentee__profile"))
        return self.get_paginated_response(EndorsementSerializer(page, many=True).data)

    @extend_schema(
        summary="Endorse a skill your mentee demonstrated in a session (idempotent)",
        request=EndorsementInputSerializer,
        responses={
            201: EndorsementSerializer,
            200: OpenApiResponse(
                EndorsementSerializer, description="Already endorsed: the same endorsement."
            ),
            400: ERRORS[400],
            401: ERRORS[401],
            403: ERRORS[403],
            404: ERRORS[404],
        },
        tags=TAGS,
    )
    def post(self, request):
        data = EndorsementInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        session = get_object_or_404(
            Session.objects.involving(request.user).select_related("mentee"),
            pk=data.validated_data["session"],
        )
        skill = data.validated_data["skill"]
        existed = Endorsement.objects.filter(session=session, skill=skill).exists()
        endorsement = services.endorse(
            session=session, mentor=request.user, mentee=session.mentee, skill=skill
        )
        return endorsement_answer(request, endorsement, existed=existed)


def endorsement_answer(request, endorsement: Endorsement, *, existed: bool) -> Response:
    """One endorsement, one answer, wherever it was given (``/endorsements/``, a session's ``endorse``): the
    whole endorsement, a 201 with ``Location`` only when it is new."""
    fresh = Endorsement.objects.select_related("mentor__profile", "mentee__profile", "skill").get(
        pk=endorsement.pk
    )
    if existed:
        return Response(EndorsementSerializer(fresh).data)
    response = Response(EndorsementSerializer(fresh).data, status=status.HTTP_201_CREATED)
    return created(response, request, "endorsements-detail", pk=fresh.pk)


class EndorsementDetailView(generics.GenericAPIView):
    serializer_class = EndorsementSerializer

    def _get(self, pk: int) -> Endorsement:
        return get_object_or_404(
            Endorsement.objects.filter(mentee__is_active=True).select_related(
                "mentor__profile", "mentee__profile", "skill"
            ),
            pk=pk,
        )

    @extend_schema(
        summary="One endorsement",
        responses={200: EndorsementSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(EndorsementSerializer(self._get(pk)).data)

    @extend_schema(
        summary="Withdraw an endorsement you gave",
        responses={204: None, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
        tags=TAGS,
    )
    def delete(self, request, pk: int):
        services.withdraw_endorsement(endorsement=self._get(pk), mentor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GivenSummaryView(generics.GenericAPIView):
    serializer_class = GivenSummarySerializer

    @extend_schema(
        summary="What a person has given: people helped, skills, kudos, endorsements, reliability",
        responses={200: GivenSummarySerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        profile = get_object_or_404(
            Profile.objects.filter(user__is_active=True).select_related("user"), pk=pk
        )
        summary = services.given_summary(user=profile.user, viewer=request.user)
        return Response(GivenSummarySerializer(summary).data)


class SessionEndorseView(IdempotentCreates, generics.GenericAPIView):
    """POST /sessions/{id}/endorse/: the mentor endorses a skill the mentee demonstrated in the session."""

    serializer_class = EndorseInputSerializer

    @extend_schema(
        summary="Endorse a skill the mentee demonstrated (the mentor only)",
        request=EndorseInputSerializer,
        responses={
            201: EndorsementSerializer,
            200: OpenApiResponse(EndorsementSerializer, description="Endorsed already: the endorsement."),
            400: E400,
            404: E404,
            409: E409,
        },
        tags=["sessions"],
    )
    def post(self, request, pk: int):
        session = get_object_or_404(sessions_for(request.user), pk=pk)
        data = EndorseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        skill = next((s for s in endorsable_skills(session) if s.pk == data.validated_data["skill"]), None)
        if skill is None:
            raise ValidationError({"skill": ["Choose one of the skills this session was about."]})
        existed = Endorsement.objects.filter(session=session, skill=skill).exists()
        endorsement = run(
            lambda: services.endorse_from_session(session=session, actor=request.user, skill=skill)
        )
        return endorsement_answer(request, endorsement, existed=existed)
