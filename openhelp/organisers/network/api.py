"""REST API of the helper network: the same figures as the pages (organisers only, 404 for anyone else),
and each person's own naming choice."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.organisers.network import services
from openhelp.organisers.network.flow import team_flow
from openhelp.organisers.network.forms import filter_form
from openhelp.organisers.network.knowledge import latest_snapshot, top_nodes
from openhelp.organisers.network.scope import require_viewer
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.platform.api.fields import BooleanField
from openhelp.platform.api.known_fields import KnownFieldsOnly

TAGS = ["insights"]
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid filter: error.fields maps each filter to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    404: OpenApiResponse(ERROR_BODY, description="Not an organiser."),
}
MONTH = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$", "example": "2026-01"}
FILTERS = [
    OpenApiParameter("start", MONTH, description="First month counted, YYYY-MM."),
    OpenApiParameter("end", MONTH, description="Last month counted, YYYY-MM (included)."),
    OpenApiParameter("programme", str, description="Programme slug: its members only."),
    OpenApiParameter(
        "team", str, description="A team as shown (teams under 5 people are merged into Other)."
    ),
]


class NetworkFlowRowSerializer(serializers.Serializer):
    team = serializers.CharField(help_text="The helper's team.")
    cells = serializers.ListField(
        child=serializers.IntegerField(), help_text="Sessions per helped team, in `teams` order."
    )
    total = serializers.IntegerField()


class NetworkFlowSerializer(serializers.Serializer):
    teams = serializers.ListField(child=serializers.CharField(), source="labels")
    rows = NetworkFlowRowSerializer(many=True)
    column_totals = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    hidden = BooleanField(
        help_text=(
            "True when the population may not be shown (under 5 people, or a programme whose figures "
            "would reveal a smaller group when compared with the organisation's): nothing is shown."
        )
    )
    reason = serializers.CharField(help_text="Why, when hidden; empty otherwise.")


class KnowledgeNodeEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    team = serializers.CharField()
    reliance = serializers.IntegerField(help_text="Distinct people helped.")
    interactions = serializers.IntegerField()
    brokerage = serializers.FloatField(help_text="Betweenness centrality (0–1).")
    teams_helped = serializers.IntegerField()


class KnowledgeNodeRankingSerializer(serializers.Serializer):
    named = KnowledgeNodeEntrySerializer(many=True)
    not_named = serializers.IntegerField(help_text="People in this top list who did not choose to be named.")


class KnowledgeSnapshotInfoSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField()
    duration_ms = serializers.IntegerField()
    people = serializers.IntegerField()
    links = serializers.IntegerField()
    sample_size = serializers.IntegerField(allow_null=True, help_text="Set when betweenness is sampled (k).")
    seed = serializers.IntegerField(allow_null=True)


class KnowledgeNodesSerializer(serializers.Serializer):
    snapshot = KnowledgeSnapshotInfoSerializer(allow_null=True)
    relied_on = KnowledgeNodeRankingSerializer()
    bridges = KnowledgeNodeRankingSerializer()


class KnowledgeNodeConsentSerializer(KnownFieldsOnly, serializers.Serializer):
    named = BooleanField(help_text="Show my name when the organisers' insights list knowledge nodes.")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _scope(request):
    require_viewer(request.user)
    form = filter_form(request.query_params, user=request.user)
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise serializers.ValidationError(
            {name: [e["message"] for e in items] for name, items in errors.items()}
        )
    return form.scope()


class NetworkFlowView(APIView):
    @extend_schema(
        summary="Cross-team flow: completed sessions from helper team to helped team",
        parameters=FILTERS,
        responses={200: NetworkFlowSerializer, **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        return Response(NetworkFlowSerializer(team_flow(scope=_scope(request))).data)


class KnowledgeNodesView(APIView):
    @extend_schema(
        summary="Knowledge nodes: people relied on and bridges (named only with their consent)",
        parameters=FILTERS,
        responses={200: KnowledgeNodesSerializer, **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        scope = _scope(request)
        snapshot = latest_snapshot()
        body = {
            "snapshot": snapshot,
            "relied_on": top_nodes(snapshot, scope=scope, order="reliance"),
            "bridges": top_nodes(snapshot, scope=scope, order="brokerage"),
        }
        return Response(KnowledgeNodesSerializer(body).data)


class KnowledgeNodesRecomputeView(APIView):
    @extend_schema(
        summary="Recompute the knowledge nodes in the background",
        request=None,
        responses={202: OpenApiResponse(description="Queued."), 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def post(self, request):
        if not request.user.is_organiser:
            raise Http404
        services.request_recompute()
        return Response(status=status.HTTP_202_ACCEPTED)


class KnowledgeNodeConsentView(APIView):
    @extend_schema(
        summary="Whether my name may be shown among knowledge nodes",
        responses={200: KnowledgeNodeConsentSerializer, 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        return Response(KnowledgeNodeConsentSerializer(_consent_body(services.consent_of(request.user))).data)

    @extend_schema(
        summary="Choose whether my name may be shown among knowledge nodes",
        request=KnowledgeNodeConsentSerializer,
        responses={200: KnowledgeNodeConsentSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def put(self, request):
        data = KnowledgeNodeConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = services.set_knowledge_node_consent(user=request.user, named=data.validated_data["named"])
        return Response(KnowledgeNodeConsentSerializer(_consent_body(consent)).data)


def _consent_body(consent) -> dict:
    return {"named": consent.named, "updated_at": consent.updated_at if consent.pk else None}
