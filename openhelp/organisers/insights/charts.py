"""Server-rendered inline SVG charts (no CDN, no script). Every chart is paired in the template with a data
table and a CSV download, so it is decoration for those who can see it, never the only way to read a figure.
All text goes through ``escape``."""

from __future__ import annotations

import itertools

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
BAR_HEIGHT = 22
LABEL_WIDTH = 180
COLOURS = ("#2f6f4f", "#c0622b", "#3b5b99", "#8a6d1f")
_ids = itertools.count(1)


def _scrolling(parts: list[str]) -> SafeString:
    """The chart in a box that scrolls sideways on a phone (app.css, .chart-scroll): drawn WIDTH units wide,
    shrunk to a 390 px screen its 12-unit labels were 6 px; there it keeps a readable size and scrolls."""
    svg = "".join(parts)
    return mark_safe(f'<div class="chart-scroll" data-scroll-region>{svg}</div>')  # noqa: S308 - text escaped


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def bar_chart(items: list[tuple[str, float]], *, title: str, unit: str = "") -> SafeString:
    """Horizontal bars, one per (label, value)."""
    uid = f"chart-{next(_ids)}"
    height = max(len(items), 1) * BAR_HEIGHT + 10
    largest = max((value for _, value in items), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{uid}">{escape(title)}</title>'
    ]
    for row, (label, value) in enumerate(items):
        y = 5 + row * BAR_HEIGHT
        length = max(plot * (value or 0) / largest, 0)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12" fill="currentColor">{escape(label[:28])}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{BAR_HEIGHT - 6}" fill="{COLOURS[0]}"/>'
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + 15}" font-size="12" fill="currentColor">{escape(_fmt(value or 0))}'
            f"{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return _scrolling(parts)


def paired_bar_chart(
    items: list[tuple[str, float, float]], *, series: tuple[str, str], title: str
) -> SafeString:
    """Two horizontal bars per label on one scale, (label, first, second), a legend naming the two: for a
    comparison the order of the rows depends on (demand against supply), which one bar cannot show."""
    uid = f"chart-{next(_ids)}"
    bar, legend = 13, 22
    row_height = 2 * bar + 10
    height = legend + max(len(items), 1) * row_height + 6
    largest = max((max(a or 0, b or 0) for _, a, b in items), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{uid}">{escape(title)}</title>'
    ]
    for n, name in enumerate(series):
        x = LABEL_WIDTH + n * 220
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{COLOURS[n]}"/>'
            f'<text x="{x + 14}" y="13" font-size="11" fill="currentColor">{escape(name)}</text>'
        )
    for row, (label, *values) in enumerate(items):
        y = legend + row * row_height
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + bar + 4}" text-anchor="end" font-size="12" '
            f'fill="currentColor">{escape(label[:28])}</text>'
        )
        for n, value in enumerate(values):
            top = y + n * (bar + 2)
            length = max(plot * (value or 0) / largest, 0)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length:.1f}" height="{bar}" fill="{COLOURS[n]}"/>'
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{top + bar - 2}" font-size="11" '
                f'fill="currentColor">{escape(_fmt(value or 0))}</text>'
            )
    parts.append("</svg>")
    return _scrolling(parts)


def line_chart(
    x_labels: list[str], series: list[tuple[str, list[float | None]]], *, title: str
) -> SafeString:
    """Lines over time; a None value leaves a gap. A legend names each series."""
    uid = f"chart-{next(_ids)}"
    height, left, right, top, bottom = 220, 50, 20, 24, 30
    values = [v for _, vs in series for v in vs if v is not None]
    largest = max(values, default=0) or 1
    span_x = max(len(x_labels) - 1, 1)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom

    def point(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / span_x, top + plot_h * (1 - v / largest)

    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{uid}">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11" fill="currentColor">{escape(_fmt(largest))}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="currentColor">0</text>',
    ]
    if x_labels:
        parts.append(
            f'<text x="{left}" y="{height - 8}" font-size="11" fill="currentColor">{escape(x_labels[0])}</text>'
        )
        parts.append(
            f'<text x="{WIDTH - right}" y="{height - 8}" text-anchor="end" font-size="11" fill="currentColor">{escape(x_labels[-1])}</text>'
        )
    for n, (name, vs) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        runs, run = [], []
        for i, v in enumerate(vs):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(point(i, v))
        if run:
            runs.append(run)
        for run in runs:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
            parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in run)
        parts.append(
            f'<rect x="{left + 10 + n * 150}" y="4" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + 24 + n * 150}" y="13" font-size="11" fill="currentColor">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return _scrolling(parts)
