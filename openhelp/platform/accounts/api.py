"""Personal access tokens and deleting one's own account over the API.

Only a logged-in browser session may manage tokens: a token that leaked must not be able to mint more
tokens or keep itself alive. Creating one takes the person's current password too, so a session left open
or stolen cannot turn itself into lasting access. Deleting the account takes the web form's confirmation
(the password and the typed phrase) under the same limits, so a token alone cannot do it either.
"""

from __future__ import annotations

from allauth.account.internal.flows.reauthentication import get_reauthentication_flows
from allauth.core import ratelimit as allauth_ratelimit
from django.contrib.auth import logout
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response

from openhelp.platform.accounts import services
from openhelp.platform.accounts.decorators import reauthenticated_recently
from openhelp.platform.accounts.forms import (
    DELETE_PHRASE,
    SIGN_IN_AGAIN,
    TOO_MANY_ATTEMPTS,
    AccessTokenForm,
    DeleteAccountForm,
    PasswordConfirmedForm,
    signed_in_recently,
)
from openhelp.platform.accounts.models import AccessToken
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.responses import created
from openhelp.platform.lib.ratelimit import RATE_LIMITED


class IsSessionAuthenticated(permissions.BasePermission):
    message = "Manage access tokens from a signed-in browser session, not with an access token."

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and not isinstance(request.auth, AccessToken)
        )


class RecentlyReauthenticated(permissions.BasePermission):
    """Changes (not reads) need a reauthentication in the last five minutes, as the pages ask for
    (``accounts.decorators.reauthentication_required``); the 403 says where to give it."""

    message = "Confirm your password first."
    code = "reauthentication_required"

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or reauthenticated_recently(request._request):
            return True
        if get_reauthentication_flows(request.user):
            self.message = (
                f"Confirm your password first: open {reverse('account_reauthenticate')} in this browser, "
                "then send this again within five minutes."
            )
        else:
            self.message = SIGN_IN_AGAIN
        return False


def current_password_field() -> serializers.CharField:
    """The person's current password, as the web forms take it: never trimmed, never in a response."""
    return serializers.CharField(
        write_only=True,
        required=False,  # the form asks for it, unless the account signs in only through the company login
        trim_whitespace=False,
        max_length=4096,
        help_text="Your current password. Required, unless you sign in only through your company login: "
        "then a sign-in in the last five minutes confirms the step instead (403 otherwise).",
    )


def confirmed_data(request, form: PasswordConfirmedForm) -> dict:
    """The web form's checks over the API, password included: allauth's limit of ten attempts a minute,
    taken first and shared with the pages (429, the password not even checked), then the form (five wrong
    passwords an hour refuse even the right one: 429; any other error: 400 on its field)."""
    if not allauth_ratelimit.consume(request, action="reauthenticate", user=request.user):
        raise exceptions.Throttled(wait=60, detail=TOO_MANY_ATTEMPTS)
    if form.needs_recent_sign_in and not signed_in_recently(request._request):
        raise exceptions.PermissionDenied(SIGN_IN_AGAIN)
    if not form.is_valid():
        if form.has_error("password", code=RATE_LIMITED):
            raise exceptions.Throttled(wait=3600, detail=str(form.errors["password"][0]))
        raise exceptions.ValidationError(
            {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        )
    return form.cleaned_data


class AccessTokenSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    password = current_password_field()

    class Meta:
        model = AccessToken
        fields = ["id", "name", "password", "key_hint", "created_at", "last_used_at"]
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
        description=(
            "From a signed-in browser session, with your current password: a session alone (left open, "
            "stolen) cannot make itself lasting access. A wrong password is a 400 on `password`; ten "
            "attempts a minute, and after five wrong passwords in an hour even the right one waits (429), "
            "counted together with the other steps that ask for the password. The key is in this response "
            "only."
        ),
        request=AccessTokenSerializer,
        responses={201: NewAccessTokenSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = AccessTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = confirmed_data(request, AccessTokenForm(serializer.validated_data, user=request.user))
        token, raw_key = services.create_access_token(user=request.user, name=data["name"])
        token.key = raw_key
        response = Response(NewAccessTokenSerializer(token).data, status=status.HTTP_201_CREATED)
        return created(response, request, "token-detail", token_id=token.pk)  # where it is revoked

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


class DeleteAccountSerializer(KnownFieldsOnly, serializers.Serializer):
    password = current_password_field()
    confirmation = serializers.CharField(
        max_length=40, help_text=f"Type “{DELETE_PHRASE}” (any case and spacing) to confirm."
    )


class DeleteAccountView(generics.GenericAPIView):
    serializer_class = DeleteAccountSerializer

    @extend_schema(
        summary="Delete my account and everything in it",
        description=(
            "The web's confirmation: your current password and the typed phrase. Upcoming bookings are "
            "cancelled and the other side told, then the account, profile, notifications, tokens and "
            "addresses are deleted; a browser session is signed out. Ten attempts a minute, and after five "
            "wrong passwords in an hour even the right one waits (429)."
        ),
        request=DeleteAccountSerializer,
        responses={204: None},
    )
    def post(self, request):
        data = DeleteAccountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        confirmed_data(request, DeleteAccountForm(data.validated_data, user=request.user))
        services.delete_account(user=request.user)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
