"""The private calendar feed, and the page to copy its address, rotate it and choose reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.help.officehours import services
from openhelp.help.officehours.calendar import feed as build_feed
from openhelp.help.officehours.forms import RemindersForm
from openhelp.help.officehours.views import attempt


def feed_url(request: HttpRequest, calendar) -> str:
    return request.build_absolute_uri(
        reverse("officehours:feed", args=[calendar.feed_key, calendar.feed_secret])
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    calendar = services.personal_calendar_for(request.user)
    initial = {"reminders": [str(m) for m in calendar.reminder_minutes]}
    form = RemindersForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _, ok = attempt(
            request,
            lambda: services.set_reminders(user=request.user, minutes=form.cleaned_data["reminders"]),
            form=form,
        )
        if ok:
            messages.success(request, "Reminder choices saved. They apply to sessions booked from now on.")
            return redirect("officehours:calendar")
    return render(
        request, "officehours/calendar.html", {"form": form, "feed_url": feed_url(request, calendar)}
    )


@login_required
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    services.rotate_feed(user=request.user)
    messages.success(request, "Your calendar has a new address; the old one no longer works.")
    return redirect("officehours:calendar")


@require_GET
def feed(request: HttpRequest, key: str, secret: str) -> HttpResponse:
    """Open to anyone with the address (calendar apps cannot log in); the secret is the credential."""
    calendar = services.calendar_for_feed(key, secret)
    if calendar is None:
        raise Http404
    response = HttpResponse(build_feed(calendar.user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
