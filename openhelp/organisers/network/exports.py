"""CSV downloads: the same figures as the pages and the API, for spreadsheets."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from openhelp.organisers.network.flow import Flow
from openhelp.organisers.network.knowledge import NodeList
from openhelp.platform.lib.spreadsheet import safe_cell


def _response(filename: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, csv.writer(response)


def _cell(text: str) -> str:
    return safe_cell(text)


def flow_csv(flow: Flow) -> HttpResponse:
    response, writer = _response("cross-team-flow.csv")
    writer.writerow(["helper team", "helped team", "sessions"])
    for row in flow.rows:
        for target, value in zip(flow.labels, row.cells, strict=True):
            writer.writerow([_cell(row.team), _cell(target), value])
    return response


def nodes_csv(reliance: NodeList, brokerage: NodeList) -> HttpResponse:
    response, writer = _response("knowledge-nodes.csv")
    writer.writerow(
        ["list", "rank", "name", "team", "people helped", "interactions", "brokerage", "teams helped"]
    )
    for listing in (reliance, brokerage):
        for node in listing.named:
            writer.writerow(
                [
                    listing.order,
                    node.rank,
                    _cell(node.name),
                    _cell(node.team),
                    node.reliance,
                    node.interactions,
                    f"{node.brokerage:.6f}",
                    node.teams_helped,
                ]
            )
        if listing.not_named:
            writer.writerow(
                [listing.order, "", f"{listing.not_named} more people not named", "", "", "", "", ""]
            )
    return response
