#!/usr/bin/env python
"""Booking throughput: many concurrent clients book distinct slots through the real HTTP stack (gunicorn,
production settings, the JSON API with access tokens and Idempotency-Key), on SQLite and PostgreSQL.

Reported next to the same server's throughput for the ceiling — a minimal endpoint doing one indexed read
(bench/booking_urls.py) — as a ratio, with p50/p95 latency and a final count proving zero double
bookings. A third scenario, the API floor (the same read behind DRF and token authentication), shows how
much of the distance to the ceiling any authenticated API request pays before its view runs. Results go to docs/benchmarks.md (section "booking") and bench/results/booking-<timestamp>.json.

    python bench/booking.py [--bookings 1500] [--clients 16] [--workers 4]
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
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
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


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi:application", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", "--backlog", "512"],
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
    server, port = start_server(env, args.workers)
    try:
        reads = [
            ("GET", f"/bench/ceiling/{seed['user_ids'][i % len(seed['user_ids'])]}/", None, None)
            for i in range(args.reads + args.warmup)
        ]
        run_load(port, reads[: args.warmup], args.clients)
        read_seconds, read_latencies, read_codes = run_load(port, reads[args.warmup :], args.clients)
        floor = floor_jobs(seed, args.reads + args.warmup)
        run_load(port, floor[: args.warmup], args.clients)
        floor_seconds, floor_latencies, floor_codes = run_load(port, floor[args.warmup :], args.clients)
        run_load(port, booking_jobs(seed, 0, args.warmup), args.clients)
        book_seconds, book_latencies, book_codes = run_load(
            port, booking_jobs(seed, args.warmup, args.bookings), args.clients
        )
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
    ceiling_rps = args.reads / read_seconds
    floor_rps = args.reads / floor_seconds
    booking_rps = args.bookings / book_seconds
    result = {
        "database": label,
        "server_version": version(label, url),
        "ceiling": {"rps": ceiling_rps, "codes": read_codes, **summarise(read_latencies)},
        "api_floor": {"rps": floor_rps, "codes": floor_codes, **summarise(floor_latencies)},
        "booking": {"rps": booking_rps, "codes": book_codes, **summarise(book_latencies)},
        "ratio": booking_rps / ceiling_rps,
        "floor_ratio": floor_rps / ceiling_rps,
        "audit": audit,
        "queries": queries,
    }
    print(
        f"   ceiling {ceiling_rps:.0f} req/s, API floor {floor_rps:.0f} req/s, booking {booking_rps:.0f} req/s, "
        f"ratio {result['ratio']:.2f}, "
        f"booking p95 {result['booking']['p95']:.1f} ms, codes {book_codes}, audit {audit}",
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

    from accounts.models import AccessToken, User
    from lib.clock import now
    from officehours.availability import open_slots
    from officehours.models import OfficeHours
    from people.models import Profile

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

    from officehours.models import Booking, BookingState, Slot

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
            f"gunicorn ({args.workers} sync workers) with production settings. {args.clients} concurrent "
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
            "(mentors) or bookings (mentees).",
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
            "**Reading it.** The ceiling is one round trip through Django's middleware; booking is about "
            "twenty statements through DRF, nearly all of them needed for the guarantee (the idempotency "
            "check, the re-checks after the lock, the writes, the idempotency record, the two outbox rows — "
            "the announcement, and the mentoring session, which the worker makes after the request instead "
            "of inside it) or for features that listen to bookings (`mentoring`: the no-show pause check). "
            "Everything that need not be in the request is queued. What bounds the ratio is the API floor: "
            "a token-authenticated DRF request that does nothing but the ceiling's one read already gets only "
            "about half the ceiling's throughput (the column above), so a booking — which must also parse, "
            "validate, lock, re-check, write and serialise — cannot reach half of it on this stack; each "
            "further ORM statement costs the Python side of "
            "building and reading it, which on this machine dominates over the database's own time. Distinct "
            "people book in parallel on PostgreSQL (per-person advisory locks); SQLite has one writer at a "
            "time by design.",
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
