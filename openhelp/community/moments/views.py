"""Moments pages (log, challenge, my moments) and introductions (make, answer, converse).

A moment is its author's alone: anyone else asking for it gets a 404. An introduction is seen by the
three people in it; its thread by the two introduced.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openhelp.community.moments import introductions as intro_services
from openhelp.community.moments import services
from openhelp.community.moments.forms import IntroductionForm, MessageForm, MomentForm
from openhelp.community.moments.models import Moment
from openhelp.platform.lib.clock import local_now
from openhelp.platform.lib.numbers import id_from_text

PER_PAGE = 30
MESSAGES_SHOWN = 200
MOMENT_FIELDS = {"occurred_at": "occurred_on"}


def _errors_to_form(form, error: ValidationError, mapping: dict[str, str] | None = None) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, field_errors in error.message_dict.items():
        target = (mapping or {}).get(name, name)
        form.add_error(target if target in form.fields else None, field_errors)


def _occurred_at(day: dt.date | None, user) -> dt.datetime | None:
    """A chosen day as a moment: now for today, else midday that day in the person's zone."""
    if day is None:
        return None
    tz_name = services.timezone_of(user)
    if day == local_now(tz_name).date():
        return None
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=ZoneInfo(tz_name))


def _moment_fields(form: MomentForm, user) -> dict:
    data = dict(form.cleaned_data)
    data["occurred_at"] = _occurred_at(data.pop("occurred_on"), user)
    return data


# --- Moments ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def moment_list(request: HttpRequest) -> HttpResponse:
    initial = {"kind": "encouragement"}
    person_id = id_from_text(request.GET.get("with"))
    if person_id is not None and person_id != request.user.pk:
        person = (
            get_user_model().objects.filter(pk=person_id, is_active=True).select_related("profile").first()
        )
        if person is not None:
            initial["person"] = person
    form = MomentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_moment(author=request.user, **_moment_fields(form, request.user))
        except ValidationError as error:
            _errors_to_form(form, error, MOMENT_FIELDS)
        else:
            messages.success(request, "Logged. Every small act of help counts.")
            return redirect("moments:list")
    page = Paginator(services.moments_of(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "challenge": services.challenge_for(user=request.user)}
    return render(request, "moments/list.html", context)


def _own_moment(request: HttpRequest, pk: int) -> Moment:
    return get_object_or_404(services.moments_of(user=request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def moment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    moment = _own_moment(request, pk)
    tz_name = services.timezone_of(request.user)
    initial = {
        "kind": moment.kind,
        "note": moment.note,
        "person": moment.person,
        "is_public": moment.is_public,
        "occurred_on": moment.occurred_at.astimezone(ZoneInfo(tz_name)).date(),
    }
    form = MomentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _moment_fields(form, request.user)
        if form.cleaned_data["occurred_on"] == initial["occurred_on"]:
            fields["occurred_at"] = moment.occurred_at  # the day did not change: keep the exact time
        try:
            services.update_moment(moment=moment, actor=request.user, **fields)
        except ValidationError as error:
            _errors_to_form(form, error, MOMENT_FIELDS)
        else:
            messages.success(request, "Your moment is saved.")
            return redirect("moments:list")
    return render(request, "moments/edit.html", {"form": form, "moment": moment})


@login_required
@require_POST
def moment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_moment(moment=_own_moment(request, pk), actor=request.user)
    messages.success(request, "The moment is deleted.")
    return redirect("moments:list")


# --- Introductions ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def introduction_list(request: HttpRequest) -> HttpResponse:
    initial = {}
    first_id = id_from_text(request.GET.get("first"))
    if first_id is not None and first_id != request.user.pk:
        first = get_user_model().objects.filter(pk=first_id, is_active=True).select_related("profile").first()
        if first is not None:
            initial["first"] = first
    form = IntroductionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            introduction = intro_services.introduce(introducer=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Introduction sent. We will tell you once both have answered.")
            return redirect("moments:introduction", pk=introduction.pk)
    page = Paginator(intro_services.introductions_for(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(intro, intro_services.status_for(intro, request.user)) for intro in page.object_list]
    return render(request, "moments/introductions.html", {"form": form, "page": page, "rows": rows})


def _visible_introduction(request: HttpRequest, pk: int):
    return get_object_or_404(intro_services.introductions_for(user=request.user), pk=pk)


@login_required
@require_http_methods(["GET"])
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = _visible_introduction(request, pk)
    return _render_introduction(request, introduction, MessageForm())


def _render_introduction(request: HttpRequest, introduction, message_form: MessageForm) -> HttpResponse:
    is_invitee = introduction.is_invitee(request.user)
    thread = []
    if is_invitee and introduction.is_connected:
        thread = list(
            introduction.messages.select_related("author__profile").order_by("-created_at", "-pk")[
                :MESSAGES_SHOWN
            ]
        )[::-1]
    context = {
        "introduction": introduction,
        "status": intro_services.status_for(introduction, request.user),
        "is_invitee": is_invitee,
        "my_answer": introduction.answer_of(request.user),
        "other": introduction.other_invitee(request.user) if is_invitee else None,
        "thread": thread,
        "message_form": message_form,
    }
    return render(request, "moments/introduction.html", context)


@login_required
@require_POST
def introduction_answer(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = _visible_introduction(request, pk)
    if not introduction.is_invitee(request.user):
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        intro = intro_services.answer(introduction=introduction, person=request.user, accept=accept)
    except intro_services.IntroductionConflict as error:
        messages.error(request, str(error))
    else:
        if intro.is_connected:
            messages.success(request, "You are connected. Say hello below.")
        elif accept:
            messages.success(request, "Accepted. You will be connected once the other person accepts too.")
        else:
            messages.success(request, "Declined, quietly. Nobody is told it was you.")
    return redirect("moments:introduction", pk=introduction.pk)


@login_required
@require_POST
def introduction_message(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = _visible_introduction(request, pk)
    if not introduction.is_invitee(request.user):
        raise Http404
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            intro_services.post_message(introduction=introduction, author=request.user, **form.cleaned_data)
        except intro_services.IntroductionConflict as error:
            messages.error(request, str(error))
            return redirect("moments:introduction", pk=introduction.pk)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect(reverse("moments:introduction", args=[introduction.pk]) + "#thread")
    return _render_introduction(request, introduction, form)
