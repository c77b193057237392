"""/settings/calendars/: connect a CalDAV account, choose its calendars, sync now, disconnect.

Everything here is the signed-in person's own connection, looked up through them: there is no id to
guess. The views are thin: each calls one service and shows its errors next to the field they name.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openhelp.directory.calendars import services
from openhelp.directory.calendars.forms import ChooseForm, ConnectForm
from openhelp.directory.calendars.models import CalendarConnection
from openhelp.platform.lib.forms import add_service_errors


def _page(request, *, connect_form=None, choose_form=None, status=200):
    connection = CalendarConnection.objects.filter(user=request.user).first()
    if connection is not None and choose_form is None:
        choose_form = ChooseForm(connection=connection)
    context = {
        "connection": connection,
        "connect_form": connect_form or ConnectForm(),
        "choose_form": choose_form,
    }
    return render(request, "calendars/settings.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def settings_page(request):
    return _page(request)


@login_required
@require_POST
def connect(request):
    form = ConnectForm(request.POST)
    if form.is_valid():
        try:
            connection = services.connect(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            found = len(connection.calendars)
            messages.success(
                request, f"Connected. We found {found} calendar{'s' if found != 1 else ''}: choose below."
            )
            return redirect("calendars:settings")
    return _page(request, connect_form=form, status=400)


@login_required
@require_POST
def choose(request):
    connection = CalendarConnection.objects.filter(user=request.user).first()
    if connection is None:
        return redirect("calendars:settings")
    form = ChooseForm(request.POST, connection=connection)
    if form.is_valid():
        try:
            services.choose_calendars(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved. Busy times are read in the background within a minute.")
            return redirect("calendars:settings")
    return _page(request, choose_form=form, status=400)


@login_required
@require_POST
def sync_now(request):
    try:
        services.request_sync(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Syncing now: refresh this page in a moment to see the result.")
    return redirect("calendars:settings")


@login_required
@require_POST
def disconnect(request):
    if services.disconnect(user=request.user):
        messages.success(request, "Disconnected. We forgot the password and the busy times we had read.")
    return redirect("calendars:settings")
