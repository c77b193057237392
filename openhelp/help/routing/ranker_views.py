"""The organisers' page for the learned ranker: its quality, when it was fitted, and the revert switch."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from openhelp.directory.skills.views import organiser_required
from openhelp.help.routing import learned
from openhelp.help.routing.models import LearnedRanker


def ranker_rows() -> list[dict[str, Any]]:
    """Each fitted scope with its figures, the organisation first."""
    rows: list[dict[str, Any]] = []
    for ranker in LearnedRanker.objects.select_related("programme").order_by("scope"):
        accepted, answered = learned.acceptance(ranker.programme)
        rows.append(
            {
                "ranker": ranker,
                "name": ranker.programme.name if ranker.programme else "Whole organisation",
                "accepted": accepted,
                "answered": answered,
                "acceptance": round(accepted / answered, 3) if answered else None,
            }
        )
    rows.sort(key=lambda row: (row["ranker"].programme_id is not None, row["name"]))
    return rows


@organiser_required
@require_GET
def ranker(request: HttpRequest) -> HttpResponse:
    return render(request, "routing/ranker.html", {"rows": ranker_rows(), "recent_days": learned.RECENT.days})


@organiser_required
@require_POST
def ranker_switch(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(LearnedRanker, pk=pk)
    use_defaults = request.POST.get("use") != "learned"
    learned.set_use_defaults(row, use_defaults=use_defaults)
    messages.success(
        request,
        "Matching now uses the default weights."
        if use_defaults
        else "Matching uses the learned ranker again.",
    )
    return redirect("routing:ranker")
