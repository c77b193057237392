"""The notification centre and the preferences page. Forms work without JavaScript; htmx gets the changed part
of the page (and the new unread count as an event), fetch() gets JSON."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from openhelp.platform.notifications import services
from openhelp.platform.notifications.models import Channel

PAGE_SIZE = 25


def _wants_json(request) -> bool:
    return request.accepts("application/json") and not request.accepts("text/html")


def _back(request, fallback: str = "notifications:list"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _unread_trigger(response, count: int):
    """Tell the page (the header's bell) the new unread count: an htmx event, read by notifications.js."""
    response["HX-Trigger"] = json.dumps({"notifications:unread": {"count": count}})
    return response


def _centre_context(request, page_number) -> dict:
    page = Paginator(services.inbox(user=request.user), PAGE_SIZE).get_page(page_number)
    next_url = reverse("notifications:list") + (f"?page={page.number}" if page.number > 1 else "")
    return {"page": page, "next": next_url}


@login_required
def notification_list(request):
    return render(request, "notifications/list.html", _centre_context(request, request.GET.get("page")))


@login_required
@require_POST
def mark_read(request, notification_id: int):
    notification = services.mark_read(user=request.user, notification_id=notification_id)
    if _wants_json(request):
        return JsonResponse(
            {"id": notification.pk, "read": True, "unread_count": services.unread_count(user=request.user)}
        )
    if _is_htmx(request):
        count = services.unread_count(user=request.user)
        context = {
            "notification": notification,
            "next": request.POST.get("next", ""),
            "unread_notifications": count,
        }
        return _unread_trigger(render(request, "notifications/_marked_read.html", context), count)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    changed = services.mark_all_read(user=request.user)
    if _wants_json(request):
        return JsonResponse({"marked": changed, "unread_count": 0})
    if _is_htmx(request):
        context = {**_centre_context(request, request.POST.get("page")), "unread_notifications": 0}
        return _unread_trigger(render(request, "notifications/_centre.html", context), 0)
    if changed:
        messages.success(request, "All notifications are marked as read.")
    return _back(request)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST":
        # A checkbox left unticked is simply absent from the form, so every cell the person may change
        # is set from whether its box came back.
        choices = {
            (row.event.name, setting.channel): f"{row.event.name}:{setting.channel}" in request.POST
            for row in services.preferences_for(user=request.user)
            for setting in row.settings
            if setting.offered and not setting.locked
        }
        services.set_preferences(user=request.user, choices=choices)
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    rows = services.preferences_for(user=request.user)
    # The chat column only for people linked on a chat transport (Slack, Matrix): nothing to choose otherwise.
    shown = {s.channel for row in rows for s in row.settings if s.offered} | {Channel.IN_APP, Channel.EMAIL}
    context = {
        "rows": rows,
        "channels": [(value, label) for value, label in Channel.choices if value in shown],
        "shown": shown,
    }
    return render(request, "notifications/preferences.html", context)
