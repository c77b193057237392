"""The connected calendar over the API: the same services as /settings/calendars/."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.directory.calendars import services
from openhelp.directory.calendars.models import CalendarConnection
from openhelp.platform.api.errors import error_response
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.responses import created


class DiscoveredCalendarSerializer(serializers.Serializer):
    url = serializers.URLField()
    name = serializers.CharField()


class ConnectionSerializer(serializers.ModelSerializer):
    password = serializers.SerializerMethodField(
        help_text="Never shown back: its last four characters, or that it must be entered again."
    )
    calendars = DiscoveredCalendarSerializer(many=True, read_only=True)

    class Meta:
        model = CalendarConnection
        fields = [
            "server_url",
            "username",
            "password",
            "calendars",
            "busy_calendar_url",
            "write_calendar_url",
            "status",
            "last_error",
            "last_synced_at",
        ]
        read_only_fields = fields

    def get_password(self, connection: CalendarConnection) -> str:
        return connection.password_shown


class ConnectSerializer(KnownFieldsOnly, serializers.Serializer):
    server_url = serializers.URLField(max_length=500)
    username = serializers.CharField(max_length=200)
    password = serializers.CharField(max_length=500, trim_whitespace=False, write_only=True)


class ChooseSerializer(KnownFieldsOnly, serializers.Serializer):
    """Send only what changes: a calendar left out stays as it is; an empty one is "none"."""

    busy_calendar_url = serializers.CharField(
        max_length=500, allow_blank=True, required=False, help_text="Read busy times from it (empty: none)."
    )
    write_calendar_url = serializers.CharField(
        max_length=500, allow_blank=True, required=False, help_text="Write bookings into it (empty: none)."
    )


def _mine(request) -> CalendarConnection:
    connection = CalendarConnection.objects.filter(user=request.user).first()
    if connection is None:
        raise Http404
    return connection


class ConnectionView(APIView):
    @extend_schema(
        summary="Your connected calendar",
        responses={200: ConnectionSerializer, 404: error_response("No calendar is connected.")},
    )
    def get(self, request):
        return Response(ConnectionSerializer(_mine(request)).data)

    @extend_schema(
        summary="Connect a CalDAV account (discovers its calendars; replaces an earlier one)",
        request=ConnectSerializer,
        responses={
            201: ConnectionSerializer,
            400: error_response("Wrong password, not a CalDAV server, unreachable or refused address."),
        },
    )
    def post(self, request):
        serializer = ConnectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        connection = services.connect(user=request.user, **serializer.validated_data)
        response = Response(ConnectionSerializer(connection).data, status=status.HTTP_201_CREATED)
        return created(response, request, "calendar-connection")

    @extend_schema(
        summary="Choose the calendars busy times are read from and bookings written into",
        request=ChooseSerializer,
        responses={
            200: ConnectionSerializer,
            400: error_response("Not one of the discovered calendars."),
            404: error_response("No calendar is connected."),
        },
    )
    def patch(self, request):
        current = _mine(request)
        serializer = ChooseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = serializer.validated_data
        connection = services.choose_calendars(
            user=request.user,
            busy_calendar_url=chosen.get("busy_calendar_url", current.busy_calendar_url),
            write_calendar_url=chosen.get("write_calendar_url", current.write_calendar_url),
        )
        return Response(ConnectionSerializer(connection).data)

    @extend_schema(
        summary="Disconnect: forget the password and the busy times; bookings are no longer written",
        responses={204: None, 404: error_response("No calendar is connected.")},
    )
    def delete(self, request):
        if not services.disconnect(user=request.user):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


class SyncView(APIView):
    @extend_schema(
        summary="Sync busy times now (in the background)",
        request=None,
        responses={202: ConnectionSerializer, 400: error_response("No busy calendar is chosen.")},
    )
    def post(self, request):
        connection = services.request_sync(user=request.user)
        return Response(ConnectionSerializer(connection).data, status=status.HTTP_202_ACCEPTED)
