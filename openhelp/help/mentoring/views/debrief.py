"""The debrief page: takeaways, resources, outcome, rating and feedback, consent to publish, endorsement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openhelp.help.mentoring import debriefs, lifecycle
from openhelp.help.mentoring.forms import DebriefForm, EndorseForm
from openhelp.help.mentoring.models import Session
from openhelp.help.mentoring.services import SessionConflict
from openhelp.help.mentoring.views import in_viewer_zone, visible_session
from openhelp.platform.lib.forms import add_service_errors

RESOURCE_ERRORS = {"resources": None}


def _endorsements(session: Session) -> list:
    # Through the relation recognition declares: recognition sits above sessions.
    return list(session.endorsements.select_related("skill"))


def render_debrief(
    request: HttpRequest, session: Session, form: DebriefForm, *, endorse_form=None, status=200
) -> HttpResponse:
    """The debrief page (recognition renders it too, with its endorsement form's errors)."""
    me = request.user
    debrief = debriefs.debrief_of(session)
    skills = debriefs.endorsable_skills(session) if me.pk == session.mentor_id else []
    not_open_yet = lifecycle.debrief_window(session).reason
    is_mentee = me.pk == session.mentee_id
    return render(
        request,
        "mentoring/debrief.html",
        {
            "session": session,
            "debrief": debrief,
            "form": form,
            "is_mentee": is_mentee,
            "is_mentor": me.pk == session.mentor_id,
            "other": session.other_side(me),
            "endorse_form": endorse_form or (EndorseForm(skills=skills) if skills else None),
            "endorsements": _endorsements(session),
            "their_consent": _their_consent(debrief, me, session),
            "library_entry": debriefs.library_entry_of(debrief),
            # Before the session takes place the form is not offered (a refused save still shows it,
            # with what was typed and why).
            "not_open_yet": in_viewer_zone(not_open_yet) if not_open_yet else None,
            "thank_next": is_mentee and debrief is not None and _can_still_thank(session, me),
        },
        status=status,
    )


def _can_still_thank(session: Session, me) -> bool:
    """The mentee's next step once the debrief is saved: kudos for this session, unless already given."""
    if not lifecycle.available(session).kudos:
        return False
    # Through the relation recognition declares: recognition sits above sessions.
    return not session.kudos.filter(giver_id=me.pk).exists()


def _my_consent(debrief, me, session: Session) -> bool:
    if debrief is None:
        return False
    if me.pk == session.mentee_id:
        return debrief.mentee_consents_to_publish
    return debrief.mentor_consents_to_publish


def _their_consent(debrief, me, session: Session) -> bool:
    if debrief is None:
        return False
    if me.pk == session.mentee_id:
        return debrief.mentor_consents_to_publish
    return debrief.mentee_consents_to_publish


@login_required
@require_http_methods(["GET", "POST"])
def debrief_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = visible_session(request, pk)
    is_mentee = request.user.pk == session.mentee_id
    if request.method == "GET":
        debrief = debriefs.debrief_of(session)
        initial = DebriefForm.initial_for(debrief, consents=_my_consent(debrief, request.user, session))
        return render_debrief(request, session, DebriefForm(initial=initial, is_mentee=is_mentee))
    form = DebriefForm(request.POST, is_mentee=is_mentee)
    if form.is_valid():
        try:
            debriefs.record_debrief(session=session, actor=request.user, **form.changes())
        except SessionConflict as error:
            form.add_error(None, in_viewer_zone(str(error)))
            return render_debrief(request, session, form, status=409)
        except ValidationError as error:
            add_service_errors(form, error, {"resources": "resource_1_url"})
        else:
            messages.success(request, "Debrief saved. Thank you!")
            return redirect(reverse("mentoring:debrief", args=[session.pk]))
    return render_debrief(request, session, form, status=400)


def blank_form(request: HttpRequest, session: Session) -> DebriefForm:
    """The debrief form as saved, for a page answering another form (recognition's endorsement)."""
    debrief = debriefs.debrief_of(session)
    return DebriefForm(
        initial=DebriefForm.initial_for(debrief, consents=_my_consent(debrief, request.user, session)),
        is_mentee=request.user.pk == session.mentee_id,
    )
