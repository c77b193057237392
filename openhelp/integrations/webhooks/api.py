"""REST API for outgoing webhooks (organisers only; everyone else gets 404): endpoints, their delivery
log and the same actions as the pages. A secret appears in full only in the answer that made it."""

from __future__ import annotations

from typing import cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.integrations.webhooks import services
from openhelp.integrations.webhooks.models import Delivery, DeliveryStatus, Endpoint
from openhelp.platform.accounts.models import User
from openhelp.platform.api.errors import ERROR_BODY, Conflict
from openhelp.platform.api.fields import BooleanField, ListField
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.permissions import IsOrganiserElse404
from openhelp.platform.api.responses import created
from openhelp.platform.outbox.kinds import KINDS

TAGS = ["webhooks"]
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    404: OpenApiResponse(ERROR_BODY, description="No such endpoint, or you are not an organiser."),
    409: OpenApiResponse(ERROR_BODY, description="The endpoint is disabled: enable it first."),
    429: OpenApiResponse(
        ERROR_BODY, description="Too many test messages or deliveries sent again this hour (webhooks.limits)."
    ),
}


class EndpointSerializer(serializers.ModelSerializer):
    kinds = serializers.ListField(child=serializers.CharField(), read_only=True)
    secret_hint = serializers.CharField(read_only=True, help_text="The last four characters only.")

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "description",
            "all_kinds",
            "kinds",
            "is_enabled",
            "disabled_reason",
            "disabled_at",
            "failure_streak",
            "secret_hint",
            "created_at",
        ]
        read_only_fields = fields


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="whsec_…: shown this once.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class EndpointInputSerializer(KnownFieldsOnly, serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    all_kinds = BooleanField(required=False, default=False)
    kinds = ListField(
        child=serializers.ChoiceField(choices=list(KINDS)),
        max_length=len(KINDS),
        required=False,
        default=list,
    )


class DeliverySerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "message_id",
            "event_id",
            "kind",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "last_status_code",
            "last_response",
            "last_error",
            "last_duration_ms",
            "created_at",
        ]
        read_only_fields = fields


class EventKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    payload = serializers.CharField(help_text="The ids the event's data holds.")


def _with_secret(result: services.WithSecret) -> dict:
    return {**EndpointSerializer(result.endpoint).data, "secret": result.secret}


class _OrganiserView(APIView):
    permission_classes = [IsOrganiserElse404]

    def endpoint(self, pk: int) -> Endpoint:
        return get_object_or_404(Endpoint, pk=pk)


class EndpointListView(_OrganiserView):
    @extend_schema(
        summary="Webhook endpoints",
        responses={200: EndpointSerializer(many=True), 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return Response(EndpointSerializer(Endpoint.objects.order_by("created_at", "id"), many=True).data)

    @extend_schema(
        summary="Add a webhook endpoint (the answer holds its secret, once)",
        request=EndpointInputSerializer,
        responses={201: EndpointWithSecretSerializer, 400: ERRORS[400], 404: ERRORS[404]},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = EndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.create_endpoint(actor=request.user, **data.validated_data)
        response = Response(_with_secret(result), status=status.HTTP_201_CREATED)
        return created(response, request, "webhook-endpoint", pk=result.endpoint.pk)


class EndpointDetailView(_OrganiserView):
    @extend_schema(
        summary="One webhook endpoint", responses={200: EndpointSerializer, 404: ERRORS[404]}, tags=TAGS
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(EndpointSerializer(self.endpoint(pk)).data)

    @extend_schema(
        summary="Change a webhook endpoint (the fields sent; the others stay)",
        request=EndpointInputSerializer(partial=True),
        responses={200: EndpointSerializer, 400: ERRORS[400], 404: ERRORS[404]},
        tags=TAGS,
    )
    def patch(self, request: Request, pk: int) -> Response:
        endpoint = self.endpoint(pk)
        data = EndpointInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        current = {
            "url": endpoint.url,
            "description": endpoint.description,
            "all_kinds": endpoint.all_kinds,
            "kinds": endpoint.kinds,
        }
        services.update_endpoint(endpoint=endpoint, **{**current, **data.validated_data})
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(summary="Delete a webhook endpoint", responses={204: None, 404: ERRORS[404]}, tags=TAGS)
    def delete(self, request: Request, pk: int) -> Response:
        services.delete_endpoint(endpoint=self.endpoint(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointEnableView(_OrganiserView):
    @extend_schema(
        summary="Enable a disabled endpoint again",
        request=None,
        responses={200: EndpointSerializer, 404: ERRORS[404]},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(EndpointSerializer(services.enable_endpoint(endpoint=self.endpoint(pk))).data)


class EndpointRotateView(_OrganiserView):
    @extend_schema(
        summary="Rotate the signing secret (the old one also signs for 24 h)",
        request=None,
        responses={200: EndpointWithSecretSerializer, 404: ERRORS[404]},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(_with_secret(services.rotate_secret(endpoint=self.endpoint(pk))))


class EndpointTestView(_OrganiserView):
    @extend_schema(
        summary="Queue a webhook.test message",
        request=None,
        responses={202: DeliverySerializer, 404: ERRORS[404], 409: ERRORS[409], 429: ERRORS[429]},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        endpoint = self.endpoint(pk)
        if not endpoint.is_enabled:
            raise Conflict("The endpoint is disabled: enable it first.")
        delivery = services.send_test(endpoint=endpoint, actor=cast(User, request.user))
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class EndpointDeliveriesView(_OrganiserView):
    @extend_schema(
        summary="The endpoint's last 50 deliveries, newest first",
        responses={200: DeliverySerializer(many=True), 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(DeliverySerializer(services.recent_deliveries(self.endpoint(pk)), many=True).data)


class DeliveryReplayView(_OrganiserView):
    @extend_schema(
        summary="Send a delivery again (same webhook-id, a fresh retry schedule)",
        request=None,
        responses={202: DeliverySerializer, 404: ERRORS[404], 409: ERRORS[409], 429: ERRORS[429]},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int, delivery_pk: int) -> Response:
        delivery = get_object_or_404(
            Delivery.objects.select_related("endpoint"), pk=delivery_pk, endpoint_id=pk
        )
        if not delivery.endpoint.is_enabled:
            raise Conflict("The endpoint is disabled: enable it first.")
        services.replay_delivery(delivery=delivery, actor=cast(User, request.user))
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class EventKindsView(_OrganiserView):
    @extend_schema(
        summary="Every event kind an endpoint can subscribe to",
        responses={200: EventKindSerializer(many=True), 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return Response([{"kind": kind, "payload": holds} for kind, holds in KINDS.items()])
