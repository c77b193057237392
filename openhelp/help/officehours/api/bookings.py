"""Bookings (create with Idempotency-Key, read, its calendar invitation, cancel, reschedule) and the waiting
list."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from openhelp.help.asks.models import Ask
from openhelp.help.officehours import booking as booking_service
from openhelp.help.officehours import changes, waitlist
from openhelp.help.officehours.api.common import (
    ERRORS,
    IDEMPOTENCY_HEADER,
    TAGS,
    BusyRetryAfter,
    JsonErrors,
    JsonErrorsSchema,
    run,
)
from openhelp.help.officehours.calendar import invite
from openhelp.help.officehours.models import (
    Booking,
    BookingEvent,
    BookingState,
    OfficeHours,
    WaitlistEntry,
    WaitlistState,
)
from openhelp.help.officehours.serializers import (
    BookingInputSerializer,
    BookingSerializer,
    ReasonSerializer,
    RescheduleSerializer,
    WaitlistEntrySerializer,
    WaitlistInputSerializer,
    booking_representation,
)
from openhelp.platform.api.errors import Conflict, error_response
from openhelp.platform.api.idempotency import REPLAYED, KeyReused, read_key
from openhelp.platform.api.params import query_flag
from openhelp.platform.api.responses import created
from openhelp.platform.lib.clock import now


def _bookings_for(user):
    return (
        Booking.objects.involving(user)
        .select_related("mentor__profile", "mentee__profile", "slot", "cancelled_by__profile", "session")
        .prefetch_related(Prefetch("events", queryset=BookingEvent.objects.select_related("actor__profile")))
    )


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.path}\n{body}".encode()).hexdigest()


def _idempotency(request) -> booking_service.Idempotency | None:
    """The request's key, read and refused (a 400 on ``Idempotency-Key``) as every create reads it
    (``api/idempotency.py``); the booking keeps it inside its own lock."""
    key = read_key(request)
    if key is None:
        return None
    return booking_service.Idempotency(key=key, fingerprint=_fingerprint(request))


def _book(request, **values) -> Booking:
    """The booking service's answer; a key sent before with another body is the 422 every create answers."""
    try:
        return run(lambda: booking_service.book_slot(mentee=request.user, **values))
    except exceptions.ValidationError as error:
        if values["idempotency"] is not None and "idempotency_key" in error.detail:
            raise KeyReused() from error
        raise


