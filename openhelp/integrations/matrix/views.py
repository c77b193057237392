"""The Matrix pages: a person's link (settings → Matrix), confirming a link code, and the organisers' bot set-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openhelp.directory.skills.views import organiser_required
from openhelp.integrations.matrix import services
from openhelp.integrations.matrix.forms import BotForm
from openhelp.integrations.matrix.models import MatrixBot, MatrixLink
from openhelp.platform.lib.forms import add_service_errors


@login_required
def settings_page(request) -> HttpResponse:
    link = MatrixLink.objects.filter(user=request.user).first()
    return render(request, "matrix/settings.html", {"link": link, "bot": services.current_bot()})


@login_required
@require_POST
def unlink(request) -> HttpResponse:
    if services.unlink(user=request.user):
        messages.success(request, "Matrix is unlinked: the bot will not message you any more.")
    return redirect("matrix:settings")


@login_required
def confirm_link(request, code: str) -> HttpResponse:
    pending = services.pending_code(code)
    error = ""
    if request.method == "POST":
        try:
            link = services.confirm_link(code=code, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Linked {link.matrix_id}: notifications now reach you there as well.")
            return redirect("matrix:settings")
    status = 200 if pending is not None and not error else 400 if request.method == "POST" else 404
    return render(request, "matrix/confirm_link.html", {"pending": pending, "error": error}, status=status)


@organiser_required
def bot_settings(request) -> HttpResponse:
    bot = MatrixBot.objects.filter(pk=1).first()
    if request.method == "POST":
        form = BotForm(request.POST)
        if form.is_valid():
            try:
                services.save_bot(**form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Matrix bot saved.")
                return redirect("matrix:bot")
    else:
        initial = (
            {"homeserver_url": bot.homeserver_url, "user_id": bot.user_id, "enabled": bot.enabled}
            if bot
            else {}
        )
        form = BotForm(initial=initial)
    return render(request, "matrix/bot.html", {"form": form, "bot": bot})
