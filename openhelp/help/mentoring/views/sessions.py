"""My sessions, the session page (plan, agenda, timer, shared and private notes, attendance), the way in
from an ask or a booking, and the export of one's own sessions."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from openhelp.directory.skills.models import Skill
from openhelp.help.asks.models import Ask
from openhelp.help.mentoring import attendance, lifecycle, services
from openhelp.help.mentoring.debriefs import debrief_of
from openhelp.help.mentoring.export import export_for
from openhelp.help.mentoring.forms import (
    AttendanceForm,
    PlanForm,
    PrivateNoteForm,
    SharedNotesForm,
    StepForm,
    TemplateForm,
)
from openhelp.help.mentoring.models import AgendaStep, AttendanceKind, Session, SessionState
from openhelp.help.mentoring.views import in_viewer_zone, visible_session
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.forms import add_service_errors

PER_PAGE = 50
# What a card in "My sessions" reads (mentoring/_session_card.html): not the objective, notes or links
CARD_COLUMNS = (
    "title",
    "state",
    "format",
    "starts_at",
    "mentee",
    "mentor",
    *(f"{side}__{column}" for side in ("mentee", "mentor") for column in ("email", "profile__display_name")),
)


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    """My sessions: what is coming up (soonest first, async ones still open included), then the past,
    newest first and paged. The search applies to both."""
    query = request.GET.get("q", "").strip()
    sessions = (
        services.search_sessions(services.sessions_for(request.user), query)
        .only(*CARD_COLUMNS)
        .prefetch_related(None)  # the skills again, with only the name a card shows
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.only("name")))
    )
    moment = now()
    coming = Q(state=SessionState.PLANNED) & (Q(ends_at__gt=moment) | Q(ends_at__isnull=True))
    upcoming = list(
        sessions.filter(coming).order_by(F("starts_at").asc(nulls_last=True), "created_at", "pk")[:PER_PAGE]
    )
    page = Paginator(sessions.exclude(coming), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentoring/list.html",
        {
            "upcoming": upcoming,
            "page": page,
            "query": query,
            "moment": moment,
            "paused": attendance.booking_paused_reason(request.user),
        },
    )


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request (django-htmx's ``request.htmx`` when its middleware runs, else the header)."""
    return bool(getattr(request, "htmx", False)) or request.headers.get("HX-Request") == "true"


def _partial(
    request: HttpRequest, template: str, context: dict, *, status: int = 200, section: str | None = None
) -> HttpResponse:
    """A fragment for htmx. ``section``: swap the whole section instead of the element that asked (an
    error or a conflict to show in place; the htmx config on the page swaps 400 and 409 too)."""
    response = render(request, template, context, status=status)
    if section:
        response["HX-Retarget"] = f"#{section}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _detail(request: HttpRequest, session: Session, *, status: int = 200, **forms) -> HttpResponse:
    return render(request, "mentoring/detail.html", _context(request, session, **forms), status=status)


def _debriefed(session: Session, debrief) -> bool:
    """The debrief completed the session (its first takeaway or outcome does): it took place."""
    return (
        session.state == SessionState.COMPLETED
        and debrief is not None
        and bool(debrief.outcome or debrief.takeaways)
    )


def _context(request: HttpRequest, session: Session, **forms) -> dict:
    me = request.user
    other = session.other_side(me)
    note = services.shared_note_of(session)
    private = services.private_note_of(session=session, user=me)
    conflict = forms.pop("conflict", None)
    statements = attendance.statements(session)
    available = lifecycle.available(session)
    debrief = debrief_of(session)
    debriefed = _debriefed(session, debrief)
    disputed = any(statement.kind == AttendanceKind.NO_SHOW for statement in statements.values())
    context = {
        "session": session,
        "is_mentee": me.pk == session.mentee_id,
        "is_mentor": me.pk == session.mentor_id,
        "other": other,
        "other_reliability": attendance.reliability_for(other),
        "skills": list(session.skills.all()),
        "steps": list(session.steps.select_related("done_by__profile")),
        "note": note,
        "conflict": conflict,
        "debrief": debrief,
        "debriefed": debriefed,
        "available": available,
        "debrief_window": available.debrief,
        # Through the relation recognition declares (recognition sits above sessions).
        "thanked": session.kudos.filter(giver_id=me.pk).exists(),
        "my_statement": statements.get(me.pk),
        "their_statement": statements.get(other.pk),
        # A debrief says it happened: asking again is noise, unless someone said the other did not come.
        "can_report": available.attendance and (not debriefed or disputed),
        "paused": attendance.booking_paused_reason(me),
        "plan_form": forms.get("plan_form")
        or PlanForm(
            initial={
                "objective": session.objective,
                "preparation_questions": "\n".join(session.preparation_questions),
            }
        ),
        "template_form": forms.get("template_form")
        or TemplateForm(initial={"template": session.agenda_template}),
        "step_form": forms.get("step_form") or StepForm(),
        "shared_form": forms.get("shared_form")
        or SharedNotesForm(initial={"body": note.body, "version": note.version}),
        "private_form": forms.get("private_form")
        or PrivateNoteForm(initial={"body": private.body if private else ""}),
        "attendance_form": forms.get("attendance_form") or AttendanceForm(),
        "any_step_done": False,
    }
    context["any_step_done"] = any(step.is_done for step in context["steps"])
    context["show_follow_up"] = context["is_mentee"] and available.follow_up
    return context


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, visible_session(request, pk))


