"""Recognition pages: the public feed, my kudos (received and given), and the "say thanks" form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.community.recognition import services
from openhelp.community.recognition.forms import KudosForm
from openhelp.community.recognition.models import Endorsement
from openhelp.directory.skills.services import search_skill_ids
from openhelp.help.mentoring import lifecycle
from openhelp.help.mentoring.debriefs import endorsable_skills
from openhelp.help.mentoring.forms import EndorseForm
from openhelp.help.mentoring.lifecycle import SessionConflict
from openhelp.help.mentoring.models import Session
from openhelp.help.mentoring.views import visible_session
from openhelp.help.mentoring.views.debrief import blank_form, render_debrief
from openhelp.platform.lib.clock import now
from openhelp.platform.lib.forms import add_service_errors
from openhelp.platform.lib.numbers import id_from_text

PER_PAGE = 30
ENDORSEMENTS_SHOWN = 100


@login_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("skill", "").strip()[:80]
    skill_ids = search_skill_ids(text, user=request.user) if text else None
    before = request.GET.get("before", "")[:20]
    kudos, older = services.feed_page(skill_ids=skill_ids, before=before, size=PER_PAGE)
    context = {"kudos_list": kudos, "older": older, "is_older_page": bool(before), "skill_query": text}
    return render(request, "recognition/feed.html", context)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.kudos_received(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    endorsements = services.demonstrated_skills(user=request.user)[:ENDORSEMENTS_SHOWN]
    return render(request, "recognition/mine.html", {"page": page, "endorsements": endorsements})


@login_required
@require_GET
def given(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.kudos_given(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    endorsements = Endorsement.objects.filter(mentor=request.user).select_related("skill", "mentee__profile")[
        :ENDORSEMENTS_SHOWN
    ]
    return render(request, "recognition/given.html", {"page": page, "endorsements": endorsements})


def _session_for(request: HttpRequest, receiver):
    """The session a kudos is given from (?session=), which must involve both people; else 404."""
    raw = request.POST.get("session") or request.GET.get("session")
    if not raw:
        return None
    session_id = id_from_text(raw)
    if session_id is None:
        raise Http404
    session = get_object_or_404(
        Session.objects.involving(request.user).prefetch_related("skills"), pk=session_id
    )
    if not session.is_participant(receiver):
        raise Http404
    return session


@login_required
@require_http_methods(["GET", "POST"])
def give(request: HttpRequest, user_id: int) -> HttpResponse:
    receiver = get_object_or_404(
        get_user_model().objects.filter(is_active=True).select_related("profile"), pk=user_id
    )
    session = _session_for(request, receiver)
    is_self = receiver.pk == request.user.pk
    moment = now()
    # Thanks for a session open from its start (never for a cancelled one): until then the page says so
    # up front and its form gives kudos without the session, as from a profile.
    session_closed = lifecycle.why_no_kudos(session, moment) if session is not None else None
    initial = {"public": True}
    if session is not None:
        first_skill = next(iter(session.skills.all()), None)
        if first_skill is not None:
            initial["skill"] = first_skill
    form = KudosForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and not is_self and form.is_valid():
        try:
            services.give_kudos(giver=request.user, receiver=receiver, session=session, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Your thanks are on their way to {receiver.display_name}.")
            if session is not None:
                return redirect(_session_url(session))
            return redirect(services.profile_url(receiver) or reverse("recognition:given"))
    context = {
        "form": form,
        "receiver": receiver,
        "session": session,
        "session_closed": session_closed,
        "kudos_opens_at": lifecycle.debrief_window(session, moment).opens_at if session_closed else None,
        "is_self": is_self,
        "kudos_left": services.kudos_left_today(giver=request.user),
    }
    return render(request, "recognition/give.html", context)


def _errors_to_form(form: KudosForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, field_errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, field_errors)


def _session_url(session) -> str:
    try:
        return reverse("mentoring:detail", args=[session.pk])
    except NoReverseMatch:
        return reverse("recognition:given")


@login_required
@require_POST
def endorse(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor endorses a skill the mentee demonstrated, from the session's debrief page."""
    session = visible_session(request, pk)
    form = EndorseForm(request.POST, skills=endorsable_skills(session))
    if form.is_valid():
        skill = form.cleaned_data["skill"]
        try:
            services.endorse_from_session(session=session, actor=request.user, skill=skill)
        except SessionConflict as error:
            form.add_error(None, str(error))
            return render_debrief(
                request, session, blank_form(request, session), endorse_form=form, status=409
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You endorsed {session.mentee.display_name} for {skill.name}.")
            return redirect(reverse("mentoring:debrief", args=[session.pk]) + "#endorse")
    return render_debrief(request, session, blank_form(request, session), endorse_form=form, status=400)
