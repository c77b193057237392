#!/usr/bin/env python
"""Booking throughput: many concurrent clients book distinct slots through the real HTTP stack (gunicorn,
production settings, the JSON API with access tokens and Idempotency-Key), on SQLite and PostgreSQL.

Reported next to the same server's throughput for the ceiling — a minimal endpoint doing one indexed read
(bench/booking_urls.py) — as a ratio, with p50/p95 latency and a final count proving zero double
bookings. A third scenario, the API floor (the same read behind DRF and token authentication), shows how
much of the distance to the ceiling any authenticated API request pays before its view runs. Results go to docs/benchmarks.md (section "booking") and bench/results/booking-<timestamp>.json.

    python bench/booking.py [--bookings 1500] [--clients 16] [--workers 5] [--threads 4]
    python bench/booking.py seed OUT.json …   (internal: runs inside the benchmark's environment)
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import queue
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import databases
from bench.databases import recreate
from bench.report import ROOT, git_revision, machine_facts, summarise, table, write_section  # noqa: E402

BENCH_DIR = ROOT / "data" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
TARGET_RATIO = 0.5


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=1500, help="Measured booking requests.")
    parser.add_argument("--reads", type=int, default=3000, help="Measured ceiling requests.")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--clients", type=int, default=16, help="Concurrent client connections.")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn worker processes (default 2 × CPUs + 1, as docs/deployment.md recommends).",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="Threads per worker (gunicorn's gthread worker when > 1): a thread waiting for the database "
        "leaves the process to another request.",
    )
    parser.add_argument("--mentors", type=int, default=60)
    parser.add_argument("--only", choices=["SQLite", "PostgreSQL"], help="Run one database only.")
    return parser.parse_args(argv)


# --- Databases and server ---------------------------------------------------------------------------------


def targets(only: str | None) -> list[tuple[str, str]]:
    return databases.targets("booking", only)


def version(label: str, url: str) -> str:
    if label == "SQLite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0]


def server_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DJANGO_"))}
    env.update(
        OTH_ENV="production",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://bench.localhost",
        DATABASE_URL=url,
        STATIC_ROOT=str(BENCH_DIR / "static"),
        EMAIL_BACKEND="locmem",
        API_RATE_USER="100000000/hour",  # the bench measures speed, not the throttle
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="bench.booking_settings",
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi:application", "--workers", str(workers), "--threads", str(threads)]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "512"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


# --- Load -------------------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={**HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def run_load(port: int, jobs: list[tuple], clients: int) -> tuple[float, list[float], dict[int, int]]:
    """Send every (method, path, body, headers) job from ``clients`` threads; wall seconds, latencies, codes."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    latencies: list[float] = []
    codes: dict[int, int] = {}
    lock = threading.Lock()

    def client() -> None:
        while True:
            try:
                method, path, body, headers = work.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            status, _ = request(port, method, path, body, headers)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                codes[status] = codes.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, codes


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc; 0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerCpu:
    """CPU used by the server side of a scenario: the gunicorn workers and, on PostgreSQL, the database
    backends serving the bench database — so a scenario's cost per request can be compared with the
    ceiling's independently of how busy the rest of the machine is."""

    def __init__(self, server: subprocess.Popen, label: str, url: str) -> None:
        self.server, self.label, self.url = server, label, url

    def _pids(self, kind: str) -> list[int]:
        if kind == "app":
            found = subprocess.run(["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True)
            return [int(pid) for pid in found.stdout.split()]
        if self.label != "PostgreSQL":
            return []
        import psycopg

        parts = urlsplit(self.url)
        admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [parts.path.lstrip("/")]
            ).fetchall()
        return [pid for (pid,) in rows]

    def snapshot(self) -> dict[str, dict[int, float]]:
        return {kind: {pid: _cpu_seconds(pid) for pid in self._pids(kind)} for kind in ("app", "database")}

    @staticmethod
    def used(before: dict, after: dict) -> dict[str, float]:
        """CPU seconds per kind between two snapshots (processes that started in between count fully)."""
        return {
            kind: sum(cpu - before[kind].get(pid, 0.0) for pid, cpu in after[kind].items()) for kind in after
        }


def measure(port: int, jobs: list[tuple], clients: int, cpu: ServerCpu) -> dict:
    """One measured scenario: throughput, latency, status codes, server CPU per request, load average."""
    load_before = os.getloadavg()[0]
    before = cpu.snapshot()
    seconds, latencies, codes = run_load(port, jobs, clients)
    used = ServerCpu.used(before, cpu.snapshot())
    return {
        "rps": len(jobs) / seconds,
        "codes": codes,
        **summarise(latencies),
        "app_cpu_ms": 1000 * used["app"] / len(jobs),
        "db_cpu_ms": 1000 * used["database"] / len(jobs),
        "load": [load_before, os.getloadavg()[0]],
    }


def floor_jobs(seed: dict, count: int, tokens: int = 16) -> list[tuple]:
    """GETs of the API floor, each with one of a few access tokens (those the warm-up bookings use)."""
    return [
        ("GET", "/bench/api-floor/", None, {"Authorization": f"Bearer {seed['tokens'][i % tokens]}"})
        for i in range(count)
    ]


def booking_jobs(seed: dict, first: int, count: int) -> list[tuple]:
    jobs = []
    for token, (block_id, start) in zip(
        seed["tokens"][first : first + count], seed["targets"][first : first + count], strict=True
    ):
        body = json.dumps({"office_hours": block_id, "start": start, "topic": "Bench"}).encode()
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": secrets.token_hex(8),
        }
        jobs.append(("POST", "/api/v1/bookings/", body, headers))
    return jobs


