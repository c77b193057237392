"""REST API for Slack: my linked accounts (preferences, unlink), "find me" in a workspace, reading and
confirming a link request, and for organisers the workspaces with their kill switch and daily cap. Bot and
user tokens are never returned, only their last four.

Someone else's account or link request is a 404; the workspace endpoints are a 404 to non-organisers.
"""

from __future__ import annotations

import math

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from slack_sdk.errors import SlackApiError

from openhelp.integrations.slack import services
from openhelp.integrations.slack.client import RateLimited, WorkspaceInactive
from openhelp.integrations.slack.models import LinkRequest, SlackAccount, Workspace
from openhelp.platform.api.errors import ERROR_BODY, Conflict
from openhelp.platform.api.fields import BooleanField
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.responses import created
from openhelp.platform.lib.clock import now

TAGS = ["slack"]
ERRORS = {
    400: OpenApiResponse(
        ERROR_BODY, description="Invalid input: error.fields maps each field to its messages."
    ),
    401: OpenApiResponse(ERROR_BODY, description="Not signed in (send a personal access token)."),
    404: OpenApiResponse(ERROR_BODY, description="No such item, or it is not yours to see."),
}


class SlackUnavailable(exceptions.APIException):
    """Slack refused or failed the call, asked us to wait, or the app is off in that workspace."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = services.SLACK_DID_NOT_ANSWER
    default_code = "slack_unavailable"

    def __init__(self, *, wait: int) -> None:
        super().__init__()
        self.wait = wait  # DRF's exception handler turns it into Retry-After


class WorkspaceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workspace
        fields = ["id", "team_id", "name"]
        read_only_fields = fields


class SlackAccountSerializer(serializers.ModelSerializer):
    workspace = WorkspaceRefSerializer(read_only=True)
    status_allowed = serializers.SerializerMethodField(help_text="Slack allowed us to set your status.")

    class Meta:
        model = SlackAccount
        fields = [
            "id",
            "workspace",
            "slack_user_id",
            "linked_at",
            "status_opt_in",
            "status_allowed",
            "digest_opt_in",
        ]
        read_only_fields = ["id", "workspace", "slack_user_id", "linked_at", "status_allowed"]

    def get_status_allowed(self, account: SlackAccount) -> bool:
        return bool(account.user_token)


class PreferencesInputSerializer(KnownFieldsOnly, serializers.Serializer):
    status_opt_in = BooleanField(
        help_text="Only takes effect once you allowed it in Slack (from the Slack settings page)."
    )
    digest_opt_in = BooleanField()


class LinkRequestSerializer(serializers.ModelSerializer):
    workspace = WorkspaceRefSerializer(read_only=True)

    class Meta:
        model = LinkRequest
        fields = ["token", "workspace", "slack_user_id", "email", "created_at", "expires_at"]
        read_only_fields = fields
        extra_kwargs = {
            "token": {
                "help_text": "Confirm with POST /api/v1/slack/links/{token}/confirm/ before expires_at."
            },
            "email": {"help_text": "Your confirmed address that this Slack user has."},
        }


class WorkspaceSerializer(serializers.ModelSerializer):
    bot_token_hint = serializers.CharField(source="token_hint", read_only=True, help_text="“•••• last 4”.")
    installed = BooleanField(source="is_installed", read_only=True)
    linked_people = serializers.IntegerField(source="accounts.count", read_only=True)

    class Meta:
        model = Workspace
        fields = [
            "id",
            "team_id",
            "name",
            "installed",
            "bot_token_hint",
            "enabled",
            "daily_message_cap",
            "installed_at",
            "uninstalled_at",
            "linked_people",
        ]
        read_only_fields = [
            "id",
            "team_id",
            "name",
            "installed",
            "bot_token_hint",
            "installed_at",
            "uninstalled_at",
            "linked_people",
        ]


class WorkspaceInputSerializer(KnownFieldsOnly, serializers.Serializer):
    enabled = BooleanField(help_text="The kill switch: false silences the app in this workspace.")
    daily_message_cap = serializers.IntegerField(min_value=0, max_value=services.MAX_CAP)


def _mine(request) -> QuerySet[SlackAccount]:
    return request.user.slack_accounts.select_related("workspace")


class AccountListView(generics.GenericAPIView):
    serializer_class = SlackAccountSerializer

    @extend_schema(
        summary="My linked Slack accounts",
        responses={200: SlackAccountSerializer(many=True), 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        page = self.paginate_queryset(_mine(request).order_by("pk"))
        return self.get_paginated_response(SlackAccountSerializer(page, many=True).data)


class AccountDetailView(generics.GenericAPIView):
    serializer_class = SlackAccountSerializer

    @extend_schema(
        summary="Change my Slack preferences (status, weekly digest)",
        request=PreferencesInputSerializer,
        responses={200: SlackAccountSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def put(self, request, pk: int):
        account = get_object_or_404(_mine(request), pk=pk)
        data = PreferencesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_preferences(account=account, **data.validated_data)
        return Response(SlackAccountSerializer(account).data)

    @extend_schema(
        summary="Unlink this Slack account",
        responses={204: None, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def delete(self, request, pk: int):
        services.unlink(account=get_object_or_404(_mine(request), pk=pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FindMeView(generics.GenericAPIView):
    serializer_class = LinkRequestSerializer

    @extend_schema(
        summary="Find me in a Slack workspace by my confirmed e-mail addresses",
        description=(
            "The settings page's “Find me”: looks up each of your confirmed addresses in the workspace and "
            "makes a link request for the Slack user found, which you then confirm. Ten tries an hour, "
            "counted with the page's."
        ),
        request=None,
        responses={
            201: LinkRequestSerializer,
            401: ERRORS[401],
            404: OpenApiResponse(ERROR_BODY, description="No such workspace, or the app was uninstalled."),
            409: OpenApiResponse(
                ERROR_BODY,
                description="no_match: nobody in the workspace uses one of your confirmed addresses.",
            ),
            503: OpenApiResponse(
                ERROR_BODY,
                description="slack_unavailable: Slack did not answer, asked us to wait, or the app is off there.",
            ),
        },
        tags=TAGS,
    )
    def post(self, request, pk: int):
        workspace = get_object_or_404(Workspace.objects.filter(uninstalled_at__isnull=True), pk=pk)
        try:
            link_request = services.find_me(workspace=workspace, user=request.user)
        except RateLimited as error:
            raise SlackUnavailable(wait=max(1, math.ceil((error.until - now()).total_seconds()))) from error
        except (SlackApiError, WorkspaceInactive) as error:
            raise SlackUnavailable(wait=60) from error
        if link_request is None:
            raise Conflict(detail=services.no_match_message(workspace), code="no_match")
        response = Response(LinkRequestSerializer(link_request).data, status=status.HTTP_201_CREATED)
        return created(response, request, "slack-links-detail", token=link_request.token)


class LinkDetailView(generics.GenericAPIView):
    serializer_class = LinkRequestSerializer

    @extend_schema(
        summary="A link request waiting for my confirmation",
        responses={200: LinkRequestSerializer, 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request, token: str):
        link_request = services.pending_link(token=token, user=request.user)
        if link_request is None:
            raise Http404
        return Response(LinkRequestSerializer(link_request).data)


class ConfirmLinkView(generics.GenericAPIView):
    serializer_class = SlackAccountSerializer

    @extend_schema(
        summary="Confirm a link request sent to me in Slack",
        request=None,
        responses={201: SlackAccountSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def post(self, request, token: str):
        link_request = services.pending_link(token=token, user=request.user)
        if link_request is None:
            raise Http404
        account = services.confirm_link(link_request=link_request, user=request.user)
        response = Response(SlackAccountSerializer(account).data, status=status.HTTP_201_CREATED)
        return created(response, request, "slack-accounts-detail", pk=account.pk)


class WorkspaceListView(generics.GenericAPIView):
    serializer_class = WorkspaceSerializer

    @extend_schema(
        summary="Slack workspaces (organisers)",
        responses={200: WorkspaceSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request):
        if not request.user.is_organiser:
            raise Http404
        page = self.paginate_queryset(Workspace.objects.order_by("pk"))
        return self.get_paginated_response(WorkspaceSerializer(page, many=True).data)


class WorkspaceDetailView(generics.GenericAPIView):
    serializer_class = WorkspaceSerializer

    @extend_schema(
        summary="Kill switch and daily message cap of a workspace (organisers)",
        request=WorkspaceInputSerializer,
        responses={200: WorkspaceSerializer, 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404]},
        tags=TAGS,
    )
    def put(self, request, pk: int):
        if not request.user.is_organiser:
            raise Http404
        workspace = get_object_or_404(Workspace, pk=pk)
        data = WorkspaceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_workspace(workspace=workspace, **data.validated_data)
        return Response(WorkspaceSerializer(workspace).data)
