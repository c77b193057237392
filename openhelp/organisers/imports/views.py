"""The organisers' people import (upload → preview → apply) and export. Everyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.directory.programmes.models import Programme
from openhelp.directory.skills.views import organiser_required
from openhelp.organisers.imports import services
from openhelp.organisers.imports.forms import ApplyForm, UploadForm
from openhelp.organisers.imports.parsing import HEADERS
from openhelp.platform.lib.clock import now


@organiser_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.stage_import(
            owner=request.user, text=form.cleaned_data["file"], filename=request.FILES["file"].name
        )
        target = reverse("imports:preview", args=[batch.token])
        programme = request.GET.get("programme", "")
        return redirect(f"{target}?{urlencode({'programme': programme})}" if programme else target)
    return render(request, "imports/upload.html", {"form": form, "headers": ",".join(HEADERS)})


@organiser_required
@require_GET
def preview(request: HttpRequest, token: str) -> HttpResponse:
    batch = services.staged_import(owner=request.user, token=token)
    chosen = (
        Programme.objects.organised_by(request.user).filter(slug=request.GET.get("programme", "")).first()
    )
    return _render_preview(request, batch, ApplyForm(user=request.user, initial={"programme": chosen}))


@organiser_required
@require_POST
def apply(request: HttpRequest, token: str) -> HttpResponse:
    batch = services.staged_import(owner=request.user, token=token)
    form = ApplyForm(request.POST, user=request.user)
    if not form.is_valid():  # a programme that is not (or no longer) one of mine
        return _render_preview(request, batch, form, status=400)
    invite, programme = form.cleaned_data["send_invitations"], form.cleaned_data["programme"]
    try:
        if programme is None:
            result = services.apply_staged_import(batch=batch, send_invitations=invite)
        else:
            result = services.import_members(
                programme=programme, batch=batch, actor=request.user, send_invitations=invite
            )
    except services.ImportRejected as rejected:
        return _render_preview(request, batch, form, errors=rejected.errors, status=400)
    done = f"Import done: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
    if programme is not None:
        messages.success(request, f"{done} Everyone in the file is now in {programme.name}.")
        return redirect("programmes:members", slug=programme.slug)
    messages.success(request, done)
    return redirect("imports:upload")


def _render_preview(request, batch, form, *, errors=None, status=200) -> HttpResponse:
    preview = services.preview_import(batch.text)
    context = {
        "batch": batch,
        "preview": preview,
        "errors": errors if errors is not None else preview.errors,
        "changed_rows": [row for row in preview.rows if row.action != "unchanged"],
        "form": form,
    }
    return render(request, "imports/preview.html", context, status=status)


@organiser_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.export_people_csv(), content_type="text/csv; charset=utf-8")
    filename = f"people-{now():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