class BookingListView(BusyRetryAfter, generics.GenericAPIView):
    serializer_class = BookingSerializer

    @extend_schema(
        summary="My bookings, as mentee and as mentor (upcoming first)",
        parameters=[OpenApiParameter("past", bool, description="Include sessions that have ended.")],
        responses={200: BookingSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        rows = _bookings_for(request.user).order_by("start", "pk")
        if not query_flag(request, "past"):
            rows = rows.filter(end__gt=now())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(BookingSerializer(page, many=True).data)

    @extend_schema(
        summary="Book a slot",
        description="Send an Idempotency-Key so a retried request returns the same booking, not a second one.",
        parameters=[IDEMPOTENCY_HEADER],
        request=BookingInputSerializer,
        responses={
            201: BookingSerializer,
            **ERRORS,
            422: error_response("`idempotency_key_reused`: this key was sent before with another request."),
        },
        tags=TAGS,
    )
    def post(self, request):
        idempotency = _idempotency(request)
        data = BookingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        block = (
            OfficeHours.objects.open_to(request.user)
            .select_related("mentor__profile")
            .filter(pk=values["office_hours"])
            .first()
        )
        if block is None:
            raise exceptions.ValidationError({"office_hours": ["There are no such office hours."]})
        ask = None
        if values.get("ask"):
            ask = Ask.objects.filter(pk=values["ask"], mentee=request.user).first()
            if ask is None:
                raise exceptions.ValidationError({"ask": ["Link one of your own asks."]})
        replay = idempotency is not None and booking_service.key_answers(request.user, idempotency)
        booking = _book(
            request,
            office_hours=block,
            start=values["start"],
            topic=values["topic"],
            question=values["question"],
            ask=ask,
            idempotency=idempotency,
        )
        # The service's booking already holds its mentor, mentee and slot; only its history is read (an
        # idempotent repeat's; a new booking's one event is handed over by the service).
        prefetch_related_objects(
            [booking], Prefetch("events", queryset=BookingEvent.objects.select_related("actor__profile"))
        )
        response = Response(booking_representation(booking), status=status.HTTP_201_CREATED)
        if replay:  # as every create says it (api/idempotency.py)
            response[REPLAYED] = "true"
        return created(response, request, "bookings-detail", pk=booking.pk)


class BookingDetailView(generics.GenericAPIView):
    serializer_class = BookingSerializer

    @extend_schema(summary="A booking", responses={200: BookingSerializer, 404: ERRORS[404]}, tags=TAGS)
    def get(self, request, pk: int):
        return Response(BookingSerializer(get_object_or_404(_bookings_for(request.user), pk=pk)).data)


class CalendarRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: text/calendar``; the invitation itself is a plain HttpResponse, and
    errors stay JSON (``JsonErrors``)."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return str(data).encode(self.charset)  # never reached: the invitation is an HttpResponse


class BookingInviteView(JsonErrors, generics.GenericAPIView):
    renderer_classes = [JSONRenderer, CalendarRenderer]
    schema = JsonErrorsSchema()

    @extend_schema(
        summary="A booking's calendar invitation (.ics), for its mentee and its mentor",
        description="The download of the booking page: one event, METHOD:REQUEST while the booking stands and "
        "METHOD:CANCEL once it is cancelled, with the same UID and a rising SEQUENCE.",
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="An iCalendar file."),
            404: ERRORS[404],
        },
        tags=TAGS,
    )
    def get(self, request, pk: int) -> HttpResponse:
        booking = get_object_or_404(
            Booking.objects.involving(request.user).select_related("mentor__profile", "mentee__profile"),
            pk=pk,
        )
        response = HttpResponse(
            invite(booking, viewer=request.user), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
        return response


class BookingCancelView(BusyRetryAfter, generics.GenericAPIView):
    serializer_class = ReasonSerializer

    @extend_schema(
        summary="Cancel a booking, with a reason (either side)",
        request=ReasonSerializer,
        responses={200: BookingSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        booking = get_object_or_404(_bookings_for(request.user), pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            run(
                lambda: changes.cancel_booking(
                    booking=booking, actor=request.user, reason=data.validated_data["reason"]
                )
            )
        except Conflict:
            # Cancelled already (a retry whose first answer was lost): the booking as it is, 200.
            if not Booking.objects.filter(pk=pk, state=BookingState.CANCELLED).exists():
                raise
        return Response(BookingSerializer(_bookings_for(request.user).get(pk=pk)).data)


class BookingRescheduleView(BusyRetryAfter, generics.GenericAPIView):
    serializer_class = RescheduleSerializer

    @extend_schema(
        summary="Move a booking to another slot of the same mentor (either side)",
        request=RescheduleSerializer,
        responses={200: BookingSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        booking = get_object_or_404(_bookings_for(request.user), pk=pk)
        data = RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        block = (
            OfficeHours.objects.select_related("mentor__profile")
            .filter(pk=values["office_hours"], mentor_id=booking.mentor_id)
            .first()
        )
        if block is None:
            raise exceptions.ValidationError({"office_hours": ["Choose a block of the same mentor."]})
        run(
            lambda: changes.reschedule_booking(
                booking=booking,
                actor=request.user,
                office_hours=block,
                start=values["start"],
                reason=values["reason"],
            )
        )
        return Response(BookingSerializer(_bookings_for(request.user).get(pk=pk)).data)


class WaitlistView(BusyRetryAfter, generics.GenericAPIView):
    serializer_class = WaitlistEntrySerializer

    def get_queryset(self):
        return (
            WaitlistEntry.objects.filter(mentee=self.request.user, state=WaitlistState.WAITING)
            .select_related("slot__mentor__profile")
            .order_by("slot__start", "pk")
        )

    @extend_schema(
        summary="Waiting lists I'm on", responses={200: WaitlistEntrySerializer(many=True)}, tags=TAGS
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WaitlistEntrySerializer(page, many=True).data)

    @extend_schema(
        summary="Join the waiting list of a full slot (again: 200, the place as it is)",
        request=WaitlistInputSerializer,
        responses={
            201: WaitlistEntrySerializer,
            200: OpenApiResponse(WaitlistEntrySerializer, description="On it already: the place as it is."),
            **ERRORS,
        },
        tags=TAGS,
    )
    def post(self, request):
        data = WaitlistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        block = (
            OfficeHours.objects.open_to(request.user)
            .select_related("mentor__profile")
            .filter(pk=values["office_hours"])
            .first()
        )
        if block is None:
            raise exceptions.ValidationError({"office_hours": ["There are no such office hours."]})
        waiting = set(self.get_queryset().values_list("pk", flat=True))
        entry = run(
            lambda: waitlist.join_waitlist(
                mentee=request.user,
                office_hours=block,
                start=values["start"],
                topic=values["topic"],
                question=values["question"],
            )
        )
        if entry.pk in waiting:  # on it already: joining again makes nothing
            return Response(WaitlistEntrySerializer(entry).data)
        response = Response(WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
        return created(response, request, "waitlist-detail", pk=entry.pk)  # where it is left


class WaitlistEntryView(generics.GenericAPIView):
    serializer_class = WaitlistEntrySerializer

    @extend_schema(summary="Leave a waiting list", responses={204: None, 404: ERRORS[404]}, tags=TAGS)
    def delete(self, request, pk: int):
        entry = get_object_or_404(WaitlistEntry, pk=pk, mentee=request.user, state=WaitlistState.WAITING)
        waitlist.leave_waitlist(entry=entry, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
