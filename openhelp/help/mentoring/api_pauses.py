"""REST API for organisers: the people whose booking is paused for no-shows, and lifting a pause — the
organisers' sessions page (``views/organiser.py``) over the same functions of ``attendance``. Anyone who is
not an organiser gets 404, as on the page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from openhelp.help.mentoring import attendance
from openhelp.help.mentoring.api import E400, TAGS, valid_input
from openhelp.help.mentoring.figures import MIN_RATINGS_FOR_AVERAGE, PERIOD_DAYS, figures
from openhelp.help.mentoring.serializers import (
    LiftInputSerializer,
    PausedPersonSerializer,
    PauseLiftSerializer,
)
from openhelp.platform.api.errors import ERROR_BODY
from openhelp.platform.api.permissions import IsOrganiserElse404
from openhelp.platform.lib.clock import now


class OutcomeCountsSerializer(serializers.Serializer):
    solved = serializers.IntegerField()
    partly = serializers.IntegerField()
    not_yet = serializers.IntegerField()


class NoShowPolicySerializer(serializers.Serializer):
    max_no_shows = serializers.IntegerField(source="MAX_NO_SHOWS", help_text="No-shows that pause booking.")
    window_days = serializers.IntegerField(source="WINDOW_DAYS", help_text="Counted over these last days.")


class SessionFiguresSerializer(serializers.Serializer):
    period_days = serializers.IntegerField(help_text="The figures count sessions made in these last days.")
    since = serializers.DateTimeField()
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    outcomes = OutcomeCountsSerializer(source="outcome_counts", help_text="Debriefs by outcome.")
    ratings = serializers.IntegerField(help_text="Debriefs with a rating.")
    average_rating = serializers.FloatField(
        allow_null=True, help_text=f"Null under {MIN_RATINGS_FOR_AVERAGE} ratings (it would point at people)."
    )
    published = serializers.IntegerField(help_text="Debriefs published to the library.")
    no_show_policy = NoShowPolicySerializer(help_text="The site's policy (a programme may have its own).")


class SessionFiguresView(generics.GenericAPIView):
    """The figures at the top of the organisers' sessions page: counts only."""

    permission_classes = [IsOrganiserElse404]
    serializer_class = SessionFiguresSerializer

    @extend_schema(
        summary="Session figures of the last 30 days: counts, outcomes, ratings (organisers)",
        responses={200: SessionFiguresSerializer},
        tags=TAGS,
    )
    def get(self, request):
        since = now() - dt.timedelta(days=PERIOD_DAYS)
        body = {
            **figures(since=since),
            "period_days": PERIOD_DAYS,
            "since": since,
            "no_show_policy": attendance.policy(),
        }
        return Response(SessionFiguresSerializer(body).data)


class PausedPeopleView(generics.GenericAPIView):
    permission_classes = [IsOrganiserElse404]
    serializer_class = PausedPersonSerializer

    @extend_schema(
        summary="Whose booking is paused for no-shows, most missed first (organisers)",
        responses={200: PausedPersonSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        rows = [{"person": person, "missed": missed} for person, missed in attendance.paused_people()]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PausedPersonSerializer(page, many=True).data)


class LiftPauseView(generics.GenericAPIView):
    permission_classes = [IsOrganiserElse404]
    serializer_class = PauseLiftSerializer

    @extend_schema(
        summary="Let someone book again: the no-shows reported so far stop counting (organisers)",
        request=LiftInputSerializer,
        responses={
            200: PauseLiftSerializer,
            400: E400,
            404: OpenApiResponse(ERROR_BODY, description="No such person, or you are not an organiser."),
        },
        tags=TAGS,
    )
    def post(self, request, user_id: int):
        person = get_object_or_404(get_user_model(), pk=user_id)
        values = valid_input(LiftInputSerializer, request)
        lift = attendance.lift_pause(user=person, organiser=request.user, note=values["note"])
        return Response(PauseLiftSerializer(lift).data)
