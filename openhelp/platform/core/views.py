from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from openhelp.platform.core.health import worker_status


def home(request):
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    """Database and worker status for load balancers and humans. 503 when the database is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        database = {"status": "error", "error": exc.__class__.__name__}
    worker = worker_status() if database["status"] == "ok" else {"status": "unknown"}
    healthy = database["status"] == "ok"
    status = "ok" if healthy and worker["status"] == "ok" else ("degraded" if healthy else "error")
    return JsonResponse(
        {"status": status, "database": database, "worker": worker}, status=200 if healthy else 503
    )


# --- Theme ------------------------------------------------------------------------------------------
# The light/dark choice lives in a `theme` cookie (so the server renders <html data-theme="…"> with no
# flash) and, with JavaScript, in localStorage too (static/js/theme.js writes both the same way).
THEME_COOKIE = "theme"
THEME_CHOICES = ("light", "dark", "system")
THEME_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def _safe_next(request) -> str:
    """Where to go back to: the form's `next`, else the referring page, if either is on this site."""
    for candidate in (request.POST.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return "/"


@require_POST
def set_theme(request):
    """The theme switch without JavaScript: remember the choice in a cookie and go back."""
    choice = request.POST.get("theme", "")
    if choice not in THEME_CHOICES:
        return HttpResponseBadRequest("Choose light, dark or system.")
    response = HttpResponseRedirect(_safe_next(request))
    if choice == "system":
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            THEME_COOKIE,
            choice,
            max_age=THEME_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=False,  # theme.js reads and writes the same cookie
        )
    return response


# --- The living style guide ---------------------------------------------------------------------------
class StyleDemoForm(forms.Form):
    """Every kind of field, rendered by Django itself, so /style/ shows the real markup and errors."""

    name = forms.CharField(label="Your name", max_length=80, help_text="As colleagues know you.")
    email = forms.EmailField(label="E-mail")
    format = forms.ChoiceField(
        label="Format",
        choices=[("async", "Async answer"), ("call-30", "30-minute call"), ("office-hours", "Office hours")],
    )
    urgency = forms.ChoiceField(
        label="How urgent",
        choices=[("today", "Today"), ("week", "This week"), ("whenever", "Whenever")],
        widget=forms.RadioSelect,
        initial="week",
    )
    languages = forms.MultipleChoiceField(
        label="Languages",
        choices=[("en", "English"), ("fr", "French"), ("de", "German")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    context = forms.CharField(
        label="Context and what you tried", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    back_on = forms.DateField(
        label="Back on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A date field is as wide as a date.",
    )
    open_now = forms.BooleanField(label="Open to help now", required=False)


def style(request):
    """The living style guide: every component of static/css/app.css, in the light and dark themes."""
    demo_form = StyleDemoForm(prefix="demo")
    error_form = StyleDemoForm({"err-name": "", "err-email": "not-an-address"}, prefix="err")
    error_form.is_valid()
    return render(request, "core/style.html", {"demo_form": demo_form, "error_form": error_form})


@login_required
def integrations(request):
    """The organisers' map of where the product meets other systems (each card links to its own page)."""
    if not request.user.is_organiser:
        raise Http404
    return render(request, "core/integrations.html")
