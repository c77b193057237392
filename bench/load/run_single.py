#!/usr/bin/env python
"""`make load`: the load test against ONE app server — gunicorn (5 workers, production settings, as
``bench/run.py`` starts it), one task worker and Redis (``--redis-url``) on a PostgreSQL database seeded with ``seed_demo --people 100000`` (a year of
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
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/3",
        help="The Redis for cache, sessions and rate limits, as in production at this size (emptied at the "
        "start); '' for none (each process then has its own cache).",
    )
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


QUIET_QUEUE = """
import datetime as dt
from django_tasks_db.models import DBTaskResult
from openhelp.platform.core.models import PeriodicRun
from openhelp.platform.core.periodic import registered_jobs
from openhelp.platform.lib.clock import now
DBTaskResult.objects.all().delete()
for job in registered_jobs():
    if job.every >= dt.timedelta(hours=1):
        PeriodicRun.objects.update_or_create(name=job.name, defaults={"last_run_at": now()})
"""


def cpu_seconds(*, session: int | None = None, command: str | None = None) -> float:
    """CPU time (user + system, children that ended included) of the processes in one session (the
    server's, the worker's: each starts its own) or with one command name (``postgres``)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        name, rest = raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 2 :].split()
        # after the name: state ppid pgrp session … utime stime cutime cstime (fields 3 and 11–14 here)
        if (session is not None and int(rest[3]) == session) or (command is not None and name == command):
            ticks += sum(int(value) for value in rest[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK"), sum(values) / os.sysconf("SC_CLK_TCK")


def _redis_answers(url: str) -> bool:
    """Whether a Redis answers at ``url``; if so, its database is emptied (a clean cache for the run)."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
    except Exception:  # noqa: BLE001 - no Redis here: the run goes on without one
        return False
    return True


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=7200)


def _cpu(server: subprocess.Popen, worker: subprocess.Popen) -> dict[str, float]:
    busy, total = machine_busy()
    return {
        "server": cpu_seconds(session=server.pid),
        "worker": cpu_seconds(session=worker.pid),
        "postgres": cpu_seconds(command="postgres"),
        "busy": busy,
        "total": total,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = database_url(args)
    label = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    env = server_env(Target(label, url))
    # All the load's people log in from one address within seconds (as in make cluster).
    env["RATE_LIMIT_LOGIN"] = os.environ.get("RATE_LIMIT_LOGIN", "600/m/ip")
    cache = "per process (locmem)"
    if args.redis_url and _redis_answers(args.redis_url):
        cache = "Redis"
        env["REDIS_URL"] = args.redis_url  # cache, sessions and rate limits shared by the processes
        print(f"== Redis at {args.redis_url} (emptied first)", flush=True)
    elif args.redis_url:
        print(f"== no Redis answers at {args.redis_url}: each process keeps its own cache", flush=True)
    env["STATIC_ROOT"] = str(ROOT / "data" / "load" / "static")
    seed_seconds = None
    if args.fresh or seeded_people(url) != args.people:
        print(f"== a fresh database, {args.people:,} people", flush=True)
        recreate(url)
        manage(env, "migrate", "--no-input", "-v0")
        started = time.monotonic()
        manage(env, "seed_demo", "--people", str(args.people), "--seed", "42", "--allow-production")
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
    # first, and the hourly and daily jobs (refitting the learned rankers, pruning) marked as just run, so
    # neither a backlog nor a first start's housekeeping competes with this run. Its log: data/load/worker.log.
    manage(env, "shell", "-c", QUIET_QUEUE)
    (ROOT / "data" / "load").mkdir(parents=True, exist_ok=True)
    log = (ROOT / "data" / "load" / "worker.log").open("w")
    worker = subprocess.Popen(
        # Below the server on the shared cores (nice 10), as docs/deployment.md advises.
        ["nice", "-n", "10", PYTHON, "manage.py", "run_worker", "--queue-name", "*", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    facts = machine_facts()  # its load average: before the run
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        emails = demo_emails(args.users, people=args.people)
        before = _cpu(server, worker)
        summary = asyncio.run(
            run(
                base_url=base,
                emails=emails,
                duration=args.duration,
                concurrency=args.concurrency,
                think=args.think,
            )
        )
        cpu = {name: after - before[name] for name, after in _cpu(server, worker).items()}
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
        server.wait(timeout=30)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a long task runs on: its result does not matter here
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        log.close()
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
    summary["machine"]["Cache, sessions, rate limits"] = cache
    summary["machine"]["Load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    # Where the machine's CPU went during the run (server = gunicorn, worker = the task worker).
    summary["machine"]["CPU during the run"] = (
        f"{cpu['busy'] / cpu['total']:.0%} busy of {os.cpu_count()} cores: server {cpu['server']:.0f} s, "
        f"task worker {cpu['worker']:.0f} s, PostgreSQL {cpu['postgres']:.0f} s, "
        f"in all {cpu['busy']:.0f} of {cpu['total']:.0f} s"
    )
    print(table(summary))
    print("CPU during the run:", summary["machine"]["CPU during the run"])
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
            f"{summary['workers']} gunicorn workers and a task worker, {summary['concurrency']} clients"
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
