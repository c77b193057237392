"""REST API for programmes: mine, one programme, create and edit (organisers), its members (its organisers),
adding, promoting and removing them, joining with an invite token, accepting the code of conduct and
leaving. Others' programmes answer 404. The invite link is in ``api_invite.py``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from openhelp.directory.people.api import SkillReferenceField, SkillSummarySerializer
from openhelp.directory.programmes import access, services
from openhelp.directory.programmes.models import Membership, MembershipRole, Programme
from openhelp.directory.programmes.services import (
    MAX_CODE_OF_CONDUCT,
    MAX_DESCRIPTION,
    MAX_EMAILS,
    MAX_FOCUS_SKILLS,
    RULE_FIELDS,
)
from openhelp.platform.api.conditional import ConditionalEdits
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.platform.api.fields import BooleanField, ListField
from openhelp.platform.api.idempotency import IdempotentCreates
from openhelp.platform.api.known_fields import KnownFieldsOnly, NeededInPatch
from openhelp.platform.api.params import query_flag
from openhelp.platform.api.responses import created
from openhelp.platform.lib.numbers import id_from_text

TAGS = ["programmes"]
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    403: OpenApiResponse(ERROR_BODY, description="Only organisers can create programmes."),
    404: OpenApiResponse(ERROR_BODY, description="No such programme, or not one you may see or manage."),
}


class ProgrammeMembershipSerializer(serializers.Serializer):
    role = serializers.CharField()
    joined_at = serializers.DateTimeField()
    accepted_code_of_conduct_at = serializers.DateTimeField(allow_null=True)


class ProgrammeSerializer(serializers.ModelSerializer):
    focus_skills = SkillSummarySerializer(many=True, read_only=True)
    my_membership = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "focus_skills",
            "code_of_conduct",
            "allowed_email_domain",
            *RULE_FIELDS,
            "matching_weights",
            "my_membership",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgrammeMembershipSerializer(allow_null=True))
    def get_my_membership(self, programme) -> dict | None:
        membership = self.context.get("memberships", {}).get(programme.pk)
        return ProgrammeMembershipSerializer(membership).data if membership else None


class ProgrammeInputSerializer(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=120, allow_blank=True)
    description = serializers.CharField(max_length=MAX_DESCRIPTION, allow_blank=True, required=False)
    focus_skills = ListField(
        child=SkillReferenceField(),
        max_length=MAX_FOCUS_SKILLS,
        required=False,
        help_text="Skill ids or names.",
    )
    code_of_conduct = serializers.CharField(max_length=MAX_CODE_OF_CONDUCT, allow_blank=True, required=False)
    allowed_email_domain = serializers.CharField(max_length=253, allow_blank=True, required=False)
    response_hours_today = serializers.IntegerField(allow_null=True, required=False)
    response_hours_this_week = serializers.IntegerField(allow_null=True, required=False)
    response_hours_flexible = serializers.IntegerField(allow_null=True, required=False)
    offers_per_round = serializers.IntegerField(allow_null=True, required=False)
    late_cancel_hours = serializers.IntegerField(allow_null=True, required=False)
    no_show_max = serializers.IntegerField(allow_null=True, required=False)
    no_show_window_days = serializers.IntegerField(allow_null=True, required=False)
    matching_weights = serializers.JSONField(
        required=False, help_text='Overrides of the matching weights, e.g. {"load": 1.0}.'
    )


class ProgrammeMemberSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    display_name = serializers.CharField(source="user.display_name")
    email = serializers.EmailField(source="user.email")
    role = serializers.CharField()
    joined_at = serializers.DateTimeField()
    accepted_code_of_conduct_at = serializers.DateTimeField(allow_null=True)


class AddMembersSerializer(KnownFieldsOnly, serializers.Serializer):
    emails = ListField(
        child=serializers.EmailField(max_length=254),
        max_length=MAX_EMAILS,
        help_text="People already on the platform.",
    )
    role = serializers.ChoiceField(choices=MembershipRole.choices, default=MembershipRole.MEMBER)


class AddedMembersSerializer(serializers.Serializer):
    added = ListField(
        child=serializers.IntegerField(), max_length=MAX_EMAILS, help_text="User ids now members (told)."
    )
    promoted = ListField(
        child=serializers.IntegerField(), max_length=MAX_EMAILS, help_text="Members now organisers."
    )
    already = ListField(
        child=serializers.IntegerField(), max_length=MAX_EMAILS, help_text="Already in it; unchanged."
    )


class MemberRoleSerializer(NeededInPatch, KnownFieldsOnly, serializers.Serializer):
    role = serializers.ChoiceField(choices=MembershipRole.choices)


class ProgrammeJoinSerializer(KnownFieldsOnly, serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="The token from the programme's invite link.")
    accept_code_of_conduct = BooleanField(default=False)


def _memberships(user, programmes) -> dict[int, Membership]:
    rows = Membership.objects.filter(user_id=user.pk, programme__in=programmes)
    return {m.programme_id: m for m in rows}


def _detail(request, programme: Programme, code: int = status.HTTP_200_OK) -> Response:
    programme = Programme.objects.prefetch_related("focus_skills").get(pk=programme.pk)
    context = {"memberships": _memberships(request.user, [programme])}
    return Response(ProgrammeSerializer(programme, context=context).data, status=code)


def _joined(request, programme: Programme, *, already: bool) -> Response:
    """The programme after joining it: 201 with its address when one became a member now, 200 when one
    was already (joining again is harmless, and makes nothing)."""
    if already:
        return _detail(request, programme, status.HTTP_200_OK)
    return created(
        _detail(request, programme, status.HTTP_201_CREATED), request, "programmes-detail", pk=programme.pk
    )


class ProgrammeListView(IdempotentCreates, generics.GenericAPIView):
    serializer_class = ProgrammeSerializer

    @extend_schema(
        summary="My programmes, or those I may join",
        parameters=[
            OpenApiParameter(
                "joinable",
                bool,
                description="true: the programmes I may join on my own (my e-mail domain is their allowed "
                "one; join with POST …/programmes/<id>/join/) instead of mine.",
            )
        ],
        responses={200: ProgrammeSerializer(many=True), 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        if query_flag(request, "joinable"):
            programmes = access.joinable_by_domain(request.user).order_by("name", "pk")
        else:
            programmes = access.programmes_of(request.user)
        page = self.paginate_queryset(programmes.prefetch_related("focus_skills"))
        context = {"memberships": _memberships(request.user, page)}
        return self.get_paginated_response(ProgrammeSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Create a programme (organisers)",
        request=ProgrammeInputSerializer,
        responses={201: ProgrammeSerializer, 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403]},
        tags=TAGS,
    )
    def post(self, request):
        if not services.can_create(request.user):
            raise PermissionDenied("Only organisers can create programmes.")
        data = ProgrammeInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        programme = services.create_programme(actor=request.user, **data.validated_data)
        response = _detail(request, programme, status.HTTP_201_CREATED)
        return created(response, request, "programmes-detail", pk=programme.pk)


class ProgrammeDetailView(ConditionalEdits, generics.GenericAPIView):
    serializer_class = ProgrammeSerializer

    def version(self, request, pk: int):
        return get_object_or_404(access.visible_to(request.user).only("updated_at"), pk=pk).updated_at

    @extend_schema(
        summary="A programme: description, focus skills, rules and my membership",
        responses={200: ProgrammeSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return _detail(request, get_object_or_404(access.visible_to(request.user), pk=pk))

    @extend_schema(
        summary="Change a programme (its organisers); send only the fields to change",
        request=ProgrammeInputSerializer,
        responses={200: ProgrammeSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        programme = get_object_or_404(Programme.objects.organised_by(request.user), pk=pk)
        data = ProgrammeInputSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        services.update_programme(programme=programme, actor=request.user, **data.validated_data)
        return _detail(request, programme)


class ProgrammeMembersView(generics.GenericAPIView):
    serializer_class = ProgrammeMemberSerializer

    @extend_schema(
        summary="A programme's members (its organisers only)",
        responses={200: ProgrammeMemberSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        programme = get_object_or_404(Programme.objects.organised_by(request.user), pk=pk)
        page = self.paginate_queryset(access.memberships_of(programme))
        return self.get_paginated_response(ProgrammeMemberSerializer(page, many=True).data)

    @extend_schema(
        summary="Add people to a programme by e-mail, as members or organisers (its organisers only)",
        request=AddMembersSerializer,
        responses={200: AddedMembersSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        programme = get_object_or_404(Programme.objects.organised_by(request.user), pk=pk)
        data = AddMembersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.add_members_by_email(
            programme=programme,
            emails=",".join(data.validated_data["emails"]),
            role=data.validated_data["role"],
            actor=request.user,
        )
        ids = {name: [user.pk for user in getattr(result, name)] for name in ("added", "promoted", "already")}
        return Response(AddedMembersSerializer(ids).data)


class ProgrammeMemberView(generics.GenericAPIView):
    serializer_class = ProgrammeMemberSerializer

    def membership(self, request, pk: int, user_id: int) -> Membership:
        programme = get_object_or_404(Programme.objects.organised_by(request.user), pk=pk)
        # A foreign key's lookup sends the number as it is: past 64 bits SQLite's driver raised (a 500).
        if id_from_text(user_id) is None:
            raise Http404
        return get_object_or_404(access.memberships_of(programme), user_id=user_id)

    @extend_schema(
        summary="Make a member an organiser, or an organiser a member (its organisers only)",
        request=MemberRoleSerializer,
        responses={
            200: ProgrammeMemberSerializer,
            400: OpenApiResponse(ERROR_BODY, description="Not a role, or the last organiser."),
            401: ERRORS[401],
            404: OpenApiResponse(ERROR_BODY, description="Not a programme you organise, or not in it."),
        },
        tags=TAGS,
    )
    def patch(self, request, pk: int, user_id: int):
        membership = self.membership(request, pk, user_id)
        data = MemberRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_role(
            programme=membership.programme,
            user=membership.user,
            role=data.validated_data["role"],
            actor=request.user,
        )
        return Response(ProgrammeMemberSerializer(self.membership(request, pk, user_id)).data)

    @extend_schema(
        summary="Remove someone from a programme (its organisers only)",
        responses={
            204: None,
            400: OpenApiResponse(ERROR_BODY, description="The last organiser."),
            401: ERRORS[401],
            404: OpenApiResponse(ERROR_BODY, description="Not a programme you organise, or not in it."),
        },
        tags=TAGS,
    )
    def delete(self, request, pk: int, user_id: int):
        membership = self.membership(request, pk, user_id)
        services.remove_member(programme=membership.programme, user=membership.user, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgrammeDomainJoinSerializer(KnownFieldsOnly, serializers.Serializer):
    accept_code_of_conduct = BooleanField(default=False)


class ProgrammeDomainJoinView(generics.GenericAPIView):
    """The web's ``/programmes/<slug>/join/``: no invite token needed when one's e-mail domain is the
    programme's allowed one (the same service: joining twice is harmless)."""

    serializer_class = ProgrammeDomainJoinSerializer

    @extend_schema(
        summary="Join a programme my e-mail domain lets me join, accepting its code of conduct",
        operation_id="v1_programmes_join_by_domain_create",
        request=ProgrammeDomainJoinSerializer,
        responses={
            201: ProgrammeSerializer,
            200: OpenApiResponse(ProgrammeSerializer, description="A member already: the programme."),
            400: ERRORS[400],
            401: ERRORS[401],
            404: OpenApiResponse(ERROR_BODY, description="Not a programme you belong to or may join."),
        },
        tags=TAGS,
    )
    def post(self, request, pk: int):
        programme = get_object_or_404(access.visible_to(request.user), pk=pk)
        data = ProgrammeDomainJoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        already = access.is_member(programme, request.user)
        services.join(programme=programme, user=request.user, **data.validated_data)
        return _joined(request, programme, already=already)


