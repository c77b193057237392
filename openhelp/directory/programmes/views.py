"""Programme pages. A programme's page is for its members (and people who may join it by domain);
its member list and management pages are for its organisers only: anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.directory.programmes import access, rules, services
from openhelp.directory.programmes.forms import (
    RESET_WEIGHTS,
    AddMembersForm,
    JoinForm,
    ProgrammeForm,
    RoleForm,
    add_errors,
)
from openhelp.directory.programmes.models import MembershipRole, Programme


def _visible(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(access.visible_to(request.user), slug=slug)


def _organised(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme.objects.organised_by(request.user), slug=slug)


@login_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    mine = list(access.programmes_of(request.user))
    joinable = list(access.joinable_by_domain(request.user))
    counts = access.member_counts([*mine, *joinable])
    return render(
        request,
        "programmes/list.html",
        {
            "mine": [(p, counts.get(p.pk, 0)) for p in mine],
            "joinable": [(p, counts.get(p.pk, 0)) for p in joinable],
            "can_create": services.can_create(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    if not services.can_create(request.user):
        raise Http404("Only organisers can create programmes.")
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.user, **form.programme_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The programme is created. Share its invite link to bring people in.")
            return redirect(programme)
    status = 400 if form.errors else 200
    return render(request, "programmes/form.html", {"form": form, "programme": None}, status=status)


@login_required
@require_GET
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _visible(request, slug)
    membership = access.membership_of(programme, request.user)
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "membership": membership,
            "is_organiser": bool(membership and membership.role == MembershipRole.ORGANISER),
            "member_count": access.member_counts([programme]).get(programme.pk, 0),
            "rules": rules.summary(programme),
            "focus_skills": list(programme.focus_skills.all()),
            "can_self_join": membership is None and services.can_self_join(programme, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _organised(request, slug)
    form = ProgrammeForm(
        request.POST or None, user=request.user, initial=ProgrammeForm.initial_for(programme)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_programme(programme=programme, actor=request.user, **form.programme_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            saved = "The programme is saved" + (" with the default weights." if form.resets_weights else ".")
            messages.success(request, saved)
            return redirect(programme)
    status = 400 if form.errors else 200
    return render(
        request,
        "programmes/form.html",
        {"form": form, "programme": programme, "reset_weights": RESET_WEIGHTS},
        status=status,
    )


def _join_page(request: HttpRequest, programme: Programme, *, token: str, action: str) -> HttpResponse:
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join(
                programme=programme,
                user=request.user,
                token=token,
                accept_code_of_conduct=form.cleaned_data["accept_code_of_conduct"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Welcome to {programme.name}.")
            return redirect(programme)
    status = 400 if form.errors else 200
    return render(
        request,
        "programmes/join.html",
        {
            "programme": programme,
            "form": form,
            "action": action,
            "already": access.is_member(programme, request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_with_token(request: HttpRequest, token: str) -> HttpResponse:
    programme = services.programme_for_token(token)
    if programme is None:
        return render(request, "programmes/invalid_invite.html", status=404)
    return _join_page(request, programme, token=token, action=request.path)


@login_required
@require_http_methods(["GET", "POST"])
def join_by_domain(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _visible(request, slug)
    return _join_page(request, programme, token="", action=request.path)


@login_required
@require_POST
def accept_code(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _visible(request, slug)
    try:
        services.accept_code_of_conduct(programme=programme, user=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, "Thank you: the code of conduct is accepted.")
    return redirect(programme)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _visible(request, slug)
    try:
        services.leave(programme=programme, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(programme)
    messages.success(request, f"You left {programme.name}.")
    return redirect("programmes:list")


# --- Organisers --------------------------------------------------------------------------------------


@login_required
@require_GET
def members(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _organised(request, slug)
    return _members_page(request, programme, AddMembersForm())


def _members_page(request: HttpRequest, programme: Programme, form: AddMembersForm, status: int = 200):
    invite_url = request.build_absolute_uri(programme.get_invite_path())
    return render(
        request,
        "programmes/members.html",
        {
            "programme": programme,
            "memberships": list(access.memberships_of(programme)),
            "form": form,
            "role_form": RoleForm(),
            "invite_url": invite_url,
        },
        status=status,
    )


@login_required
@require_POST
def add_members(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _organised(request, slug)
    form = AddMembersForm(request.POST)
    if form.is_valid():
        try:
            result = services.add_members_by_email(
                programme=programme,
                emails=form.cleaned_data["emails"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            parts = [f"{len(result.added)} added"]
            if result.promoted:
                parts.append(f"{len(result.promoted)} made organisers")
            if result.already:
                parts.append(f"{len(result.already)} already in")
            messages.success(request, ", ".join(parts) + ".")
            return redirect("programmes:members", programme.slug)
    return _members_page(request, programme, form, status=400)


def _member(programme: Programme, user_id: int):
    return get_object_or_404(get_user_model(), pk=user_id, programme_memberships__programme=programme)


@login_required
@require_POST
def set_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    programme = _organised(request, slug)
    person = _member(programme, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose member or organiser.")
    else:
        try:
            services.set_role(
                programme=programme, user=person, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{person.display_name} is now {form.cleaned_data['role']}.")
    return redirect("programmes:members", programme.slug)


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    programme = _organised(request, slug)
    person = _member(programme, user_id)
    try:
        services.remove_member(programme=programme, user=person, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{person.display_name} is no longer in the programme.")
    return redirect("programmes:members", programme.slug)


@login_required
@require_POST
def rotate_invite(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _organised(request, slug)
    services.rotate_invite(programme=programme, actor=request.user)
    messages.success(request, "A new invite link is ready; the old one no longer works.")
    return redirect("programmes:members", programme.slug)
