"""The report as tables: the accessible alternative under every chart and the CSV downloads (same rows)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import numberformat
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from openhelp.platform.lib.spreadsheet import safe_cell

TABLES = ("skills", "speed", "ratings", "participation", "teams", "burnout")


def _hours(minutes):
    return "" if minutes is None else round(minutes / 60, 1)


def _pct(share):
    return "" if share is None else round(share * 100, 1)


def _blank(value):
    return "" if value is None else value


def tables(report: dict) -> dict[str, dict]:
    """name → {"title", "headers", "rows"}; empty when the report is hidden."""
    if report.get("hidden"):
        return {}
    speed, people, load = report["speed"], report["participation"], report["load"]
    return {
        "skills": {
            "title": "Skill ledger, biggest gaps first",
            "headers": [
                "Skill",
                "Asks",
                "Asks per week",
                "Experts open to help",
                "Capacity (sessions/week)",
                "Unmatched or expired (%)",
                "Mean hours to acceptance",
                "Demand ÷ capacity",
                "Asks in the previous period",
                "Trend (%)",
                "Suggested action",
            ],
            "rows": [
                [
                    r["skill"],
                    r["asks"],
                    r["asks_per_week"],
                    r["experts"],
                    r["capacity_per_week"],
                    _pct(r["unmatched_share"]),
                    _blank(r["mean_hours_to_accept"]),
                    _blank(r["pressure"]),
                    r["asks_previous_period"],
                    _pct(r["trend"]),
                    r["action"],
                ]
                for r in report["skills"]
            ],
        },
        "speed": {
            "title": "Speed and outcomes by week (hours; percentiles are bucket upper edges)",
            "headers": [
                "Week",
                "Acceptance median (h)",
                "Acceptance p90 (h)",
                "Help median (h)",
                "Help p90 (h)",
                "Solved (%)",
            ],
            "rows": [
                [
                    w["week"],
                    _hours(w["accept_p50_minutes"]),
                    _hours(w["accept_p90_minutes"]),
                    _hours(w["help_p50_minutes"]),
                    _hours(w["help_p90_minutes"]),
                    _pct(w["solved_rate"]),
                ]
                for w in speed["weekly"]
            ],
        },
        "ratings": {
            "title": "Helpfulness ratings",
            "headers": ["Rating", "Debriefs"],
            "rows": [[stars, n] for stars, n in speed["ratings"]["distribution"].items()],
        },
        "participation": {
            "title": "Active people by week",
            "headers": ["Week", "Active mentees", "Active mentors"],
            "rows": [[w["week"], w["active_mentees"], w["active_mentors"]] for w in people["weekly"]],
        },
        "teams": {
            "title": "By team (teams under the minimum group size merged into Other)",
            "headers": ["Team", "People", "Active people", "Sessions completed"],
            "rows": [
                [t["team"], t["people"], t["active_people"], t["sessions_completed"]] for t in report["teams"]
            ],
        },
        "burnout": {
            "title": "Mentors over capacity two weeks running",
            "headers": [
                "Mentor",
                "Capacity per week",
                "Sessions, week 1",
                "Sessions, week 2",
                "Suggested action",
            ],
            "rows": [
                [a["mentor"], a["capacity_per_week"], a["sessions"][0], a["sessions"][1], a["action"]]
                for a in load["burnout_alerts"]
            ],
        },
    }


def _cell_writer() -> Callable[[Any], str]:
    """A cell as ``{{ cell }}`` writes it (``localize``, then escaped), with the locale's number formats
    looked up once for a table rather than three times a number (``formats.number_format``'s cost)."""
    language = get_language()
    decimal_sep, grouping, thousand_sep = (
        get_format(name, language, use_l10n=True)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    )

    def cell(value: Any) -> str:  # a report's cell: a number, a text, or None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return conditional_escape(
                numberformat.format(value, decimal_sep, None, grouping, thousand_sep, use_l10n=True)
            )
        return conditional_escape(localize(value))

    return cell


def rows_html(table: dict) -> SafeString:
    """The table's body (``<tr>`` rows, the first cell of each its row header) as the template wrote it
    cell by cell: joined here at once, as the charts are, since a template loop per cell was most of the
    dashboard's rendering with a long skill ledger."""
    if not table["rows"]:
        return format_html('<tr><td colspan="{}">Nothing in this range.</td></tr>', len(table["headers"]))
    cell = _cell_writer()
    rows = []
    for first, *rest in table["rows"]:
        cells = "".join(f"<td>{cell(value)}</td>" for value in rest)
        rows.append(f'<tr><th scope="row">{cell(first)}</th>{cells}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 - every cell above is escaped


def to_csv(table: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table["headers"])
    for row in table["rows"]:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()
