"""The access matrix: each role × each URL → expected status, checked in one test per app.

    ACCESS = [
        Row("GET", lambda w: reverse("people:edit"), {"anonymous": 302, "owner": 200, "outsider": 200}),
        Row("GET", lambda w: reverse("skills:proposal", args=[w.skill.pk]), {"owner": 200, "outsider": 404}),
    ]
    def test_it_enforces_the_access_matrix(world):
        assert_access_matrix(ACCESS, world)

``world`` is any object whose attributes the URL builders use and which maps role names to clients via
``world.clients[role]``. Others' objects must answer 404, never 403, so their existence does not leak.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Row:
    method: str
    url: Callable[[Any], str]
    expected: dict[str, int]
    data: dict | None = None
    json: bool = False
    headers: dict = field(default_factory=dict)


def assert_access_matrix(rows: list[Row], world: Any) -> None:
    failures: list[str] = []
    for row in rows:
        for role, expected in row.expected.items():
            client = world.clients[role]
            url = row.url(world)
            kwargs: dict[str, Any] = {}
            if row.data is not None:
                if row.json:
                    kwargs = {"data": json.dumps(row.data), "content_type": "application/json"}
                else:
                    kwargs = {"data": row.data}
            response = getattr(client, row.method.lower())(url, **kwargs, headers=row.headers)
            if response.status_code != expected:
                failures.append(
                    f"{row.method} {url} as {role}: expected {expected}, got {response.status_code}"
                )
    assert not failures, "Access matrix violations:\n" + "\n".join(failures)
