"""Personal access tokens over the API. Only a logged-in browser session may manage them: a token that
leaked must not be able to mint more tokens or keep itself alive."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response

from openhelp.platform.accounts import services
from openhelp.platform.accounts.models import AccessToken


class IsSessionAuthenticated(permissions.BasePermission):
    message = "Manage access tokens from a signed-in browser session, not with an access token."

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and not isinstance(request.auth, AccessToken)
        )


class AccessTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessToken
        fields = ["id", "name", "key_hint", "created_at", "last_used_at"]
        read_only_fields = ["id", "key_hint", "created_at", "last_used_at"]


class NewAccessTokenSerializer(AccessTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="The token itself. Shown only in this response.")

    class Meta(AccessTokenSerializer.Meta):
        fields = [*AccessTokenSerializer.Meta.fields, "key"]


class TokenListView(generics.ListCreateAPIView):
    permission_classes = [IsSessionAuthenticated]
    serializer_class = AccessTokenSerializer

    def get_queryset(self):
        return services.active_tokens(user=self.request.user)

    @extend_schema(
        summary="Create a personal access token",
        request=AccessTokenSerializer,
        responses={201: NewAccessTokenSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = AccessTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, raw_key = services.create_access_token(
            user=request.user, name=serializer.validated_data["name"]
        )
        token.key = raw_key
        return Response(NewAccessTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="List your active personal access tokens")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TokenDetailView(generics.GenericAPIView):
    permission_classes = [IsSessionAuthenticated]
    serializer_class = AccessTokenSerializer

    @extend_schema(summary="Revoke a personal access token", responses={204: None})
    def delete(self, request, token_id: int):
        services.revoke_access_token(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
