"""Organiser pages of the helper network (404 for everyone else) and each person's naming choice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openhelp.organisers.network import charts, exports, services
from openhelp.organisers.network.flow import team_flow
from openhelp.organisers.network.forms import filter_form
from openhelp.organisers.network.knowledge import latest_snapshot, top_nodes
from openhelp.organisers.network.scope import require_viewer


def _filters(request: HttpRequest):
    require_viewer(request.user)
    form = filter_form(request.GET, user=request.user)
    return form, (form.scope() if form.is_valid() else None)


@login_required
@require_GET
def flow(request: HttpRequest) -> HttpResponse:
    form, scope = _filters(request)
    result = team_flow(scope=scope) if scope else None
    context = {
        "form": form,
        "flow": result,
        "chart": charts.heatmap(result) if result else None,
        "tab": "flow",
    }
    return render(request, "network/flow.html", context)


@login_required
@require_GET
def flow_csv(request: HttpRequest) -> HttpResponse:
    form, scope = _filters(request)
    if scope is None:
        return render(request, "network/flow.html", {"form": form, "flow": None, "tab": "flow"}, status=400)
    return exports.flow_csv(team_flow(scope=scope))


def _node_lists(scope):
    snapshot = latest_snapshot()
    return (
        snapshot,
        top_nodes(snapshot, scope=scope, order="reliance"),
        top_nodes(snapshot, scope=scope, order="brokerage"),
    )


@login_required
@require_GET
def knowledge_nodes(request: HttpRequest) -> HttpResponse:
    form, scope = _filters(request)
    context = {"form": form, "tab": "nodes", "snapshot": None, "lists": []}
    if scope is not None:
        snapshot, reliance, brokerage = _node_lists(scope)
        context |= {
            "snapshot": snapshot,
            "lists": [
                (reliance, charts.bar_chart(reliance), "Relied on", "people helped"),
                (brokerage, charts.bar_chart(brokerage), "Bridges between groups", "betweenness"),
            ],
        }
    return render(request, "network/knowledge_nodes.html", context)


@login_required
@require_GET
def knowledge_nodes_csv(request: HttpRequest) -> HttpResponse:
    form, scope = _filters(request)
    if scope is None:
        return render(request, "network/knowledge_nodes.html", {"form": form, "lists": []}, status=400)
    _, reliance, brokerage = _node_lists(scope)
    return exports.nodes_csv(reliance, brokerage)


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    if not request.user.is_organiser:
        raise Http404
    services.request_recompute()
    messages.success(request, "Recomputing the knowledge nodes in the background; reload in a minute.")
    return redirect("network:knowledge-nodes")


@login_required
@require_http_methods(["GET", "POST"])
def my_name(request: HttpRequest) -> HttpResponse:
    consent = services.consent_of(request.user)
    if request.method == "POST":
        named = request.POST.get("named") == "on"
        services.set_knowledge_node_consent(user=request.user, named=named)
        messages.success(
            request,
            "Organisers may now see your name among knowledge nodes."
            if named
            else "Your name will not be shown among knowledge nodes.",
        )
        return redirect("network:my-name")
    return render(request, "network/my_name.html", {"consent": consent})
