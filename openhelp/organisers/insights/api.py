"""Insights as JSON: the very report the dashboard renders (figures.report), for organisers only."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.directory.people.models import Team
from openhelp.organisers.insights import access
from openhelp.organisers.insights.cache import cached_report
from openhelp.organisers.insights.forms import FilterForm
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.platform.api.fields import DeprecatedAlias
from openhelp.platform.api.params import refuse_empty

FILTERS = inline_serializer(
    "InsightsFilters",
    {
        "start": serializers.DateField(help_text="First day counted: the `start` parameter as applied."),
        "end": serializers.DateField(help_text="Last day counted, included: `end` as applied."),
        "team": serializers.IntegerField(allow_null=True),
        "programme": serializers.IntegerField(allow_null=True),
        "from": DeprecatedAlias(of="start"),
        "to": DeprecatedAlias(of="end"),
    },
    help_text="The filters as applied (the defaults filled in).",
)


class InsightsReportSerializer(serializers.Serializer):
    filters = FILTERS
    people = serializers.IntegerField(allow_null=True, help_text="People in scope (null when hidden).")
    min_group_size = serializers.IntegerField()
    hidden = serializers.CharField(
        allow_null=True,
        help_text=(
            "Why no figure is shown: the selection (organisation, programme, team, or a team within a "
            "programme) covers fewer than min_group_size people, or showing it would let a smaller group "
            "be computed by comparing it with other figures (docs/privacy.md)."
        ),
    )
    skills = serializers.JSONField(required=False, help_text="The skill ledger, biggest gaps first.")
    speed = serializers.JSONField(required=False, help_text="Time to acceptance/help, solved rate, ratings.")
    participation = serializers.JSONField(
        required=False, help_text="Active people, learning density, moments."
    )
    teams = serializers.JSONField(required=False, help_text="By team; teams under min_group_size merged.")
    load = serializers.JSONField(required=False, help_text="Top-10 % share, Gini, burnout alerts.")


# What the filter form takes (a positive id), so that a client or a schema-driven tester knows 0 is refused.
ID = {"type": "integer", "minimum": 1}
PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (YYYY-MM-DD); default 12 weeks ago."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day, inclusive; default today."),
    OpenApiParameter("team", ID, description="A team id."),
    OpenApiParameter("programme", ID, description="A programme id (programme organisers: one of theirs)."),
]


class InsightsView(APIView):
    @extend_schema(
        tags=["insights"],
        parameters=PARAMETERS,
        responses={
            200: InsightsReportSerializer,
            400: OpenApiResponse(ERROR_BODY, description="Invalid filters, per field."),
            404: OpenApiResponse(ERROR_BODY, description="Not an organiser (of this programme)."),
        },
        summary="Insights for organisers",
    )
    def get(self, request):
        if not access.may_view(request.user):
            raise NotFound

        refuse_empty(request, "team", "programme")
        form = FilterForm(
            request.query_params,
            teams=Team.objects.none(),
            programmes=access.organised_programmes(request.user),
        )
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        try:
            programme = access.resolve_programme(request.user, form.cleaned_data.get("programme"))
        except Http404 as exc:
            raise NotFound from exc
        return Response(cached_report(form.filters(programme_id=programme)))
