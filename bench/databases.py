"""The databases a benchmark runs on: its own SQLite file and, when DATABASE_URL is PostgreSQL, its own
database next to it (dropped and re-created; the one in DATABASE_URL is never touched)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.report import ROOT

BENCH_DIR = ROOT / "data" / "bench"


def targets(name: str, only: str | None = None) -> list[tuple[str, str]]:
    """[(label, url)]: SQLite data/bench/<name>.sqlite3, and PostgreSQL <db>_<name>_bench when configured."""
    found = [("SQLite", f"sqlite:///{BENCH_DIR / f'{name}.sqlite3'}")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        database = (parts.path.lstrip("/") or "postgres") + f"_{name}_bench"
        found.append(("PostgreSQL", urlunsplit(parts._replace(path=f"/{database}"))))
    return [t for t in found if only in (None, t[0])]


def recreate(label: str, url: str) -> None:
    """An empty database at ``url``: the SQLite file (and its WAL) removed, or the PostgreSQL one re-created."""
    if label == "SQLite":
        path = Path(urlsplit(url).path)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        urlunsplit(parts._replace(path="/postgres", scheme="postgresql")), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
