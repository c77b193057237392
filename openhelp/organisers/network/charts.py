"""SVG geometry for the two charts, computed in Python so the templates only place shapes (no script,
no CDN). Each chart is an ``<svg role="img">`` with a title and a description; the data table beside it
carries the same figures for screen readers and keyboard users, and the CSV download the same again."""

from __future__ import annotations

from dataclasses import dataclass

from openhelp.organisers.network.flow import Flow
from openhelp.organisers.network.knowledge import NodeList

CELL = 44
LABEL_WIDTH = 140
COLUMN_LABEL_HEIGHT = 100  # room above the grid for the slanted column labels
BAR_HEIGHT = 22
BAR_WIDTH = 360


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    value: int
    opacity: float
    source: str
    target: str
    dark: bool


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    cells: list[Cell]
    row_labels: list[tuple[int, str]]  # (y of the text baseline, label)
    column_labels: list[tuple[int, str]]  # (x of the column centre, label)
    cell_size: int = CELL
    label_width: int = LABEL_WIDTH
    top: int = COLUMN_LABEL_HEIGHT


def heatmap(flow: Flow) -> Heatmap:
    top = COLUMN_LABEL_HEIGHT
    peak = flow.max_cell or 1
    cells = []
    for i, row in enumerate(flow.rows):
        for j, value in enumerate(row.cells):
            share = value / peak
            cells.append(
                Cell(
                    x=LABEL_WIDTH + j * CELL,
                    y=top + i * CELL,
                    value=value,
                    opacity=round(0.08 + 0.92 * share, 3) if value else 0.0,
                    source=row.team,
                    target=flow.labels[j],
                    dark=share > 0.55,
                )
            )
    return Heatmap(
        width=LABEL_WIDTH + CELL * len(flow.labels) + 8,
        height=top + CELL * len(flow.rows) + 8,
        cells=cells,
        row_labels=[(top + i * CELL + CELL // 2 + 5, label) for i, label in enumerate(flow.labels)],
        column_labels=[(LABEL_WIDTH + j * CELL + CELL // 2, label) for j, label in enumerate(flow.labels)],
    )


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    label: str
    value: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    label_width: int = LABEL_WIDTH


def bar_chart(nodes: NodeList) -> BarChart:
    peak = nodes.max_value or 1
    bars = []
    for i, node in enumerate(nodes.named):
        value = getattr(node, nodes.order)
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        bars.append(
            Bar(
                y=i * (BAR_HEIGHT + 6),
                width=max(2, round(BAR_WIDTH * value / peak)),
                label=node.name,
                value=shown,
            )
        )
    return BarChart(
        width=LABEL_WIDTH + BAR_WIDTH + 60, height=max(1, len(bars)) * (BAR_HEIGHT + 6), bars=bars
    )
