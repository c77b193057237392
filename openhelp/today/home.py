"""The signed-in home: what needs me today. Anonymous visitors see the introduction (core/home.html).

htmx asks for one section at a time (``?section=helping``) when something on the page changed it: the
offer cards answer through routing's views, which send an ``offer-answered`` event, and the sections an
answer moves things into reload themselves (see openhelp/today/templates/today/home.html).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from openhelp.today import sections

# Sections htmx may reload on their own, with what each needs.
PARTIALS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "helping": ("today/_helping.html", lambda user: {"helping": sections.helping(user)}),
    "upcoming": ("today/_upcoming.html", lambda user: {"upcoming": sections.upcoming(user)}),
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/home.html")
    user = request.user
    section = request.GET.get("section")
    if section:
        if section not in PARTIALS:
            raise Http404
        template, build = PARTIALS[section]
        return render(request, template, build(user))
    today = sections.today_for(user)
    context = {field.name: getattr(today, field.name) for field in fields(today)}
    context["asks_waiting"] = today.asks_waiting
    return render(request, "today/home.html", context)
