"""Statistics of a load run: per page or endpoint, client and server latency percentiles, errors by status
(5xx counted apart) and throughput. Pure functions, so the tests can check them on made-up samples."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

SERVER_TIMING = re.compile(r"(?:^|,)\s*app;dur=([0-9.]+)")


@dataclass
class Sample:
    """One request: what it was (``name``), its status (0: no answer), client and server milliseconds."""

    name: str
    status: int
    client_ms: float
    server_ms: float | None = None
    error: str = ""


@dataclass
class Totals:
    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0–100) of ``values``; 0.0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def server_ms(header: str | None) -> float | None:
    """The app's own time from a ``Server-Timing`` header (``app;dur=12.3``), if it sent one."""
    if not header:
        return None
    found = SERVER_TIMING.search(header)
    return float(found.group(1)) if found else None


def is_error(status: int) -> bool:
    """4xx, 5xx and no answer at all (0) are errors; 2xx and 3xx are not."""
    return status == 0 or status >= 400


def summarise(samples: list[Sample], seconds: float) -> dict:
    """Per name and overall: n, throughput, client and server p50/p95/p99 and mean, errors by status."""
    by_name: dict[str, list[Sample]] = {}
    for sample in samples:
        by_name.setdefault(sample.name, []).append(sample)
    rows = {name: _row(group, seconds) for name, group in sorted(by_name.items())}
    return {"seconds": seconds, "overall": _row(samples, seconds), "endpoints": rows}


def _row(samples: list[Sample], seconds: float) -> dict:
    client = [s.client_ms for s in samples]
    server = [s.server_ms for s in samples if s.server_ms is not None]
    statuses = Counter(s.status for s in samples)
    errors = {str(status): n for status, n in sorted(statuses.items()) if is_error(status)}
    return {
        "n": len(samples),
        "per_second": len(samples) / seconds if seconds > 0 else 0.0,
        "client": _spread(client),
        "server": _spread(server),
        "errors": errors,
        "error_count": sum(errors.values()),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "no_answer": statuses.get(0, 0),
    }


def _spread(values: list[float]) -> dict:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "mean": sum(values) / len(values) if values else 0.0,
        "max": max(values) if values else 0.0,
    }


def table(summary: dict) -> str:
    """A Markdown table of a summary (server time when the app sent it, else client time)."""
    lines = [
        "| Page / endpoint | n | req/s | server p50 | p95 | p99 | client p50 | p95 | p99 | errors | 5xx |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|",
    ]
    for name, row in [*summary["endpoints"].items(), ("**all**", summary["overall"])]:
        s, c = row["server"], row["client"]
        errors = ", ".join(f"{k}×{v}" for k, v in row["errors"].items()) or "–"
        lines.append(
            f"| {name} | {row['n']} | {row['per_second']:.1f} | {s['p50']:.0f} | {s['p95']:.0f} | "
            f"{s['p99']:.0f} | {c['p50']:.0f} | {c['p95']:.0f} | {c['p99']:.0f} | {errors} | "
            f"{row['server_errors']} |"
        )
    return "\n".join(lines)
