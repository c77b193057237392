"""REST API for the learned ranker (organisers only; anyone else gets 404 like the page).

``GET /api/v1/matching/rankers/`` lists each scope's model with its quality and status;
``PATCH /api/v1/matching/rankers/<id>/`` with ``{"use_defaults": true|false}`` goes back to the
default weights or to the learned model.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.help.routing import learned
from openhelp.help.routing.models import LearnedRanker
from openhelp.platform.api.fields import BooleanField
from openhelp.platform.api.known_fields import KnownFieldsOnly, NeededInPatch
from openhelp.platform.api.permissions import IsOrganiserElse404

TAGS = ["matching"]


class RankerSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="programme_id", allow_null=True, read_only=True)
    in_use = BooleanField(read_only=True)
    acceptance = serializers.SerializerMethodField()

    class Meta:
        model = LearnedRanker
        fields = [
            "id",
            "scope",
            "programme",
            "in_use",
            "use_defaults",
            "passed_guard",
            "guard_reason",
            "mrr_default",
            "mrr_learned",
            "guard_asks",
            "fitted_asks",
            "fitted_at",
        ]
        read_only_fields = [name for name in fields if name != "use_defaults"]
        fields = [*fields, "acceptance"]

    def get_acceptance(self, ranker) -> float | None:
        """Share of the offers answered in the last 30 days that were accepted (null without any)."""
        accepted, answered = learned.acceptance(ranker.programme)
        return round(accepted / answered, 3) if answered else None


class SwitchSerializer(NeededInPatch, KnownFieldsOnly, serializers.Serializer):
    use_defaults = BooleanField(required=True)


class RankerListView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsOrganiserElse404]

    @extend_schema(
        summary="Learned rankers with their quality",
        responses={200: RankerSerializer(many=True), 404: OpenApiResponse(description="Not an organiser.")},
        tags=TAGS,
    )
    def get(self, request):
        rows = LearnedRanker.objects.select_related("programme").order_by("scope")
        return Response(RankerSerializer(rows, many=True).data)


class RankerDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsOrganiserElse404]

    @extend_schema(
        summary="One learned ranker",
        responses={200: RankerSerializer, 404: OpenApiResponse(description="Not found or not an organiser.")},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(RankerSerializer(get_object_or_404(LearnedRanker, pk=pk)).data)

    @extend_schema(
        summary="Go back to the default weights, or use the learned ranker again",
        request=SwitchSerializer,
        responses={
            200: RankerSerializer,
            400: OpenApiResponse(description="use_defaults missing or not a boolean."),
            404: OpenApiResponse(description="Not found or not an organiser."),
        },
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        ranker = get_object_or_404(LearnedRanker, pk=pk)
        data = SwitchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ranker = learned.set_use_defaults(ranker, use_defaults=data.validated_data["use_defaults"])
        return Response(RankerSerializer(ranker).data)
