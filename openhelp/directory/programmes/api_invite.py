"""REST API for a programme's invite link (its organisers only; anyone else gets 404, as on the members
page): read it, and rotate it so the old link stops working. The web's "New invite link" button calls the
same service, ``services.rotate_invite``."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from openhelp.directory.programmes import services
from openhelp.directory.programmes.api import ERRORS, TAGS
from openhelp.directory.programmes.models import Programme
from openhelp.platform.api.errors import ERROR_BODY

NOT_ORGANISED = OpenApiResponse(ERROR_BODY, description="Not a programme you organise.")


class InviteSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="What POST /api/v1/programmes/join/ takes as `token`.")
    url = serializers.URLField(
        help_text="The invite link to share: anyone with it can join after accepting the code of conduct."
    )


def _organised(request, pk: int) -> Programme:
    return get_object_or_404(Programme.objects.organised_by(request.user), pk=pk)


def _invite(request, programme: Programme) -> Response:
    url = request.build_absolute_uri(programme.get_invite_path())
    return Response(InviteSerializer({"token": programme.invite_token, "url": url}).data)


class ProgrammeInviteView(generics.GenericAPIView):
    serializer_class = InviteSerializer

    @extend_schema(
        summary="A programme's invite link (its organisers only)",
        responses={200: InviteSerializer, 401: ERRORS[401], 404: NOT_ORGANISED},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return _invite(request, _organised(request, pk))


class ProgrammeInviteRotateView(generics.GenericAPIView):
    serializer_class = InviteSerializer

    @extend_schema(
        summary="Make a new invite link; the old one stops working (its organisers only)",
        request=None,
        responses={200: InviteSerializer, 401: ERRORS[401], 404: NOT_ORGANISED},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        programme = services.rotate_invite(programme=_organised(request, pk), actor=request.user)
        return _invite(request, programme)