class ProgrammeLeaveView(generics.GenericAPIView):
    serializer_class = serializers.Serializer

    @extend_schema(
        summary="Leave a programme (the last organiser must make someone else an organiser first)",
        request=None,
        responses={
            204: None,
            400: OpenApiResponse(ERROR_BODY, description="You are its only organiser."),
            401: ERRORS[401],
            404: OpenApiResponse(ERROR_BODY, description="Not a programme you belong to."),
        },
        tags=TAGS,
    )
    def post(self, request, pk: int):
        programme = get_object_or_404(access.programmes_of(request.user), pk=pk)
        services.leave(programme=programme, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgrammeAcceptCodeView(generics.GenericAPIView):
    serializer_class = ProgrammeSerializer

    @extend_schema(
        summary="Accept a programme's code of conduct (a member an organiser added; again is harmless)",
        request=None,
        responses={
            200: ProgrammeSerializer,
            401: ERRORS[401],
            404: OpenApiResponse(ERROR_BODY, description="Not a programme you belong to."),
        },
        tags=TAGS,
    )
    def post(self, request, pk: int):
        programme = get_object_or_404(access.programmes_of(request.user), pk=pk)
        services.accept_code_of_conduct(programme=programme, user=request.user)
        return _detail(request, programme)


class ProgrammeJoinView(generics.GenericAPIView):
    serializer_class = ProgrammeJoinSerializer

    @extend_schema(
        summary="Join a programme with its invite token, accepting its code of conduct",
        request=ProgrammeJoinSerializer,
        responses={
            201: ProgrammeSerializer,
            200: OpenApiResponse(ProgrammeSerializer, description="A member already: the programme."),
            400: ERRORS[400],
            401: ERRORS[401],
        },
        tags=TAGS,
    )
    def post(self, request):
        data = ProgrammeJoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mine = set(Membership.objects.filter(user=request.user).values_list("programme_id", flat=True))
        try:
            membership = services.join_with_token(user=request.user, **data.validated_data)
        except services.NotOrganiser as error:  # pragma: no cover - joining never needs organising
            raise Http404 from error
        return _joined(request, membership.programme, already=membership.programme_id in mine)
