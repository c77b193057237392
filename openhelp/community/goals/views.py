"""Learning-goal pages. A goal is its owner's alone: anyone else gets a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.community.goals import services
from openhelp.community.goals.forms import ERROR_FIELD, GoalForm
from openhelp.community.goals.models import LearningGoal

DEFAULT_PLAN_DAYS = 21


def _own_goal(request: HttpRequest, pk: int) -> LearningGoal:
    return get_object_or_404(services.goals_of(user=request.user), pk=pk)


def _errors_to_form(form: GoalForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, field_errors in error.message_dict.items():
        target = ERROR_FIELD.get(name, name)
        form.add_error(target if target in form.fields else None, field_errors)


@login_required
@require_GET
def goal_list(request: HttpRequest) -> HttpResponse:
    goals = list(services.goals_of(user=request.user))
    progress = services.progress_for(goals, user=request.user)
    today = services.today_of(request.user)
    rows = [(item, item.days_left(today)) for item in progress]
    return render(request, "goals/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest) -> HttpResponse:
    initial = {"target_date": services.today_of(request.user) + dt.timedelta(days=DEFAULT_PLAN_DAYS)}
    form = GoalForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.create_goal(owner=request.user, **form.goal_fields())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Your goal is set. Here is what could help first.")
            return redirect("goals:detail", pk=goal.pk)
    return render(request, "goals/form.html", {"form": form, "goal": None})


@login_required
@require_GET
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    progress = services.add_suggestions(
        services.progress_for([goal], user=request.user)[0], user=request.user
    )
    today = services.today_of(request.user)
    return render(
        request,
        "goals/detail.html",
        {"goal": goal, "progress": progress, "days_left": progress.days_left(today)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    form = GoalForm(request.POST or None, user=request.user, initial=GoalForm.initial_for(goal))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(goal=goal, actor=request.user, **form.goal_fields())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Your goal is saved.")
            return redirect("goals:detail", pk=goal.pk)
    return render(request, "goals/form.html", {"form": form, "goal": goal})


@login_required
@require_POST
def goal_achieved(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    achieved = request.POST.get("achieved") == "1"
    services.set_achieved(goal=goal, actor=request.user, achieved=achieved)
    messages.success(request, "Congratulations — goal achieved!" if achieved else "The goal is open again.")
    return redirect("goals:detail", pk=goal.pk)


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_goal(goal=_own_goal(request, pk), actor=request.user)
    messages.success(request, "The goal is deleted.")
    return redirect("goals:list")
