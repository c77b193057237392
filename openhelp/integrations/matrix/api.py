"""The Matrix link and the bot's set-up over the REST API: the same services as the web pages.

``/matrix/link/``: your link (GET), confirm a code the bot sent you (POST), unlink (DELETE).
``/matrix/bot/``: organisers only (anyone else: 404); the access token is write-only and shown as its
last four characters.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.integrations.matrix import services
from openhelp.integrations.matrix.models import MatrixBot, MatrixLink
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.platform.api.fields import BooleanField
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.permissions import IsOrganiserElse404

TAGS = ["matrix"]


class LinkSerializer(serializers.Serializer):
    linked = BooleanField()
    matrix_id = serializers.CharField(allow_blank=True)
    linked_at = serializers.DateTimeField(allow_null=True)


class ConfirmSerializer(KnownFieldsOnly, serializers.Serializer):
    code = serializers.CharField(max_length=64, help_text="The code in the link the bot sent after !link.")


class BotSerializer(KnownFieldsOnly, serializers.Serializer):
    homeserver_url = serializers.URLField(max_length=200)
    user_id = serializers.CharField(max_length=255)
    access_token = serializers.CharField(
        max_length=500,
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Empty keeps the stored one.",
    )
    enabled = BooleanField(default=True)
    token_hint = serializers.CharField(read_only=True)
    last_synced_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_error = serializers.CharField(read_only=True)


def _link_body(link: MatrixLink | None) -> dict:
    return {
        "linked": link is not None,
        "matrix_id": link.matrix_id if link else "",
        "linked_at": link.linked_at if link else None,
    }


class LinkView(APIView):
    @extend_schema(tags=TAGS, summary="Your Matrix link", responses={200: LinkSerializer})
    def get(self, request):
        link = MatrixLink.objects.filter(user=request.user).first()
        return Response(LinkSerializer(_link_body(link)).data)

    @extend_schema(
        tags=TAGS,
        summary="Confirm the link code the bot sent you",
        request=ConfirmSerializer,
        responses={
            200: LinkSerializer,
            400: OpenApiResponse(ERROR_BODY, description="Unknown, used or expired code."),
        },
    )
    def post(self, request):
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.confirm_link(code=serializer.validated_data["code"], user=request.user)
        return Response(LinkSerializer(_link_body(link)).data)

    @extend_schema(tags=TAGS, summary="Unlink Matrix", responses={204: None})
    def delete(self, request):
        services.unlink(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BotView(APIView):
    permission_classes = [IsOrganiserElse404]

    @extend_schema(
        tags=TAGS,
        summary="The Matrix bot's account (organisers)",
        responses={
            200: BotSerializer,
            404: OpenApiResponse(ERROR_BODY, description="Not set up, or not an organiser."),
        },
    )
    def get(self, request):
        bot = MatrixBot.objects.filter(pk=1).first()
        if bot is None:
            raise Http404
        return Response(BotSerializer(bot).data)

    @extend_schema(
        tags=TAGS,
        summary="Connect or change the Matrix bot (organisers)",
        request=BotSerializer,
        responses={200: BotSerializer, 400: OpenApiResponse(ERROR_BODY, description="Invalid input.")},
    )
    def put(self, request):
        serializer = BotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bot = services.save_bot(**serializer.validated_data)
        return Response(BotSerializer(bot).data)
