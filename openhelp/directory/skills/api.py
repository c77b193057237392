"""REST API for the skill taxonomy: list, search, autocomplete, propose; organisers approve, reject, rename
and merge."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.directory.skills import services
from openhelp.directory.skills.models import Skill, SkillAlias, SkillCategory
from openhelp.platform.api.errors import Conflict
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.params import refuse_empty
from openhelp.platform.api.permissions import IsOrganiserElse404
from openhelp.platform.api.responses import created

# --- Serializers -----------------------------------------------------------------------------------


class SkillCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillCategory
        fields = ["name", "slug"]


class SkillSummarySerializer(serializers.ModelSerializer):
    """A skill as other apps embed it (an ask's skills, a person's offers): import this one, so the
    schema has a single "SkillSummary" component."""

    class Meta:
        model = Skill
        fields = ["id", "name", "slug", "status"]
        read_only_fields = fields


class SkillSerializer(serializers.ModelSerializer):
    category = SkillCategorySerializer(read_only=True, allow_null=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    offer_count = serializers.IntegerField(read_only=True, help_text="People who offer this skill.")
    wanted_count = serializers.IntegerField(read_only=True, help_text="People who want to learn it.")

    class Meta:
        model = Skill
        fields = [
            "id",
            "name",
            "slug",
            "status",
            "category",
            "parent",
            "description",
            "aliases",
            "offer_count",
            "wanted_count",
        ]
        read_only_fields = fields


class SkillSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="skill.pk")
    name = serializers.CharField(source="skill.name")
    slug = serializers.CharField(source="skill.slug")
    label = serializers.CharField(help_text='What to show, e.g. "k8s → Kubernetes" for an alias hit.')
    alias = serializers.CharField(allow_null=True, help_text="The alias that matched, if any.")
    status = serializers.CharField(source="skill.status")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["alias"] = data["alias"] or None
        return data


class SkillAutocompleteSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SkillSuggestionSerializer(many=True)


class SkillProposalSerializer(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=80)
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=SkillCategory.objects.all(), required=False, allow_null=True
    )
    parent = serializers.CharField(
        required=False, allow_blank=True, max_length=80, help_text="Name, alias or slug of a broader skill."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    def validate_parent(self, value: str) -> Skill | None:
        if not value:
            return None
        user = self.context["request"].user
        skill = (
            services.resolve_skill(value, user=user)
            or Skill.objects.visible_to(user).filter(slug=value).first()
        )
        if skill is None:
            raise serializers.ValidationError(f"We don't know the skill “{value}” yet.")
        return skill

    def create(self, validated_data) -> Skill:
        try:
            return services.propose_skill(user=self.context["request"].user, **validated_data)
        except services.ProposalRateLimited as error:
            raise exceptions.Throttled(detail=error.messages[0]) from None
        except services.DuplicateSkill as error:
            detail = {"name": error.messages}
            if error.existing.is_public or error.existing.proposed_by_id == self.context["request"].user.pk:
                detail["existing"] = [error.existing.slug]
            raise serializers.ValidationError(detail) from None
        except DjangoValidationError as error:
            raise serializers.ValidationError({"name": error.messages}) from None


class SkillRejectSerializer(KnownFieldsOnly, serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, allow_blank=True, required=False, default="", help_text="Told to the proposer."
    )


class SkillRenameSerializer(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=80, help_text="The old name stays as an alias.")


class SkillMergeSerializer(KnownFieldsOnly, serializers.Serializer):
    into = serializers.SlugField(max_length=80, help_text="Slug of the skill that remains.")

    def validate_into(self, value: str) -> Skill:
        target = Skill.objects.filter(slug=value).first()
        if target is None:
            raise serializers.ValidationError(f"There is no skill “{value}”.")
        return target


# --- Views -----------------------------------------------------------------------------------------


def _for_output(skills: QuerySet[Skill]) -> QuerySet[Skill]:
    return skills.select_related("category", "parent").prefetch_related(
        Prefetch("aliases", queryset=SkillAlias.objects.order_by("name"))
    )


@extend_schema_view(
    get=extend_schema(
        summary="List skills",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of a name or alias, e.g. k8s."),
            OpenApiParameter("category", OpenApiTypes.STR, description="Category slug."),
        ],
    )
)
class SkillListView(generics.ListAPIView):
    serializer_class = SkillSerializer

    def get_queryset(self) -> QuerySet[Skill]:
        params = self.request.query_params
        refuse_empty(self.request, "category")
        category = None
        if params.get("category"):
            category = SkillCategory.objects.filter(slug=params["category"]).first()
            if category is None:
                raise serializers.ValidationError(
                    {"category": [f"There is no category “{params['category']}”."]}
                )
        skills = services.search_skills(
            user=self.request.user, text=params.get("q", "")[:80], category=category
        )
        return _for_output(skills).order_by("name", "pk")


class SkillAutocompleteView(APIView):
    @extend_schema(
        summary="Suggest skills while typing",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="What the person typed so far.")],
        responses=SkillAutocompleteSerializer,
    )
    def get(self, request: Request) -> Response:
        text = request.query_params.get("q", "")[:80]
        suggestions = services.autocomplete_skills(text, user=request.user)
        return Response(SkillAutocompleteSerializer({"query": text, "results": suggestions}).data)


@extend_schema_view(get=extend_schema(summary="One skill"))
class SkillDetailView(generics.RetrieveAPIView):
    serializer_class = SkillSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Skill]:
        return _for_output(services.with_people_counts(services.viewable_skills(self.request.user)))


class SkillProposeView(generics.CreateAPIView):
    serializer_class = SkillProposalSerializer

    @extend_schema(
        summary="Propose a new skill",
        description="Usable by you at once; public after an organiser approves it. 10 per hour.",
        responses={
            201: SkillSerializer,
            400: OpenApiResponse(description="Field errors, e.g. the name is already a skill or alias."),
            429: OpenApiResponse(description="Too many proposals this hour."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        skill = serializer.save()
        output = _for_output(services.with_people_counts(Skill.objects.filter(pk=skill.pk))).get()
        response = Response(SkillSerializer(output).data, status=status.HTTP_201_CREATED)
        return created(response, request, "skill-detail", slug=output.slug)


def _organiser_skill(request: Request, slug: str) -> Skill:
    return get_object_or_404(Skill.objects.select_related("proposed_by"), slug=slug)


def _skill_output(skill: Skill) -> dict:
    return SkillSerializer(
        _for_output(services.with_people_counts(Skill.objects.filter(pk=skill.pk))).get()
    ).data


class SkillApproveView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsOrganiserElse404]

    @extend_schema(
        summary="Approve a proposed skill (organisers)",
        request=None,
        responses={
            200: SkillSerializer,
            404: OpenApiResponse(description="No such skill, or you are not an organiser."),
            409: OpenApiResponse(description="Already approved."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        skill = _organiser_skill(request, slug)
        try:
            services.approve_skill(skill=skill)
        except services.AlreadyApproved as error:
            raise Conflict(error.messages[0]) from None
        return Response(_skill_output(skill))


class SkillMergeView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsOrganiserElse404]

    @extend_schema(
        summary="Merge this skill into another (organisers)",
        request=SkillMergeSerializer,
        responses={
            200: SkillSerializer,
            400: OpenApiResponse(description="Unknown target or the same skill."),
            404: OpenApiResponse(description="No such skill, or you are not an organiser."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        source = _organiser_skill(request, slug)
        serializer = SkillMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            target = services.merge_skills(source=source, target=serializer.validated_data["into"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"into": error.messages}) from None
        return Response(_skill_output(target))


class SkillRejectView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsOrganiserElse404]

    @extend_schema(
        summary="Reject a proposed skill: it is removed and the proposer told why (organisers)",
        request=SkillRejectSerializer,
        responses={
            204: None,
            404: OpenApiResponse(description="No such skill, or you are not an organiser."),
            409: OpenApiResponse(description="Already approved: merge it instead."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        skill = _organiser_skill(request, slug)
        serializer = SkillRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.reject_skill(skill=skill, reason=serializer.validated_data["reason"])
        except DjangoValidationError as error:
            raise Conflict(error.messages[0]) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class SkillRenameView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsOrganiserElse404]

    @extend_schema(
        summary="Rename a skill; the old name stays as an alias (organisers)",
        request=SkillRenameSerializer,
        responses={
            200: SkillSerializer,
            400: OpenApiResponse(description="No name, too long, or already another skill's name."),
            404: OpenApiResponse(description="No such skill, or you are not an organiser."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        skill = _organiser_skill(request, slug)
        serializer = SkillRenameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            renamed = services.rename_skill(skill=skill, name=serializer.validated_data["name"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"name": error.messages}) from None
        return Response(_skill_output(renamed))
