#!/usr/bin/env python
"""`make load`: the load test against ONE app server — gunicorn (5 workers, production settings, as
``bench/run.py`` starts it) and one task worker on a PostgreSQL database seeded with ``seed_demo --people 100000`` (a year of
activity) — so the one-server figure exists without the cluster (``make cluster`` gives three).

The database is its own, ``openhelp_load`` next to the one in DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/): created, migrated and seeded when it is missing or holds another
size, reused otherwise (seeding 100,000 people takes minutes); ``--fresh`` drops and re-seeds it,
``--drop`` drops it at the end. ``--database-url sqlite:///…`` runs the same on a SQLite file instead.
Results: bench/results/load-<timestamp>.json, and with ``--write-docs`` the "load-single" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.load.driver import demo_emails, run  # noqa: E402
from bench.load.stats import table  # noqa: E402
from bench.report import ROOT, git_revision, machine_facts, write_section  # noqa: E402
from bench.run import GUNICORN, PYTHON, Target, _free_port, _wait_until_up, server_env  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PROTECTED = {"postgres", "root", "test", "template0", "template1"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database", default="openhelp_load", help="PostgreSQL database name.")
    parser.add_argument(
        "--database-url", help="Use this database instead (e.g. sqlite:///data/load.sqlite3)."
    )
    parser.add_argument("--fresh", action="store_true", help="Drop and re-seed even if already seeded.")
    parser.add_argument("--drop", action="store_true", help="Drop the database at the end.")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes.")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--write-docs", action="store_true", help="Rewrite docs/benchmarks.md's section.")
    parser.add_argument(
        "--section",
        default="load-single",
        help="The docs/benchmarks.md section --write-docs rewrites (a run at a stated load has its own).",
    )
    return parser.parse_args(argv)


def database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return args.database_url
    if args.database in PROTECTED:
        raise SystemExit(f"Refusing to use the database {args.database!r}.")
    base = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(base if base.startswith(("postgres://", "postgresql://")) else DEFAULT_SERVER)
    return urlunsplit(parts._replace(path=f"/{args.database}"))


def seeded_people(url: str) -> int | None:
    """How many people the database holds, or None when it does not exist or is not migrated."""
    if url.startswith("sqlite"):
        import sqlite3

        path = urlsplit(url).path
        if not Path(path).exists():
            return None
        try:
            with sqlite3.connect(path) as conn:
                return conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0]
        except sqlite3.Error:
            return None
    import psycopg

    try:
        with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as conn:
            return conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0]
    except psycopg.Error:
        return None


def recreate(url: str) -> None:
    drop(url, create=True)


def drop(url: str, *, create: bool = False) -> None:
    """Drop the database (a SQLite file, or a PostgreSQL database other than the protected ones); with
    ``create``, make it again, empty."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        Path(parts.path).unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    if name in PROTECTED:
        raise SystemExit(f"Refusing to drop {name!r}.")
    with psycopg.connect(
        urlunsplit(parts._replace(path="/postgres", scheme="postgresql")), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def analyze(url: str) -> None:
    """Fresh planner statistics after millions of rows arrived in one transaction (autovacuum would get
    there, but not before the first measured minutes)."""
    if url.startswith("sqlite"):
        return
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql")), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=7200)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = database_url(args)
    label = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    env = server_env(Target(label, url))
    env["STATIC_ROOT"] = str(ROOT / "data" / "load" / "static")
    seed_seconds = None
    if args.fresh or seeded_people(url) != args.people:
        print(f"== a fresh database, {args.people:,} people", flush=True)
        recreate(url)
        manage(env, "migrate", "--no-input", "-v0")
        started = time.monotonic()
        manage(env, "seed_demo", "--people", str(args.people), "--seed", "42")
        seed_seconds = time.monotonic() - started
        analyze(url)
    else:
        print(f"== reusing the seeded database ({args.people:,} people)", flush=True)
        manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    port = _free_port()
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi:application", "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", "--timeout", "120"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    # One task worker beside the server, as in production: publishing hands routing to it, and it sends the
    # e-mails (locmem here), expiries and reminders the mix causes. Tasks left from earlier runs are dropped
    # first, so a backlog does not compete with this run.
    manage(
        env,
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult; DBTaskResult.objects.all().delete()",
    )
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "run_worker", "--queue-name", "*", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    facts = machine_facts()  # its load average: before the run
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        emails = demo_emails(args.users, people=args.people)
        summary = asyncio.run(
            run(
                base_url=base,
                emails=emails,
                duration=args.duration,
                concurrency=args.concurrency,
                think=args.think,
            )
        )
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
        server.wait(timeout=30)
        worker.wait(timeout=30)
        if args.drop:
            drop(url)
    summary.update(
        started=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        revision=git_revision(),
        database=label,
        people=args.people,
        workers=args.workers,
        think=args.think,
        seed_seconds=seed_seconds,
        machine=facts,
    )
    summary["machine"]["Load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(table(summary))
    overall = summary["overall"]
    print(
        f"{overall['n']} requests in {summary['seconds']:.0f} s ({overall['per_second']:.1f}/s), "
        f"{overall['error_count']} errors, {overall['server_errors']} 5xx",
        flush=True,
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"load-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(summary, indent=2))
    print(f"Wrote {out.relative_to(ROOT)}", flush=True)
    if args.write_docs:
        write_section(args.section, render(summary))
    return 1 if overall["server_errors"] else 0


def render(summary: dict) -> str:
    think = summary.get("think") or 0
    pacing = (
        f"each client pauses a random {think:g} s on average between actions (a stated load, below saturation)"
        if think
        else "no pause between actions (closed loop: the server's saturation)"
    )
    return "\n".join(
        [
            f"### One app server: {summary['database']}, {summary['people']:,} people, "
            f"{summary['workers']} gunicorn workers, {summary['concurrency']} clients"
            + (f", {think:g} s think time" if think else ", no think time"),
            "",
            f"Run {summary['started']} at revision `{summary['revision']}`; {summary['users']} people logged in; "
            f"{summary['seconds']:.0f} s of load; {pacing}.",
            "",
            "**Machine.** " + "; ".join(f"{k}: {v}" for k, v in summary["machine"].items()) + ".",
            "",
            table(summary),
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
