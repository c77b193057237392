"""REST API for co-asker invitations: the invitations waiting for me, accept, decline, and leaving an ask.

Someone asked to co-ask sees only the ask's title and who asked them until they accept; an ask they are
not asked to and not on is a 404, as everywhere else.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from openhelp.directory.people.api import PersonRefSerializer
from openhelp.help.asks import services
from openhelp.help.asks.api import ERRORS, TAGS, AskDetailSerializer, AskMixin, _run
from openhelp.help.asks.models import CoAskerInvitation


class InvitationSerializer(serializers.ModelSerializer):
    ask = serializers.IntegerField(source="ask_id", read_only=True)
    ask_title = serializers.CharField(source="ask.title", read_only=True)
    invited_by = PersonRefSerializer(read_only=True)

    class Meta:
        model = CoAskerInvitation
        fields = ["ask", "ask_title", "invited_by", "created_at"]
        read_only_fields = fields


class InvitationListView(generics.GenericAPIView):
    serializer_class = InvitationSerializer

    @extend_schema(
        summary="Asks I am asked to co-ask, waiting for my answer",
        responses={200: InvitationSerializer(many=True), 401: ERRORS[401]},
        tags=TAGS,
    )
    def get(self, request):
        page = self.paginate_queryset(services.pending_invitations(user=request.user))
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)


def _invitation_for(request, pk: int) -> CoAskerInvitation:
    invitation = services.pending_invitation(ask_id=pk, user=request.user)
    if invitation is None:
        raise NotFound("No invitation to co-ask this ask is waiting for you.")
    return invitation


class InvitationAcceptView(AskMixin, generics.GenericAPIView):
    serializer_class = serializers.Serializer

    @extend_schema(
        summary="Accept an invitation to co-ask: you see the ask from now on",
        request=None,
        responses={200: AskDetailSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        invitation = _invitation_for(request, pk)
        ask = _run(lambda: services.accept_co_asker_invitation(ask=invitation.ask, invitee=request.user))
        return self.respond(ask)


class InvitationDeclineView(generics.GenericAPIView):
    serializer_class = serializers.Serializer

    @extend_schema(
        summary="Decline an invitation to co-ask (you are not asked again for this ask)",
        request=None,
        responses={204: OpenApiResponse(description="Declined."), **ERRORS},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        invitation = _invitation_for(request, pk)
        _run(lambda: services.decline_co_asker_invitation(ask=invitation.ask, invitee=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AskLeaveView(AskMixin, generics.GenericAPIView):
    serializer_class = serializers.Serializer

    @extend_schema(
        summary="Leave an ask you co-ask (you are not added back)",
        request=None,
        responses={204: OpenApiResponse(description="You left the ask."), **ERRORS},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        ask = self.get_ask()
        _run(lambda: services.leave_ask(ask=ask, user=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
