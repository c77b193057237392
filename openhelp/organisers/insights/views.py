"""The organisers' insights dashboard and its CSV downloads (thin: filters in, figures.report out)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from openhelp.directory.people.models import Team
from openhelp.organisers.insights import access
from openhelp.organisers.insights.cache import cached_report
from openhelp.organisers.insights.charts import bar_chart, line_chart, paired_bar_chart
from openhelp.organisers.insights.forms import FilterForm
from openhelp.organisers.insights.tables import TABLES, rows_html, tables, to_csv


def _filtered(request):
    """(form, report) for this request, or Http404 for anyone who may not see insights."""
    if not access.may_view(request.user):
        raise Http404

    form = FilterForm(
        request.GET,
        teams=Team.objects.order_by("name"),
        programmes=access.organised_programmes(request.user),
        whole_organisation=request.user.is_organiser,
    )
    if not form.is_valid():
        return form, None
    programme = access.resolve_programme(request.user, form.cleaned_data.get("programme"))
    return form, cached_report(form.filters(programme_id=programme))


@login_required
def dashboard(request):
    form, report = _filtered(request)
    shown = (
        {name: {**table, "body": rows_html(table)} for name, table in tables(report).items()}
        if report
        else {}
    )
    context = {"form": form, "report": report, "tables": shown, "charts": {}}
    if report and not report["hidden"]:
        context["charts"] = _charts(report)
        context["durations"] = {
            metric: " / ".join(
                duration_text(report["speed"][f"{metric}_{pct}_minutes"]) for pct in ("p50", "p90")
            )
            for metric in ("accept", "help")
        }
        context["query"] = request.GET.urlencode()
        context["computed_at"] = dt.datetime.fromisoformat(report["computed_at"])
    return render(request, "insights/dashboard.html", context)


@login_required
def download(request, name: str):
    if name not in TABLES:
        raise Http404
    form, report = _filtered(request)
    if report is None or report["hidden"]:
        raise Http404
    response = HttpResponse(to_csv(tables(report)[name]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="insights-{name}-{report["filters"]["start"]}.csv"'
    )
    return response


def duration_text(minutes: float | None) -> str:
    """A duration an organiser reads at a glance: "8 h 32 min", "2 days 9 h", not "3444 minutes"."""
    if minutes is None:
        return "—"
    minutes = round(minutes)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h" if hours else f"{days} days"


def _charts(report: dict) -> dict:
    weeks = [w["week"] for w in report["speed"]["weekly"]]

    def hours(key):
        return [None if w[key] is None else round(w[key] / 60, 1) for w in report["speed"]["weekly"]]

    # Sorted by the gap (asks per week against the weekly sessions its experts offer): show both sides.
    gaps = [(r["skill"], r["asks_per_week"], r["capacity_per_week"]) for r in report["skills"][:12]]
    people = report["participation"]["weekly"]
    return {
        "skills": paired_bar_chart(
            gaps,
            series=("Asks per week", "Sessions offered per week"),
            title="Asks per week against the sessions its experts offer per week, per skill, biggest gap first",
        ),
        "speed": line_chart(
            weeks,
            [
                ("Acceptance median (h)", hours("accept_p50_minutes")),
                ("Acceptance p90 (h)", hours("accept_p90_minutes")),
                ("Help median (h)", hours("help_p50_minutes")),
            ],
            title="Time to acceptance and to help, by week (hours)",
        ),
        "ratings": bar_chart(
            [(f"{k} ★", v) for k, v in report["speed"]["ratings"]["distribution"].items()],
            title="Helpfulness ratings",
        ),
        "participation": line_chart(
            [w["week"] for w in people],
            [
                ("Active mentees", [w["active_mentees"] for w in people]),
                ("Active mentors", [w["active_mentors"] for w in people]),
            ],
            title="Active mentees and mentors by week",
        ),
        "teams": bar_chart(
            [(t["team"], t["sessions_completed"]) for t in report["teams"]],
            title="Sessions completed by team",
        ),
    }