def _done(request: HttpRequest, session: Session, anchor: str, message: str | None = None) -> HttpResponse:
    if message:
        messages.success(request, message)
    return redirect(reverse("mentoring:detail", args=[session.pk]) + f"#{anchor}")


def _form_action(
    request: HttpRequest,
    pk: int,
    *,
    form_class,
    form_key: str,
    anchor: str,
    success: str,
    act: Callable[[Session, dict], object],
) -> HttpResponse:
    """The shape of every form on the session page: validate, call the service, go back to the section.

    Field errors from the service land next to the field and the page keeps what was typed (400); a
    conflict (the session moved on) is a notice at the section.
    """
    session = visible_session(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(session, form.cleaned_data)
        except services.SessionConflict as error:
            messages.error(request, in_viewer_zone(str(error)))
            return _done(request, session, anchor)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, session, anchor, success)
    return _detail(request, session, status=400, **{form_key: form})


@login_required
@require_POST
def session_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        form_class=PlanForm,
        form_key="plan_form",
        anchor="plan",
        success="Objective and preparation saved.",
        act=lambda session, data: services.update_plan(session=session, actor=request.user, **data),
    )


@login_required
@require_POST
def agenda_template(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        form_class=TemplateForm,
        form_key="template_form",
        anchor="agenda",
        success="Agenda set.",
        act=lambda session, data: services.apply_agenda_template(
            session=session, actor=request.user, template=data["template"]
        ),
    )


@login_required
@require_POST
def agenda_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        form_class=StepForm,
        form_key="step_form",
        anchor="agenda",
        success="Step added.",
        act=lambda session, data: services.add_agenda_step(session=session, actor=request.user, **data),
    )


@login_required
@require_POST
def agenda_step_tick(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    session = visible_session(request, pk)
    get_object_or_404(AgendaStep, session=session, pk=step_id)
    done = request.POST.get("done") in ("1", "true", "on")
    step = services.tick_step(session=session, actor=request.user, step_id=step_id, done=done)
    if is_htmx(request):
        return _partial(request, "mentoring/_agenda_step.html", {"session": session, "step": step})
    return _done(request, session, f"step-{step_id}")


@login_required
@require_POST
def shared_notes(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    form = SharedNotesForm(request.POST)
    htmx = is_htmx(request)
    if form.is_valid():
        try:
            note = services.save_shared_notes(
                session=session,
                author=request.user,
                body=form.cleaned_data["body"],
                version=form.cleaned_data["version"],
            )
        except services.SharedNotesConflict as conflict:
            merge = SharedNotesForm(initial={"body": conflict.yours, "version": conflict.current.version})
            if htmx:
                context = _context(request, session, shared_form=merge, conflict=conflict)
                return _partial(
                    request, "mentoring/_shared_notes.html", context, status=409, section="shared-notes"
                )
            return _detail(request, session, status=409, shared_form=merge, conflict=conflict)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if htmx:
                return _partial(request, "mentoring/_shared_notes_saved.html", {"note": note})
            return _done(request, session, "shared-notes", "Shared notes saved.")
    if htmx:
        context = _context(request, session, shared_form=form)
        return _partial(request, "mentoring/_shared_notes.html", context, status=400, section="shared-notes")
    return _detail(request, session, status=400, shared_form=form)


@login_required
@require_POST
def private_notes(request: HttpRequest, pk: int) -> HttpResponse:
    if is_htmx(request):
        return _private_notes_in_place(request, pk)
    return _form_action(
        request,
        pk,
        form_class=PrivateNoteForm,
        form_key="private_form",
        anchor="private-notes",
        success="Private notes saved (only you can see them).",
        act=lambda session, data: services.save_private_note(
            session=session, author=request.user, body=data["body"]
        ),
    )


def _private_notes_in_place(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx save of private notes: a "Saved" status, or the section with the error next to the field."""
    session = visible_session(request, pk)
    form = PrivateNoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.save_private_note(
                session=session, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _partial(request, "mentoring/_private_notes_saved.html", {"note": note})
    context = _context(request, session, private_form=form)
    return _partial(request, "mentoring/_private_notes.html", context, status=400, section="private-notes")


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        form_class=AttendanceForm,
        form_key="attendance_form",
        anchor="attendance",
        success="Thank you — noted.",
        act=lambda session, data: attendance.report_attendance(
            session=session, reporter=request.user, kind=data["kind"]
        ),
    )


# --- The way in from an ask or a booking ------------------------------------------------------------


@login_required
@require_GET
def for_ask(request: HttpRequest, ask_id: int) -> HttpResponse:
    """The session of an ask this person takes part in (made now if the background step has not yet)."""
    ask = get_object_or_404(Ask.objects.involving(request.user), pk=ask_id)
    session = Session.objects.involving(request.user).filter(ask=ask).first() or services.session_for_ask(ask)
    if session is None or not session.is_participant(request.user):
        raise Http404
    return redirect("mentoring:detail", session.pk)


# --- Export -----------------------------------------------------------------------------------------


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Everything about my sessions that I may read, as JSON: my private notes, never the other side's."""
    response = HttpResponse(
        json.dumps(export_for(request.user), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-sessions.json"'
    return response
