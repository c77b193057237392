"""SCIM tokens over the REST API, for site administrators (everyone else, organisers included, gets 404),
from a signed-in browser session only: a leaked personal access token must not be able to mint directory
tokens, and creating one takes the administrator's current password, so a session alone (left open,
stolen) cannot either."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openhelp.organisers.provisioning import tokens
from openhelp.organisers.provisioning.forms import ScimTokenForm
from openhelp.organisers.provisioning.models import ScimToken
from openhelp.platform.accounts.api import (
    IsSessionAuthenticated,
    RecentlyReauthenticated,
    confirmed_data,
    current_password_field,
)
from openhelp.platform.accounts.models import User
from openhelp.platform.api.errors import ERROR_BODY, error_response
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.permissions import IsSiteAdminElse404


class ScimTokenSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    password = current_password_field()
    created_by = serializers.SerializerMethodField()
    scim_base_url = serializers.SerializerMethodField()

    class Meta:
        model = ScimToken
        fields = [
            "id",
            "name",
            "password",
            "last_four",
            "created_by",
            "created_at",
            "last_used_at",
            "scim_base_url",
        ]
        read_only_fields = ["id", "last_four", "created_by", "created_at", "last_used_at", "scim_base_url"]

    def get_created_by(self, token: ScimToken) -> str | None:
        return token.created_by.email if token.created_by else None

    def get_scim_base_url(self, token: ScimToken) -> str:
        return self.context["request"].build_absolute_uri("/scim/v2")


class NewScimTokenSerializer(ScimTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The secret. Shown only in this response.")

    class Meta(ScimTokenSerializer.Meta):
        fields = [*ScimTokenSerializer.Meta.fields, "token"]


class ScimTokenListView(generics.ListCreateAPIView):
    permission_classes = [IsSiteAdminElse404, IsSessionAuthenticated]
    serializer_class = ScimTokenSerializer
    pagination_class = None  # a handful, one per identity provider

    def get_queryset(self):
        return tokens.active_tokens()

    @extend_schema(summary="List the active SCIM tokens (site administrators)")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Create a SCIM token for an identity provider (site administrators)",
        description=(
            "From a signed-in browser session, with your current password: a session alone (left open, "
            "stolen) cannot make itself a directory token. Ten attempts a minute, and after five wrong "
            "passwords in an hour even the right one waits (429), counted together with the other steps "
            "that ask for the password. The secret is in this response only."
        ),
        request=ScimTokenSerializer,
        responses={
            201: NewScimTokenSerializer,
            400: error_response("The name is missing or too long, or the password is missing or wrong."),
        },
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = ScimTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        admin = cast(User, request.user)  # IsSiteAdminElse404: signed in
        data = confirmed_data(request, ScimTokenForm(serializer.validated_data, user=admin))
        token, secret = tokens.create_token(name=data["name"], created_by=admin)
        body = {**NewScimTokenSerializer(token, context={"request": request}).data, "token": secret}
        return Response(body, status=status.HTTP_201_CREATED)


class ScimTokenDetailView(generics.GenericAPIView):
    permission_classes = [IsSiteAdminElse404, IsSessionAuthenticated, RecentlyReauthenticated]
    serializer_class = ScimTokenSerializer

    @extend_schema(
        summary="Revoke a SCIM token at once (site administrators)",
        description="Needs a reauthentication in this browser session in the last five minutes "
        "(/accounts/reauthenticate/, as the page asks for it); otherwise 403.",
        responses={204: None, 403: ERROR_BODY},
    )
    def delete(self, request: Request, token_id: int) -> Response:
        tokens.revoke_token(token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
