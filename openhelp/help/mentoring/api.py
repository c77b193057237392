"""REST API for sessions: read, the plan and agenda, shared notes (optimistic versioning), the caller's own
private notes, the debrief, endorsement and attendance, and the export of one's own sessions. Organisers'
no-show pauses are in ``api_pauses.py``.

Only the two participants see a session; anyone else — organisers included — gets a 404. A shared-notes
save from an outdated version is a 409 whose body carries both texts (nothing is written). A step the
session's state does not allow is a 409; bad input a 400 naming the field. The rules are the services',
exactly as on the web.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response

from openhelp.help.mentoring import attendance, debriefs, services
from openhelp.help.mentoring.export import export_for
from openhelp.help.mentoring.models import AgendaStep, Debrief, Session
from openhelp.help.mentoring.serializers import (
    SESSION_EXPORT,
    AgendaStepInputSerializer,
    AgendaStepSerializer,
    AgendaTemplateSerializer,
    AgendaTickSerializer,
    AttendanceInputSerializer,
    AttendanceSerializer,
    BookingPauseSerializer,
    DebriefInputSerializer,
    DebriefSerializer,
    PlanInputSerializer,
    PrivateNoteSerializer,
    SessionDetailSerializer,
    SessionSerializer,
    SharedNotesConflictSerializer,
    SharedNotesInputSerializer,
    SharedNotesSerializer,
)
from openhelp.platform.api.conditional import ConditionalEdits
from openhelp.platform.api.errors import ERROR_BODY, Conflict
from openhelp.platform.api.idempotency import IdempotentCreates
from openhelp.platform.api.responses import created

TAGS = ["sessions"]
E400 = OpenApiResponse(ERROR_BODY, description="Invalid input: error.fields maps each field to its messages.")
E404 = OpenApiResponse(ERROR_BODY, description="No such session, or not one you take part in.")
E409 = OpenApiResponse(ERROR_BODY, description="Not possible in the session's current state.")


def run(step):
    """Translate the services' domain errors into API errors."""
    try:
        return step()
    except services.SessionConflict as error:
        raise Conflict(detail=str(error)) from error
    except DjangoValidationError as error:
        raise exceptions.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        ) from error


def _sessions(request):
    return services.sessions_for(request.user)


def _session(request, pk: int) -> Session:
    return get_object_or_404(_sessions(request), pk=pk)


def _detail(request, pk: int) -> Session:
    session = get_object_or_404(
        _sessions(request).select_related("shared_note__updated_by__profile").prefetch_related("steps"), pk=pk
    )
    if not hasattr(session, "shared_note"):  # a session made outside the services has none yet
        session.shared_note = services.shared_note_of(session)
    return session


def valid_input(serializer_class, request, **kwargs):
    """The request body checked by ``serializer_class``: its validated data, or a 400 naming each bad field.
    Shared with ``api_pauses.py``."""
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return data.validated_data


