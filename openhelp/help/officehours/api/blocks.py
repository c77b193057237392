"""Blocks (CRUD), open slots in a zone, and time off."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response

from openhelp.help.officehours import services
from openhelp.help.officehours.api.common import ERRORS, MAX_SLOT_DAYS, TAGS, run
from openhelp.help.officehours.availability import open_slot_listing, skill_filter
from openhelp.help.officehours.models import OfficeHours, TimeOff
from openhelp.help.officehours.serializers import (
    OfficeHoursInputSerializer,
    OfficeHoursSerializer,
    SlotQuerySerializer,
    SlotSerializer,
    TimeOffSerializer,
    slot_representations,
)
from openhelp.help.officehours.slots import zone
from openhelp.platform.api.idempotency import IdempotentCreates
from openhelp.platform.api.responses import created
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.numbers import id_from_text


def _own_block(request, pk: int) -> OfficeHours:
    return get_object_or_404(OfficeHours, pk=pk, mentor=request.user)


class OfficeHoursListView(IdempotentCreates, generics.GenericAPIView):
    serializer_class = OfficeHoursSerializer

    def get_queryset(self):
        return (
            OfficeHours.objects.filter(mentor=self.request.user)
            .select_related("mentor__profile")
            .prefetch_related("skills")
            .order_by("pk")
        )

    @extend_schema(
        summary="My office-hours blocks", responses={200: OfficeHoursSerializer(many=True)}, tags=TAGS
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OfficeHoursSerializer(page, many=True).data)

    @extend_schema(
        summary="Add an office-hours block",
        request=OfficeHoursInputSerializer,
        responses={201: OfficeHoursSerializer, 400: ERRORS[400], 401: ERRORS[401]},
        tags=TAGS,
    )
    def post(self, request):
        data = OfficeHoursInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        block = run(lambda: services.save_block(mentor=request.user, **data.validated_data))
        response = Response(OfficeHoursSerializer(block).data, status=status.HTTP_201_CREATED)
        return created(response, request, "office-hours-detail", pk=block.pk)


class OfficeHoursDetailView(generics.GenericAPIView):
    serializer_class = OfficeHoursSerializer

    @extend_schema(
        summary="One of my blocks", responses={200: OfficeHoursSerializer, 404: ERRORS[404]}, tags=TAGS
    )
    def get(self, request, pk: int):
        return Response(OfficeHoursSerializer(_own_block(request, pk)).data)

    @extend_schema(
        summary="Change a block (bookings already made keep their time)",
        request=OfficeHoursInputSerializer(partial=True),
        responses={200: OfficeHoursSerializer, 400: ERRORS[400], 404: ERRORS[404]},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        block = _own_block(request, pk)
        data = OfficeHoursInputSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        block = run(lambda: services.save_block(mentor=request.user, block=block, **data.validated_data))
        return Response(OfficeHoursSerializer(block).data)

    @extend_schema(
        summary="Delete a block (or stop offering it, if anyone ever booked it)",
        responses={204: None, 404: ERRORS[404]},
        tags=TAGS,
    )
    def delete(self, request, pk: int):
        services.retire_block(block=_own_block(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SlotsView(generics.GenericAPIView):
    serializer_class = SlotSerializer

    @extend_schema(
        summary="Open slots of a mentor or for a skill, over a date range, in a given zone",
        parameters=[SlotQuerySerializer],
        responses={200: SlotSerializer(many=True), 400: ERRORS[400]},
        tags=TAGS,
    )
    def get(self, request):
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        profile = getattr(request.user, "profile", None)
        tz_name = params.get("tz") or (profile.timezone if profile else "UTC")
        tz = zone(tz_name)
        first = params.get("start") or now().astimezone(tz).date()
        last = params.get("end") or first + dt.timedelta(days=6)
        if last < first or (last - first).days >= MAX_SLOT_DAYS:
            raise exceptions.ValidationError(
                {"end": [f"Choose an end on or after the start, at most {MAX_SLOT_DAYS} days."]}
            )
        blocks = OfficeHours.objects.open_to(request.user).filter(is_active=True, mentor__is_active=True)
        if params.get("mentor"):
            blocks = blocks.filter(mentor_id=params["mentor"])
        if params.get("skill"):
            skill = params["skill"]
            skill_id = id_from_text(skill)  # anything but an id is read as a name
            condition = Q(skills__pk=skill_id) if skill_id else skill_filter(skill, viewer=request.user)
            blocks = blocks.filter(condition) if condition is not None else blocks.none()
        start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        # Every active block of the organisation can have slots (hundreds in a large one), and the count
        # covers them all: the listing counts them as plain rows and builds only the page.
        slots = open_slot_listing(blocks, start=start, end=end, viewer=request.user)
        page = self.paginate_queryset(slots)
        return self.get_paginated_response(slot_representations(page, tz_name=tz_name))


class TimeOffListView(IdempotentCreates, generics.GenericAPIView):
    serializer_class = TimeOffSerializer

    @extend_schema(
        summary="My time off (days without slots)", responses={200: TimeOffSerializer(many=True)}, tags=TAGS
    )
    def get(self, request):
        page = self.paginate_queryset(
            TimeOff.objects.filter(mentor=request.user).order_by("start_date", "pk")
        )
        return self.get_paginated_response(TimeOffSerializer(page, many=True).data)

    @extend_schema(
        summary="Add time off: one date, or a range; for one block or all",
        request=TimeOffSerializer,
        responses={201: TimeOffSerializer, 400: ERRORS[400]},
        tags=TAGS,
    )
    def post(self, request):
        data = TimeOffSerializer(data=request.data)
        data.fields["office_hours"].queryset = OfficeHours.objects.filter(mentor=request.user)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        row = run(
            lambda: services.add_time_off(
                mentor=request.user,
                start_date=values["start_date"],
                end_date=values.get("end_date"),
                block=values.get("office_hours"),
                note=values.get("note", ""),
            )
        )
        response = Response(TimeOffSerializer(row).data, status=status.HTTP_201_CREATED)
        return created(response, request, "office-hours-time-off-detail", pk=row.pk)  # where it is removed


class TimeOffDetailView(generics.GenericAPIView):
    serializer_class = TimeOffSerializer

    @extend_schema(summary="Remove time off", responses={204: None, 404: ERRORS[404]}, tags=TAGS)
    def delete(self, request, pk: int):
        get_object_or_404(TimeOff, pk=pk, mentor=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
