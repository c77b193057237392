"""The notification centre and preferences over the API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from openhelp.platform.api.fields import BooleanField
from openhelp.platform.api.known_fields import KnownFieldsOnly
from openhelp.platform.api.params import query_flag
from openhelp.platform.notifications import services
from openhelp.platform.notifications.addresses import api_address
from openhelp.platform.notifications.events import ALL_CHANNELS
from openhelp.platform.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = BooleanField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="The page it is about (on the web).")
    api_url = serializers.SerializerMethodField(
        help_text="What it is about in this API (`/api/v1/asks/12/` …); empty when the API has no counterpart."
    )

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "api_url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_api_url(self, notification: Notification) -> str:
        return api_address(notification.url)


class ChannelSettingSerializer(serializers.Serializer):
    offered = BooleanField(help_text="Whether this event is ever sent on this channel.")
    enabled = BooleanField()
    locked = BooleanField(help_text="Always on: it keeps the account secure.")


class EventPreferencesSerializer(serializers.Serializer):
    event = serializers.CharField(source="event.name")
    label = serializers.CharField(source="event.label")
    description = serializers.CharField(source="event.description")
    channels = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer("EventChannels", {channel: ChannelSettingSerializer() for channel in ALL_CHANNELS})
    )
    def get_channels(self, row) -> dict:
        return {s.channel: ChannelSettingSerializer(s).data for s in row.settings}


class PreferenceChangeSerializer(KnownFieldsOnly, serializers.Serializer):
    event = serializers.CharField(max_length=100)
    channel = serializers.ChoiceField(choices=ALL_CHANNELS)
    enabled = BooleanField()


class PreferencesUpdateSerializer(KnownFieldsOnly, serializers.Serializer):
    # One change per event and channel at most; a few hundred is already every combination many times.
    preferences = PreferenceChangeSerializer(many=True, allow_empty=False, max_length=200)


UNREAD_COUNT = inline_serializer("UnreadCount", {"unread_count": serializers.IntegerField()})


class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        queryset = services.inbox(user=self.request.user)
        unread = query_flag(self.request, "unread")
        if unread is not None:
            queryset = queryset.filter(read_at__isnull=unread)
        return queryset

    @extend_schema(
        summary="Your notifications, unread first",
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="true: only unread; false: only read.")
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class UnreadCountView(APIView):
    @extend_schema(summary="How many notifications are unread", responses={200: UNREAD_COUNT})
    def get(self, request):
        return Response({"unread_count": services.unread_count(user=request.user)})


class MarkReadView(APIView):
    @extend_schema(
        summary="Mark one notification read", request=None, responses={200: NotificationSerializer}
    )
    def post(self, request, notification_id: int):
        notification = services.mark_read(user=request.user, notification_id=notification_id)
        return Response(NotificationSerializer(notification).data)


class MarkAllReadView(APIView):
    @extend_schema(
        summary="Mark every notification read",
        request=None,
        responses={
            200: inline_serializer(
                "MarkedRead",
                {"marked": serializers.IntegerField(), "unread_count": serializers.IntegerField()},
            )
        },
    )
    def post(self, request):
        return Response({"marked": services.mark_all_read(user=request.user), "unread_count": 0})


class PreferencesView(APIView):
    @extend_schema(
        summary="What you are notified about, per event and channel",
        responses={200: EventPreferencesSerializer(many=True)},
    )
    def get(self, request):
        return Response(
            EventPreferencesSerializer(services.preferences_for(user=request.user), many=True).data
        )

    @extend_schema(
        summary="Switch channels on or off for some events",
        description="Only the listed event/channel pairs change. Mandatory e-mails cannot be switched off.",
        request=PreferencesUpdateSerializer,
        responses={200: EventPreferencesSerializer(many=True)},
    )
    def put(self, request):
        serializer = PreferencesUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        choices = {
            (item["event"], item["channel"]): item["enabled"]
            for item in serializer.validated_data["preferences"]
        }
        rows = services.set_preferences(user=request.user, choices=choices)
        return Response(EventPreferencesSerializer(rows, many=True).data)
