"""Organisers' webhook pages: the endpoints, one endpoint with its delivery log, and the actions on it.
Everyone else gets 404. Endpoints belong to the organisation: every organiser manages every one."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.directory.skills.views import organiser_required
from openhelp.integrations.webhooks import services
from openhelp.integrations.webhooks.forms import EndpointForm
from openhelp.integrations.webhooks.models import Delivery, Endpoint
from openhelp.platform.accounts.models import User
from openhelp.platform.lib.forms import add_service_errors


def _form_context(form: EndpointForm) -> dict:
    chosen = set(form["kinds"].value() or [])
    groups = [
        (area, [(kind, holds, kind in chosen) for kind, holds in kinds])
        for area, kinds in services.kind_groups()
    ]
    return {"form": form, "kind_groups": groups}


def _secret_page(request: HttpRequest, result: services.WithSecret, *, status: int = 200) -> HttpResponse:
    # Rendered in answer to the POST, not stored anywhere to show later: this is the only time it shows.
    return render(
        request, "webhooks/secret.html", {"endpoint": result.endpoint, "secret": result.secret}, status=status
    )


@organiser_required
@require_GET
def endpoint_list(request: HttpRequest) -> HttpResponse:
    endpoints = Endpoint.objects.order_by("created_at", "id")
    return render(request, "webhooks/list.html", {"endpoints": endpoints})


@organiser_required
@require_http_methods(["GET", "POST"])
def endpoint_new(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.create_endpoint(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _secret_page(request, result, status=201)
    context = {**_form_context(form), "endpoint": None}
    return render(request, "webhooks/form.html", context, status=400 if form.errors else 200)


@organiser_required
@require_GET
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    context = {"endpoint": endpoint, "deliveries": services.recent_deliveries(endpoint)}
    return render(request, "webhooks/detail.html", context)


@organiser_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "all_kinds": endpoint.all_kinds,
        "kinds": endpoint.kinds,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_endpoint(endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Endpoint saved.")
            return redirect("webhooks:detail", pk=endpoint.pk)
    context = {**_form_context(form), "endpoint": endpoint}
    return render(request, "webhooks/form.html", context, status=400 if form.errors else 200)


@organiser_required
@require_http_methods(["GET", "POST"])
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    if request.method == "POST":
        services.delete_endpoint(endpoint=endpoint)
        messages.success(request, "Endpoint deleted: it receives nothing more.")
        return redirect("webhooks:list")
    return render(request, "webhooks/delete.html", {"endpoint": endpoint})


@organiser_required
@require_POST
def endpoint_enable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    services.enable_endpoint(endpoint=endpoint)
    messages.success(request, "Endpoint enabled. Deliveries that were waiting are being sent.")
    return redirect("webhooks:detail", pk=endpoint.pk)


@organiser_required
@require_POST
def endpoint_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    try:
        services.send_test(endpoint=endpoint, actor=cast(User, request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Test event queued: its answer appears in the log below in a few seconds.")
    return redirect("webhooks:detail", pk=endpoint.pk)


@organiser_required
@require_POST
def endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    return _secret_page(request, services.rotate_secret(endpoint=endpoint))


@organiser_required
@require_POST
def delivery_replay(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("endpoint"), pk=delivery_pk, endpoint_id=pk)
    try:
        services.replay_delivery(delivery=delivery, actor=cast(User, request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{delivery.kind} queued again, with the same webhook-id.")
    return redirect("webhooks:detail", pk=pk)