def bench_database(label: str, url: str, args: argparse.Namespace) -> dict:
    print(f"== {label}", flush=True)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    recreate(label, url)
    env = server_env(url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    seed_file = BENCH_DIR / f"booking-seed-{label}.json"
    needed = args.warmup + args.bookings + 1  # the last one is booked in-process to count its queries
    subprocess.run(
        [PYTHON, "bench/booking.py", "seed", str(seed_file), str(needed), str(args.mentors)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    seed = json.loads(seed_file.read_text())
    server, port = start_server(env, args.workers, args.threads)
    cpu = ServerCpu(server, label, url)
    try:
        reads = [
            ("GET", f"/bench/ceiling/{seed['user_ids'][i % len(seed['user_ids'])]}/", None, None)
            for i in range(args.reads + args.warmup)
        ]
        run_load(port, reads[: args.warmup], args.clients)
        ceiling = measure(port, reads[args.warmup :], args.clients, cpu)
        floor = floor_jobs(seed, args.reads + args.warmup)
        run_load(port, floor[: args.warmup], args.clients)
        api_floor = measure(port, floor[args.warmup :], args.clients, cpu)
        run_load(port, booking_jobs(seed, 0, args.warmup), args.clients)
        booking = measure(port, booking_jobs(seed, args.warmup, args.bookings), args.clients, cpu)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    audit = json.loads(
        subprocess.run(
            [PYTHON, "bench/booking.py", "audit"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    queries = json.loads(
        subprocess.run(
            [PYTHON, "bench/booking.py", "count", str(seed_file)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    result = {
        "database": label,
        "server_version": version(label, url),
        "ceiling": ceiling,
        "api_floor": api_floor,
        "booking": booking,
        "ratio": booking["rps"] / ceiling["rps"],
        "floor_ratio": api_floor["rps"] / ceiling["rps"],
        "audit": audit,
        "queries": queries,
    }
    print(
        f"   ceiling {ceiling['rps']:.0f} req/s, API floor {api_floor['rps']:.0f} req/s, "
        f"booking {booking['rps']:.0f} req/s, ratio {result['ratio']:.2f}, "
        f"booking p95 {booking['p95']:.1f} ms, codes {booking['codes']}, audit {audit}; server CPU ms per "
        f"request (app + database): ceiling {ceiling['app_cpu_ms']:.1f} + {ceiling['db_cpu_ms']:.1f}, "
        f"API floor {api_floor['app_cpu_ms']:.1f} + {api_floor['db_cpu_ms']:.1f}, "
        f"booking {booking['app_cpu_ms']:.1f} + {booking['db_cpu_ms']:.1f}",
        flush=True,
    )
    return result


# --- Inside the benchmark's environment: seed and audit ---------------------------------------------------


def _django():
    import django

    django.setup()


def seed(out: str, needed: int, mentors: int) -> None:
    """Mentors with a block each, one mentee (with an access token) per booking, and distinct slots."""
    _django()
    from django.contrib.auth.hashers import make_password

    from openhelp.directory.people.models import Profile
    from openhelp.help.officehours.availability import open_slots
    from openhelp.help.officehours.models import OfficeHours
    from openhelp.platform.accounts.models import AccessToken, User
    from openhelp.platform.lib.clock import now

    unusable = make_password(None)
    User.objects.bulk_create(
        [User(email=f"bench-mentor-{i}@example.org", password=unusable) for i in range(mentors)]
        + [User(email=f"bench-mentee-{i}@example.org", password=unusable) for i in range(needed)]
    )
    users = list(User.objects.order_by("pk"))
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=u.email.split("@")[0], timezone="Europe/Berlin") for u in users]
    )
    mentor_users, mentee_users = users[:mentors], users[mentors:]
    OfficeHours.objects.bulk_create(
        [
            OfficeHours(
                mentor=u,
                weekdays=[0, 1, 2, 3, 4, 5, 6],
                start_time=dt.time(6, 0),
                end_time=dt.time(22, 0),
                timezone="Europe/Berlin",
                slot_minutes=20,
                buffer_minutes=0,
                horizon_weeks=8,
                min_notice_minutes=0,
                location_kind="chat",
                room_code=secrets.token_hex(8),
            )
            for u in mentor_users
        ]
    )
    moment = now() + dt.timedelta(hours=2)
    blocks = list(OfficeHours.objects.select_related("mentor__profile"))
    per_block = -(-needed // len(blocks))
    slots = open_slots(blocks, start=moment, end=moment + dt.timedelta(weeks=7))
    by_block: dict[int, list] = {}
    for slot in slots:
        by_block.setdefault(slot.office_hours.pk, []).append(slot.start.isoformat())
    targets = []
    for n in range(per_block):  # round-robin over mentors, so concurrent requests involve different people
        targets += [(block.pk, by_block[block.pk][n]) for block in blocks]
    tokens = []
    rows = []
    for user in mentee_users:
        raw = AccessToken.generate_key()
        tokens.append(raw)
        rows.append(
            AccessToken(
                user=user,
                name="bench",
                key_hash=AccessToken.hash_key(raw),
                key_hint=raw[:10],
                last_used_at=now(),
            )
        )
    AccessToken.objects.bulk_create(rows)
    Path(out).write_text(
        json.dumps({"tokens": tokens, "targets": targets[:needed], "user_ids": [u.pk for u in users[:1000]]})
    )


def count(seed_file: str) -> None:
    """SQL statements of one booking request (by the tables they touch), one ceiling and one API floor
    request."""
    _django()
    import re

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    seed = json.loads(Path(seed_file).read_text())
    method, path, body, headers = booking_jobs(seed, len(seed["tokens"]) - 1, 1)[0]
    client = Client(SERVER_NAME="127.0.0.1")
    extra = {k: v for k, v in headers.items() if k != "Content-Type"} | {"X-Forwarded-Proto": "https"}
    # Each request empties the connection's query log when it starts: keep what a context captured
    # before sending the next request.
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, body, content_type="application/json", headers=extra)
    assert response.status_code == 201, response.content
    booking = list(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/bench/ceiling/{seed['user_ids'][0]}/", headers={"X-Forwarded-Proto": "https"})
    ceiling = list(captured.captured_queries)
    _, floor_path, _, floor_headers = floor_jobs(seed, 1)[0]
    client.get(floor_path, headers=floor_headers | {"X-Forwarded-Proto": "https"})  # last_used_at, once
    with CaptureQueriesContext(connection) as captured:
        client.get(floor_path, headers=floor_headers | {"X-Forwarded-Proto": "https"})
    floor = list(captured.captured_queries)
    by_area: dict[str, int] = {}
    for query in booking:
        found = re.search(r'(?:FROM|INTO|UPDATE)\s+"([a-z]+)_', query["sql"])
        area = found.group(1) if found else "transaction control"
        by_area[area] = by_area.get(area, 0) + 1
    print(
        json.dumps(
            {
                "booking": len(booking),
                "ceiling": len(ceiling),
                "api_floor": len(floor),
                "by_area": by_area,
            }
        )
    )


def audit() -> None:
    """Zero double bookings: no seat twice, no slot over its seats, no overlapping held slots or bookings."""
    _django()
    import itertools

    from django.db.models import Count

    from openhelp.help.officehours.models import Booking, BookingState, Slot

    confirmed = Booking.objects.filter(state=BookingState.CONFIRMED)
    seat_twice = confirmed.values("slot_id", "seat").annotate(n=Count("id")).filter(n__gt=1).count()
    over = sum(1 for s in Slot.objects.annotate(n=Count("bookings")).filter(held=True) if s.n > s.seats)

    def overlapping(rows):
        found = 0
        for _, group in itertools.groupby(sorted(rows), key=lambda r: r[0]):
            group = list(group)
            found += sum(1 for a, b in zip(group, group[1:], strict=False) if b[1] < a[2])
        return found

    mentor_overlaps = overlapping(Slot.objects.filter(held=True).values_list("mentor_id", "start", "end"))
    mentee_overlaps = overlapping(confirmed.values_list("mentee_id", "start", "end"))
    print(
        json.dumps(
            {
                "confirmed": confirmed.count(),
                "seat_booked_twice": seat_twice,
                "slots_over_capacity": over,
                "mentor_overlaps": mentor_overlaps,
                "mentee_overlaps": mentee_overlaps,
            }
        )
    )


# --- Report -----------------------------------------------------------------------------------------------


def server_words(args: argparse.Namespace) -> str:
    if args.threads > 1:
        return f"{args.workers} workers × {args.threads} threads (gthread)"
    return f"{args.workers} sync workers"


def cpu_rows(results: dict) -> list[list[str]]:
    rows = []
    for db in results["databases"]:
        cells = [db["server_version"]]
        total = {}
        for name in ("ceiling", "api_floor", "booking"):
            scenario = db[name]
            total[name] = scenario["app_cpu_ms"] + scenario["db_cpu_ms"]
            cells.append(f"{scenario['app_cpu_ms']:.1f} + {scenario['db_cpu_ms']:.1f}")
        cells.append(f"{total['ceiling'] / total['booking']:.2f}")
        cells.append(" / ".join(f"{db[name]['load'][0]:.1f}" for name in ("ceiling", "api_floor", "booking")))
        rows.append(cells)
    return rows


def render(results: dict, args: argparse.Namespace) -> str:
    rows = []
    for db in results["databases"]:
        audit_ok = all(
            db["audit"][k] == 0
            for k in ("seat_booked_twice", "slots_over_capacity", "mentor_overlaps", "mentee_overlaps")
        )
        rows.append(
            [
                db["server_version"],
                f"{db['ceiling']['rps']:.0f}",
                f"{db['api_floor']['rps']:.0f} ({db['floor_ratio']:.2f})",
                f"{db['booking']['rps']:.0f}",
                f"**{db['ratio']:.2f}**",
                f"{db['ceiling']['p95']:.1f}",
                f"{db['booking']['p50']:.1f}",
                f"{db['booking']['p95']:.1f}",
                ", ".join(f"{k}×{v}" for k, v in sorted(db["booking"]["codes"].items())),
                f"{db['audit']['confirmed']} confirmed; "
                + ("0 double bookings" if audit_ok else f"PROBLEM {db['audit']}"),
            ]
        )
    return "\n".join(
        [
            "## Office hours: booking throughput",
            "",
            f"Run {results['started']} at revision `{results['revision']}` (`python bench/booking.py`).",
            "",
            "**Method.** A fresh database per engine is migrated and seeded with "
            f"{args.mentors} mentors (one block each: every day 06:00–22:00 Europe/Berlin, 20-minute slots, "
            "8 weeks ahead) and one mentee with a personal access token per booking. The real app runs under "
            f"gunicorn ({server_words(args)}; 2 × CPUs + 1 workers is what docs/deployment.md recommends) with "
            f"production settings, the same server for all three scenarios. {args.clients} concurrent "
            "clients on the same machine first send "
            f"{args.reads} requests to the *ceiling* — a minimal endpoint behind the same middleware doing one "
            f"indexed read (a user by primary key) — then {args.reads} to the *API floor* — the same read "
            "behind everything an API request passes before its view runs (DRF, access-token "
            "authentication, the throttle, JSON rendering) — then "
            f"{args.bookings} booking requests, each `POST /api/v1/bookings/` with its own Idempotency-Key for "
            "a distinct slot (round-robin over the mentors), through the full booking path: token "
            "authentication, validation, the per-person lock, the re-checks, the writes and the outbox row "
            "from which the worker later writes both notifications (e-mails with the invite) and the "
            "reminders, and the one from which it makes the mentoring session (no worker runs during the "
            "measurement, so that later work is not counted). "
            f"{args.warmup} unmeasured requests precede each scenario. Throughput is "
            "requests divided by wall-clock time; latency is client-side per request (nearest-rank). After "
            "the run an audit counts seats booked twice, slots over capacity, and overlapping held slots "
            "(mentors) or bookings (mentees). Server CPU per request is the CPU time the gunicorn workers "
            "(app) and, on PostgreSQL, the backends of the bench database (database) used during the "
            "measured requests (Linux `/proc`), divided by the requests: unlike throughput, it hardly "
            "depends on what else the shared machine is doing.",
            "",
            f"**Target:** booking throughput at least {TARGET_RATIO:.0%} of the ceiling on PostgreSQL.",
            "",
            "**Machine.** " + "; ".join(f"{k}: {v}" for k, v in results["machine"].items()) + ".",
            "",
            table(
                [
                    "Database",
                    "Ceiling req/s",
                    "API floor req/s (share of ceiling)",
                    "Booking req/s",
                    "Ratio",
                    "Ceiling p95 ms",
                    "Booking p50 ms",
                    "Booking p95 ms",
                    "Booking responses",
                    "Audit",
                ],
                rows,
            ),
            "",
            "**SQL statements per request** (counted in-process with the same settings; `transaction "
            "control` is BEGIN/COMMIT/savepoints and the lock statements):",
            "",
            table(
                ["Database", "Ceiling", "API floor", "Booking", "Booking, by area"],
                [
                    [
                        db["server_version"],
                        str(db["queries"]["ceiling"]),
                        str(db["queries"].get("api_floor", "–")),
                        str(db["queries"]["booking"]),
                        ", ".join(f"{k} {v}" for k, v in sorted(db["queries"]["by_area"].items())),
                    ]
                    for db in results["databases"]
                ],
            ),
            "",
            "**Server CPU per request** (milliseconds, app + database) and the 1-minute load average when "
            "each scenario started; *ceiling ÷ booking* is the share of the ceiling's throughput a booking "
            "could reach on a machine whose CPU is the bottleneck:",
            "",
            table(
                [
                    "Database",
                    "Ceiling",
                    "API floor",
                    "Booking",
                    "Ceiling ÷ booking (CPU)",
                    "Load average (ceiling / floor / booking)",
                ],
                cpu_rows(results),
            ),
            "",
            "**Reading it.** Distinct people book in parallel on PostgreSQL (per-person advisory locks) "
            "and one at a time on SQLite (one writer; the database works inside the app's processes, so "
            "its CPU is in the app column). On two shared cores the server is bound by CPU, and the "
            "throughput ratio tracks the ratio of server CPU per request ("
            + "; ".join(
                f"{db['server_version']}: throughput {db['ratio']:.2f}, CPU "
                f"{(db['ceiling']['app_cpu_ms'] + db['ceiling']['db_cpu_ms']) / (db['booking']['app_cpu_ms'] + db['booking']['db_cpu_ms']):.2f}"
                for db in results["databases"]
            )
            + "): the ceiling is one "
            "indexed read behind Django's middleware, while a booking also passes DRF and token "
            "authentication (the API floor), validates, checks the no-show pause, locks, re-checks seats, "
            "caps and everyone's commitments, writes the slot, the booking, its history, the idempotency "
            "record and two outbox rows, and answers — the statements counted above, each paying the "
            "Python cost of building it and the database's cost of running it.",
            "",
        ]
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["seed"]:
        seed(argv[1], int(argv[2]), int(argv[3]))
        return 0
    if argv[:1] == ["count"]:
        count(argv[1])
        return 0
    if argv[:1] == ["audit"]:
        audit()
        return 0
    args = parse_args(argv)
    results = {
        "arguments": vars(args),
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": git_revision(),
        "machine": machine_facts(),
        "databases": [bench_database(label, url, args) for label, url in targets(args.only)],
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"booking-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2))
    write_section("booking", render(results, args))
    print(f"Wrote {out.relative_to(ROOT)} and docs/benchmarks.md", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
