"""Benchmark statistics, machine facts, and the generated sections of docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"

DOC_HEADER = """# Benchmarks

Produced by `make bench` (bench/run.py). Each feature owns one generated section between
`<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` markers; running the benchmark rewrites its own
section and leaves everything else in this file untouched, so hand-written notes may go outside them.
"""


def summarise(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50": _percentile(ordered, 50),
        "p95": _percentile(ordered, 95),
        "mean": statistics.fmean(ordered),
        "max": ordered[-1],
    }


def _percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least pct % of samples at or below it."""
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def machine_facts() -> dict[str, str]:
    facts = {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU": _cpu_model(),
        "Memory": _memory(),
        "OS": platform.platform(terse=True),
        "Python": platform.python_version(),
        "Load average before the run": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    try:
        import django
        import gunicorn

        facts["Django"] = django.get_version()
        facts["gunicorn"] = gunicorn.__version__
    except ImportError:
        pass
    import sqlite3

    facts["SQLite"] = sqlite3.sqlite_version
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def git_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(name: str, body: str, *, path: Path = DOC) -> None:
    """Replace (or append) the generated section ``name`` of docs/benchmarks.md."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text() if path.exists() else DOC_HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
