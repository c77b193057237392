"""REST API for learning goals (the owner's only): write them, and read progress and suggestions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from openhelp.community.goals import services
from openhelp.community.goals.models import MAX_GOAL_SKILLS, MAX_TITLE, MAX_WHY, LearningGoal
from openhelp.directory.people.api import PersonRefSerializer, SkillReferenceField, SkillSummarySerializer
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.platform.api.fields import BooleanField, ListField
from openhelp.platform.api.idempotency import IdempotentCreates
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.responses import created

TAGS = ["goals"]
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    404: OpenApiResponse(ERROR_BODY, description="No such goal, or it is not yours."),
}


class SuggestedMentorSerializer(serializers.Serializer):
    person = PersonRefSerializer(source="profile.user")
    skill = SkillSummarySerializer()
    level = serializers.IntegerField()


class SuggestedOfficeHoursSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    mentor = PersonRefSerializer()
    weekdays = serializers.ListField(child=serializers.CharField(), source="weekday_names", read_only=True)


class SkillProgressSerializer(serializers.Serializer):
    skill = SkillSummarySerializer()
    sessions = serializers.IntegerField()
    takeaways = serializers.IntegerField()
    endorsements = serializers.IntegerField()
    library_entries = serializers.IntegerField()
    covered = BooleanField(help_text="Has a session or an endorsement.")


class SkillProgressDetailSerializer(SkillProgressSerializer):
    mentors = SuggestedMentorSerializer(many=True, help_text="For skills not yet covered.")
    office_hours = SuggestedOfficeHoursSerializer(many=True, help_text="For skills not yet covered.")


class GoalSerializer(serializers.ModelSerializer):
    skills = SkillSummarySerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = LearningGoal
        fields = ["id", "title", "why", "skills", "target_date", "achieved_at", "created_at", "progress"]
        read_only_fields = fields

    @extend_schema_field(SkillProgressSerializer(many=True))
    def get_progress(self, goal) -> list[dict]:
        items = self.context["progress"].get(goal.pk)
        return SkillProgressSerializer(items.skills if items else [], many=True).data


class GoalDetailSerializer(GoalSerializer):
    @extend_schema_field(SkillProgressDetailSerializer(many=True))
    def get_progress(self, goal) -> list[dict]:
        items = self.context["progress"].get(goal.pk)
        return SkillProgressDetailSerializer(items.skills if items else [], many=True).data


class GoalInputSerializer(KnownFieldsOnly, serializers.Serializer):
    title = serializers.CharField(max_length=MAX_TITLE, allow_blank=True)
    why = serializers.CharField(max_length=MAX_WHY, allow_blank=True, required=False, default="")
    skills = ListField(
        child=SkillReferenceField(),
        max_length=MAX_GOAL_SKILLS,
        min_items=1,
        help_text="Skill ids, names or aliases.",
    )
    target_date = serializers.DateField()
    achieved = BooleanField(required=False, help_text="Mark the goal achieved (or not).")


def _progress_map(goals, user, *, detail: bool = False) -> dict:
    items = services.progress_for(goals, user=user)
    if detail:
        items = [services.add_suggestions(item, user=user) for item in items]
    return {item.goal.pk: item for item in items}


class GoalListView(IdempotentCreates, generics.GenericAPIView):
    serializer_class = GoalSerializer

    @extend_schema(
        summary="My learning goals with progress",
        responses={200: GoalSerializer(many=True), 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        page = self.paginate_queryset(services.goals_of(user=request.user))
        context = {"progress": _progress_map(page, request.user)}
        return self.get_paginated_response(GoalSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Set a learning goal",
        request=GoalInputSerializer,
        responses={201: GoalDetailSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def post(self, request):
        data = GoalInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("achieved", None)
        goal = services.create_goal(owner=request.user, **fields)
        return created(
            _detail(request, goal.pk, status.HTTP_201_CREATED), request, "goals-detail", pk=goal.pk
        )


def _detail(request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    goal = get_object_or_404(services.goals_of(user=request.user), pk=pk)
    context = {"progress": _progress_map([goal], request.user, detail=True)}
    return Response(GoalDetailSerializer(goal, context=context).data, status=code)


class GoalDetailView(generics.GenericAPIView):
    serializer_class = GoalDetailSerializer

    def _get(self, pk: int) -> LearningGoal:
        return get_object_or_404(services.goals_of(user=self.request.user), pk=pk)

    @extend_schema(
        summary="A goal: progress per skill and suggestions for skills not yet covered",
        responses={200: GoalDetailSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return _detail(request, pk)

    @extend_schema(
        summary="Change a goal",
        request=GoalInputSerializer,
        responses={200: GoalDetailSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def put(self, request, pk: int):
        goal = self._get(pk)
        data = GoalInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        achieved = fields.pop("achieved", None)
        services.update_goal(goal=goal, actor=request.user, **fields)
        if achieved is not None and achieved != goal.is_achieved:
            services.set_achieved(goal=goal, actor=request.user, achieved=achieved)
        return _detail(request, pk)

    @extend_schema(
        summary="Delete a goal", responses={204: None, 401: ERRORS[401], 404: ERRORS[404]}, tags=TAGS
    )
    def delete(self, request, pk: int):
        services.delete_goal(goal=self._get(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
