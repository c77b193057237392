"""REST API for the takeaways library: search, one entry, withdraw (participants), ask suggestions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from openhelp.directory.library import services
from openhelp.directory.library.forms import LibrarySearchForm
from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.people.api import PersonRefSerializer, SkillSummarySerializer
from openhelp.directory.skills.services import resolve_skill
from openhelp.platform.api.errors import ERROR_BODY

TAGS = ["library"]
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    403: OpenApiResponse(ERROR_BODY, description="Only the two people of the session can withdraw it."),
    404: OpenApiResponse(ERROR_BODY, description="No such entry."),
}


class ResourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class LibraryEntrySerializer(serializers.ModelSerializer):
    takeaways = serializers.ListField(child=serializers.CharField(), read_only=True)
    resources = ResourceSerializer(many=True)
    skills = SkillSummarySerializer(many=True, read_only=True)
    mentor = PersonRefSerializer(read_only=True, allow_null=True, help_text="Who helped (credited).")

    class Meta:
        model = LibraryEntry
        fields = ["id", "title", "takeaways", "resources", "skills", "mentor", "published_at"]
        read_only_fields = fields


class LibraryListView(generics.GenericAPIView):
    serializer_class = LibraryEntrySerializer

    @extend_schema(
        summary="Search the library by text and skill",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=False, description="Words, or a skill name."),
            OpenApiParameter("skill", OpenApiTypes.STR, required=False, description="A skill name or alias."),
        ],
        responses={200: LibraryEntrySerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        form = LibrarySearchForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
        entries = services.search_library(
            user=request.user, text=form.cleaned_data.get("q", ""), skill=form.cleaned_data.get("skill")
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(LibraryEntrySerializer(page, many=True).data)


class LibrarySuggestionsView(generics.GenericAPIView):
    serializer_class = LibraryEntrySerializer
    pagination_class = None

    @extend_schema(
        summary="Entries that may already answer an ask on these skills",
        parameters=[
            OpenApiParameter("skill", OpenApiTypes.STR, many=True, required=False, description="Skill names.")
        ],
        responses={200: LibraryEntrySerializer(many=True), 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        skills = [
            resolve_skill(name, user=request.user) for name in request.query_params.getlist("skill")[:10]
        ]
        entries = services.suggestions_for_skills(
            skill_ids={skill.pk for skill in skills if skill is not None}, user=request.user
        )
        return Response(LibraryEntrySerializer(entries, many=True).data)


class LibraryDetailView(generics.GenericAPIView):
    serializer_class = LibraryEntrySerializer

    def _get(self, pk: int) -> LibraryEntry:
        return get_object_or_404(services.entries_for_display(user=self.request.user), pk=pk)

    @extend_schema(
        summary="One library entry",
        responses={200: LibraryEntrySerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(LibraryEntrySerializer(self._get(pk)).data)

    @extend_schema(
        summary="Withdraw an entry from the library (the session's two people only)",
        responses={204: None, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
        tags=TAGS,
    )
    def delete(self, request, pk: int):
        services.withdraw_entry(entry=self._get(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