class SessionListView(generics.GenericAPIView):
    serializer_class = SessionSerializer

    @extend_schema(
        summary="My sessions, as mentee and as mentor (newest first)",
        parameters=[
            OpenApiParameter("q", str, description="Search titles, objectives, skills, shared notes.")
        ],
        responses={200: SessionSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        rows = services.search_sessions(_sessions(request), request.query_params.get("q", ""))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SessionSerializer(page, many=True).data)


class SessionDetailView(ConditionalEdits, generics.GenericAPIView):
    serializer_class = SessionDetailSerializer

    def version(self, request, pk: int):
        return _session(request, pk).updated_at

    @extend_schema(summary="A session", responses={200: SessionDetailSerializer, 404: E404}, tags=TAGS)
    def get(self, request, pk: int):
        return Response(SessionDetailSerializer(_detail(request, pk), context={"request": request}).data)

    @extend_schema(
        summary="Edit the objective and preparation questions",
        request=PlanInputSerializer,
        responses={200: SessionDetailSerializer, 400: E400, 404: E404, 409: E409},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        session = _session(request, pk)
        values = valid_input(PlanInputSerializer, request)
        run(
            lambda: services.update_plan(
                session=session,
                actor=request.user,
                objective=values.get("objective", session.objective),
                preparation_questions=values.get("preparation_questions", session.preparation_questions),
            )
        )
        return Response(SessionDetailSerializer(_detail(request, pk), context={"request": request}).data)


class AgendaView(IdempotentCreates, generics.GenericAPIView):
    pagination_class = None  # the whole list, a bare array: a session has a handful
    serializer_class = AgendaStepSerializer

    @extend_schema(
        summary="The agenda", responses={200: AgendaStepSerializer(many=True), 404: E404}, tags=TAGS
    )
    def get(self, request, pk: int):
        session = _session(request, pk)
        return Response(AgendaStepSerializer(session.steps.all(), many=True).data)

    @extend_schema(
        summary="Replace the agenda with a template (refused once a step is ticked)",
        request=AgendaTemplateSerializer,
        responses={200: AgendaStepSerializer(many=True), 400: E400, 404: E404, 409: E409},
        tags=TAGS,
    )
    def put(self, request, pk: int):
        session = _session(request, pk)
        values = valid_input(AgendaTemplateSerializer, request)
        run(lambda: services.apply_agenda_template(session=session, actor=request.user, **values))
        return Response(AgendaStepSerializer(session.steps.all(), many=True).data)

    @extend_schema(
        summary="Add a step",
        request=AgendaStepInputSerializer,
        responses={201: AgendaStepSerializer, 400: E400, 404: E404},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        session = _session(request, pk)
        values = valid_input(AgendaStepInputSerializer, request)
        step = run(lambda: services.add_agenda_step(session=session, actor=request.user, **values))
        response = Response(AgendaStepSerializer(step).data, status=status.HTTP_201_CREATED)
        return created(response, request, "sessions-agenda-step", pk=session.pk, step_id=step.pk)


class AgendaStepView(generics.GenericAPIView):
    serializer_class = AgendaStepSerializer

    @extend_schema(
        summary="Tick or untick a step",
        request=AgendaTickSerializer,
        responses={200: AgendaStepSerializer, 400: E400, 404: E404},
        tags=TAGS,
    )
    def patch(self, request, pk: int, step_id: int):
        session = _session(request, pk)
        get_object_or_404(AgendaStep, session=session, pk=step_id)
        values = valid_input(AgendaTickSerializer, request)
        step = run(
            lambda: services.tick_step(
                session=session, actor=request.user, step_id=step_id, done=values["done"]
            )
        )
        return Response(AgendaStepSerializer(step).data)


class SharedNotesView(generics.GenericAPIView):
    serializer_class = SharedNotesSerializer

    @extend_schema(summary="The shared notes", responses={200: SharedNotesSerializer, 404: E404}, tags=TAGS)
    def get(self, request, pk: int):
        return Response(SharedNotesSerializer(services.shared_note_of(_session(request, pk))).data)

    @extend_schema(
        summary="Save the shared notes (optimistic versioning)",
        description="Send the version you edited from. If the other person saved since, nothing is written "
        "and the 409 body carries both texts (`current` and `yours`) to merge.",
        request=SharedNotesInputSerializer,
        responses={200: SharedNotesSerializer, 400: E400, 404: E404, 409: SharedNotesConflictSerializer},
        tags=TAGS,
    )
    def put(self, request, pk: int):
        session = _session(request, pk)
        values = valid_input(SharedNotesInputSerializer, request)

        def save():
            try:
                return services.save_shared_notes(
                    session=session, author=request.user, body=values["body"], version=values["version"]
                )
            except services.SharedNotesConflict as conflict:
                return conflict

        result = run(save)
        if isinstance(result, services.SharedNotesConflict):
            body = {
                "error": {"code": "notes_conflict", "message": str(result)},
                "current": SharedNotesSerializer(result.current).data,
                "yours": result.yours,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(SharedNotesSerializer(result).data)


class PrivateNoteView(generics.GenericAPIView):
    serializer_class = PrivateNoteSerializer

    @extend_schema(
        summary="My private notes on this session (only ever the caller's own)",
        responses={200: PrivateNoteSerializer, 404: E404},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        note = services.private_note_of(session=_session(request, pk), user=request.user)
        return Response({"body": note.body if note else "", "updated_at": note.updated_at if note else None})

    @extend_schema(
        summary="Save my private notes",
        request=PrivateNoteSerializer,
        responses={200: PrivateNoteSerializer, 400: E400, 404: E404},
        tags=TAGS,
    )
    def put(self, request, pk: int):
        session = _session(request, pk)
        values = valid_input(PrivateNoteSerializer, request)
        note = run(
            lambda: services.save_private_note(session=session, author=request.user, body=values["body"])
        )
        return Response({"body": note.body, "updated_at": note.updated_at})


class DebriefView(ConditionalEdits, generics.GenericAPIView):
    serializer_class = DebriefSerializer

    def version(self, request, pk: int):
        session = _session(request, pk)
        return Debrief.objects.filter(session=session).values_list("updated_at", flat=True).first()

    @extend_schema(summary="The debrief", responses={200: DebriefSerializer, 404: E404}, tags=TAGS)
    def get(self, request, pk: int):
        debrief = debriefs.debrief_of(_session(request, pk))
        if debrief is None:
            return Response(DebriefSerializer(Debrief(takeaways=[], resources=[])).data)
        return Response(DebriefSerializer(debrief).data)

    @extend_schema(
        summary="Save (parts of) the debrief",
        description="Only the fields sent change. Rating and feedback are the mentee's; `consents_to_publish` "
        "is the caller's own consent. Once both consent, takeaways and resources go to the library.",
        request=DebriefInputSerializer,
        responses={200: DebriefSerializer, 400: E400, 404: E404, 409: E409},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        session = _session(request, pk)
        values = valid_input(DebriefInputSerializer, request)
        debrief = run(lambda: debriefs.record_debrief(session=session, actor=request.user, **values))
        return Response(DebriefSerializer(debrief).data)


class AttendanceView(generics.GenericAPIView):
    pagination_class = None  # a bare array: at most one statement per participant
    serializer_class = AttendanceSerializer

    def _statements(self, session: Session):
        return session.attendance.select_related("reporter__profile", "absent__profile")

    @extend_schema(
        summary="What each side said about attendance",
        responses={200: AttendanceSerializer(many=True), 404: E404},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(AttendanceSerializer(self._statements(_session(request, pk)), many=True).data)

    @extend_schema(
        summary="Say it happened, or that the other person did not come (after the planned end)",
        request=AttendanceInputSerializer,
        responses={200: AttendanceSerializer(many=True), 400: E400, 404: E404, 409: E409},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        session = _session(request, pk)
        values = valid_input(AttendanceInputSerializer, request)
        run(lambda: attendance.report_attendance(session=session, reporter=request.user, kind=values["kind"]))
        return Response(AttendanceSerializer(self._statements(session), many=True).data)


class BookingPauseView(generics.GenericAPIView):
    serializer_class = BookingPauseSerializer

    @extend_schema(
        summary="Whether my booking is paused for no-shows, and my reliability figure",
        responses={200: BookingPauseSerializer},
        tags=TAGS,
    )
    def get(self, request):
        reason = attendance.booking_paused_reason(request.user)
        return Response(
            {
                "paused": reason is not None,
                "reason": reason,
                "reliability": str(attendance.reliability_for(request.user)),
            }
        )


class SessionExportView(generics.GenericAPIView):
    pagination_class = None  # one document, as the web's export.json

    @extend_schema(
        summary="Export my sessions: the web's export.json",
        description="Every session I take part in, with what I may read on its page: my own private notes, "
        "never the other person's.",
        responses={200: SESSION_EXPORT},
        tags=TAGS,
    )
    def get(self, request):
        return Response(export_for(request.user))
