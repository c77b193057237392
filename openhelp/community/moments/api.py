"""REST API for moments (mine only), the weekly challenge, and introductions with their thread.

Another person's moment is a 404 whoever asks. An introduction is visible to its three people, but its
answers are not: each invitee sees their own, the introducer sees only "connected" or "not this time".
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from openhelp.community.moments import introductions as intro_services
from openhelp.community.moments import services
from openhelp.community.moments.models import (
    MAX_INTRODUCTION_NOTE,
    MAX_MESSAGE,
    MAX_MOMENT_NOTE,
    Answer,
    Introduction,
    IntroductionMessage,
    IntroductionState,
    Moment,
    MomentKind,
)
from openhelp.directory.people.api import PersonRefSerializer
from openhelp.platform.api.errors import ERROR_BODY, Conflict
from openhelp.platform.api.fields import BooleanField
from openhelp.platform.api.idempotency import IdempotentCreates
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.responses import created

TAGS = ["moments"]
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    403: OpenApiResponse(ERROR_BODY, description="Your part in this introduction does not allow it."),
    404: OpenApiResponse(ERROR_BODY, description="No such item, or it is not yours to see."),
    409: OpenApiResponse(ERROR_BODY, description="The introduction's state does not allow this."),
}


class UserIdField(serializers.IntegerField):
    """A person on the platform, by user id."""

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        user = get_user_model().objects.filter(pk=pk, is_active=True).select_related("profile").first()
        if user is None:
            raise ValidationError("There is nobody with this id.")
        return user


class MomentSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Moment
        fields = ["id", "kind", "kind_label", "note", "person", "is_public", "occurred_at", "created_at"]
        read_only_fields = fields


class MomentInputSerializer(KnownFieldsOnly, serializers.Serializer):
    kind = serializers.ChoiceField(choices=MomentKind.choices)
    note = serializers.CharField(max_length=MAX_MOMENT_NOTE, allow_blank=True)
    person = UserIdField(required=False, allow_null=True, default=None, help_text="A user id (optional).")
    is_public = BooleanField(required=False, default=False, help_text="Private by default.")
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ChallengeSerializer(serializers.Serializer):
    goal = serializers.IntegerField()
    this_week = serializers.IntegerField()
    week_start = serializers.DateField(help_text="Monday of this week in your time zone.")
    streak = serializers.IntegerField(help_text="Weeks in a row that reached the goal.")
    done = BooleanField()
    remaining = serializers.IntegerField()
    text = serializers.CharField()


class MomentListView(IdempotentCreates, generics.GenericAPIView):
    serializer_class = MomentSerializer

    @extend_schema(
        summary="My moments", responses={200: MomentSerializer(many=True), 401: ERRORS[401]}, tags=TAGS
    )
    def get(self, request):
        page = self.paginate_queryset(services.moments_of(user=request.user))
        return self.get_paginated_response(MomentSerializer(page, many=True).data)

    @extend_schema(
        summary="Log a moment (private unless is_public)",
        request=MomentInputSerializer,
        responses={201: MomentSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def post(self, request):
        data = MomentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moment = services.log_moment(author=request.user, **data.validated_data)
        response = Response(MomentSerializer(moment).data, status=status.HTTP_201_CREATED)
        return created(response, request, "moments-detail", pk=moment.pk)


class MomentDetailView(generics.GenericAPIView):
    serializer_class = MomentSerializer

    def _get(self, pk: int) -> Moment:
        return get_object_or_404(services.moments_of(user=self.request.user), pk=pk)

    @extend_schema(
        summary="One of my moments",
        responses={200: MomentSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(MomentSerializer(self._get(pk)).data)

    @extend_schema(
        summary="Change one of my moments",
        request=MomentInputSerializer,
        responses={200: MomentSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def put(self, request, pk: int):
        moment = self._get(pk)
        data = MomentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_moment(moment=moment, actor=request.user, **data.validated_data)
        return Response(MomentSerializer(self._get(pk)).data)

    @extend_schema(
        summary="Delete one of my moments",
        responses={204: None, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def delete(self, request, pk: int):
        services.delete_moment(moment=self._get(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChallengeView(generics.GenericAPIView):
    serializer_class = ChallengeSerializer

    @extend_schema(
        summary="This week's “three moments” challenge and my streak",
        responses={200: ChallengeSerializer, 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        return Response(ChallengeSerializer(services.challenge_for(user=request.user)).data)


# --- Introductions ----------------------------------------------------------------------------------


class IntroductionSerializer(serializers.ModelSerializer):
    introducer = PersonRefSerializer(read_only=True)
    first = PersonRefSerializer(read_only=True)
    second = PersonRefSerializer(read_only=True)
    state = serializers.ChoiceField(choices=IntroductionState.choices, read_only=True)
    status = serializers.SerializerMethodField(help_text="Where it stands, as you may be told.")
    my_answer = serializers.SerializerMethodField(help_text="Your own answer; null for the introducer.")

    class Meta:
        model = Introduction
        fields = [
            "id",
            "introducer",
            "first",
            "second",
            "note",
            "state",
            "status",
            "my_answer",
            "created_at",
            "connected_at",
        ]
        read_only_fields = fields

    def get_status(self, introduction: Introduction) -> str:
        return intro_services.status_for(introduction, self.context["request"].user)

    @extend_schema_field(serializers.ChoiceField(choices=Answer.choices, allow_null=True))
    def get_my_answer(self, introduction: Introduction) -> str | None:
        return introduction.answer_of(self.context["request"].user)


class IntroductionInputSerializer(KnownFieldsOnly, serializers.Serializer):
    first = UserIdField(help_text="User id of the first person.")
    second = UserIdField(help_text="User id of the person you introduce them to.")
    note = serializers.CharField(max_length=MAX_INTRODUCTION_NOTE, allow_blank=True)


class AnswerInputSerializer(KnownFieldsOnly, serializers.Serializer):
    answer = serializers.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])


class IntroductionMessageSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    author = PersonRefSerializer(read_only=True)

    class Meta:
        model = IntroductionMessage
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"body": {"max_length": MAX_MESSAGE}}


class IntroductionMixin:
    def get_introduction(self) -> Introduction:
        return get_object_or_404(
            intro_services.introductions_for(user=self.request.user), pk=self.kwargs["pk"]
        )

    def respond(self, introduction: Introduction, code: int = status.HTTP_200_OK) -> Response:
        fresh = intro_services.introductions_for(user=self.request.user).get(pk=introduction.pk)
        return Response(IntroductionSerializer(fresh, context={"request": self.request}).data, status=code)


class IntroductionListView(IdempotentCreates, IntroductionMixin, generics.GenericAPIView):
    serializer_class = IntroductionSerializer

    @extend_schema(
        summary="Introductions I made or was introduced in",
        responses={200: IntroductionSerializer(many=True), 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        page = self.paginate_queryset(intro_services.introductions_for(user=request.user))
        return self.get_paginated_response(
            IntroductionSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary="Introduce two people (both must accept)",
        request=IntroductionInputSerializer,
        responses={201: IntroductionSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def post(self, request):
        data = IntroductionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        introduction = intro_services.introduce(introducer=request.user, **data.validated_data)
        response = self.respond(introduction, status.HTTP_201_CREATED)
        return created(response, request, "introductions-detail", pk=introduction.pk)


class IntroductionDetailView(IntroductionMixin, generics.GenericAPIView):
    serializer_class = IntroductionSerializer

    @extend_schema(
        summary="An introduction",
        responses={200: IntroductionSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return self.respond(self.get_introduction())


class IntroductionAnswerView(IntroductionMixin, generics.GenericAPIView):
    serializer_class = IntroductionSerializer

    @extend_schema(
        summary="Accept or (quietly) decline an introduction",
        request=AnswerInputSerializer,
        responses={200: IntroductionSerializer, **{code: ERRORS[code] for code in (400, 401, 403, 404, 409)}},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        introduction = self.get_introduction()
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            intro_services.answer(
                introduction=introduction,
                person=request.user,
                accept=data.validated_data["answer"] == "accept",
            )
        except intro_services.IntroductionConflict as error:
            raise Conflict(str(error)) from error
        return self.respond(introduction)


class IntroductionMessagesView(IdempotentCreates, IntroductionMixin, generics.GenericAPIView):
    serializer_class = IntroductionMessageSerializer

    def _thread_of(self) -> Introduction:
        introduction = self.get_introduction()
        if not introduction.is_invitee(self.request.user):
            raise PermissionDenied("The conversation is between the two people introduced.")
        return introduction

    @extend_schema(
        summary="The conversation of a connected introduction (the two introduced only)",
        responses={200: IntroductionMessageSerializer(many=True), **{c: ERRORS[c] for c in (401, 403, 404)}},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        introduction = self._thread_of()
        page = self.paginate_queryset(
            introduction.messages.select_related("author__profile").order_by("created_at", "pk")
        )
        return self.get_paginated_response(IntroductionMessageSerializer(page, many=True).data)

    @extend_schema(
        summary="Write in the conversation",
        request=IntroductionMessageSerializer,
        responses={201: IntroductionMessageSerializer, **{c: ERRORS[c] for c in (400, 401, 403, 404, 409)}},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        introduction = self._thread_of()
        data = IntroductionMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = intro_services.post_message(
                introduction=introduction, author=request.user, body=data.validated_data["body"]
            )
        except intro_services.IntroductionConflict as error:
            raise Conflict(str(error)) from error
        fresh = IntroductionMessage.objects.select_related("author__profile").get(pk=message.pk)
        return Response(IntroductionMessageSerializer(fresh).data, status=status.HTTP_201_CREATED)
