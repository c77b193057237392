"""The personal calendar feed's address and reminder choices."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from openhelp.help.officehours import services
from openhelp.help.officehours.api.common import ERRORS, TAGS, run
from openhelp.help.officehours.serializers import (
    CalendarSerializer,
)
from openhelp.help.officehours.views.calendar import feed_url


def _calendar_body(request, calendar) -> dict:

    return {"feed_url": feed_url(request, calendar), "reminder_minutes": calendar.reminder_minutes}


class CalendarView(generics.GenericAPIView):
    serializer_class = CalendarSerializer

    @extend_schema(
        summary="My calendar feed address and reminder times", responses={200: CalendarSerializer}, tags=TAGS
    )
    def get(self, request):
        return Response(_calendar_body(request, services.personal_calendar_for(request.user)))

    @extend_schema(
        summary="Choose reminder times (minutes before: 1440, 60, 15)",
        request=CalendarSerializer,
        responses={200: CalendarSerializer, 400: ERRORS[400]},
        tags=TAGS,
    )
    def patch(self, request):
        data = CalendarSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        calendar = run(
            lambda: services.set_reminders(user=request.user, minutes=data.validated_data["reminder_minutes"])
        )
        return Response(_calendar_body(request, calendar))


class CalendarRotateView(generics.GenericAPIView):
    serializer_class = CalendarSerializer

    @extend_schema(
        summary="Give the feed a new address (the old one answers 404)",
        request=None,
        responses={200: CalendarSerializer},
        tags=TAGS,
    )
    def post(self, request):
        return Response(_calendar_body(request, services.rotate_feed(user=request.user)))
