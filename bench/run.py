#!/usr/bin/env python
"""`make bench`: seed 10,000 people into a separate database, serve the real app with gunicorn under
production settings, and time the directory page and the people API; then time the test suite.

Results go to docs/benchmarks.md (section "foundation") and bench/results/<timestamp>.json.
SQLite always (data/bench/bench.sqlite3); PostgreSQL too when DATABASE_URL points at one (a separate
database, <name>_bench, is dropped and re-created: the one in DATABASE_URL is never touched).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import ROOT, git_revision, machine_facts, summarise, table, write_section  # noqa: E402
from openhelp.demo.data import DEMO_PASSWORD, MENTEE_EMAIL  # noqa: E402

BENCH_DIR = ROOT / "data" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# A TLS-terminating proxy is assumed, as in production: it tells Django the request was https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

# (label, path). Later features add their pages and endpoints here.
SCENARIOS = [
    ("Directory page", "/people/"),
    ("Directory page, skill alias filter (?skill=k8s)", "/people/?skill=k8s"),
    ("People API", "/api/v1/people/"),
    ("People API, search (?q=postgres)", "/api/v1/people/?q=postgres"),
]


@dataclass(frozen=True)
class Target:
    label: str
    database_url: str


def main() -> int:
    args = parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    facts = machine_facts()
    results: dict = {"started": _now(), "revision": git_revision(), "machine": facts, "databases": []}
    for target in targets():
        print(f"== {target.label}", flush=True)
        results["databases"].append(bench_database(target, args))
    if args.skip_suite:
        results["suite"] = previous_suite_timings()
    else:
        results["suite"] = [{**time_suite(target), "measured": results["started"]} for target in targets()]
    results["machine"]["Load average after the run"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2))
    write_section("foundation", render(results, args))
    print(f"Wrote {out.relative_to(ROOT)} and docs/benchmarks.md", flush=True)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="Measured requests per scenario.")
    parser.add_argument("--warmup", type=int, default=20, help="Unmeasured requests first.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument("--skip-suite", action="store_true", help="Do not time the test suite.")
    return parser.parse_args()


def targets() -> list[Target]:
    found = [Target("SQLite", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = (parts.path.lstrip("/") or "postgres") + "_bench"
        found.append(Target("PostgreSQL", urlunsplit(parts._replace(path=f"/{name}"))))
    return found


def server_env(target: Target) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files, secure cookies) on a local address."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DJANGO_"))}
    env.update(
        OTH_ENV="production",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://bench.localhost",
        DATABASE_URL=target.database_url,
        STATIC_ROOT=str(BENCH_DIR / "static"),
        EMAIL_BACKEND="locmem",
        API_RATE_USER="1000000/hour",  # the bench measures speed, not the throttle
        LOG_LEVEL="WARNING",
    )
    return env


def bench_database(target: Target, args: argparse.Namespace) -> dict:
    recreate_database(target)
    env = server_env(target)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    started = time.monotonic()
    manage(env, "seed_demo", "--people", str(args.people), "--seed", "42", "--allow-production")
    seed_seconds = time.monotonic() - started
    print(f"   seeded {args.people} people in {seed_seconds:.1f} s", flush=True)

    port = _free_port()
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi:application", "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        session = log_in(base)
        scenarios = []
        for label, path in SCENARIOS:
            samples = measure(session, base + path, requests_count=args.requests, warmup=args.warmup)
            stats = summarise(samples)
            print(f"   {label}: p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms", flush=True)
            scenarios.append({"label": label, "path": path, **stats})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    counts = count_queries(env, [path for _, path in SCENARIOS])
    for scenario in scenarios:
        scenario["queries"] = counts[scenario["path"]]
    return {
        "database": target.label,
        "server_version": database_version(target),
        "people": args.people,
        "seed_seconds": seed_seconds,
        "scenarios": scenarios,
    }


def recreate_database(target: Target) -> None:
    if target.label == "SQLite":
        path = Path(urlsplit(target.database_url).path)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(target.database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_version(target: Target) -> str:
    if target.label == "SQLite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(target.database_url)._replace(scheme="postgresql"))) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0]


def count_queries(env: dict[str, str], paths: list[str]) -> dict[str, int]:
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "queries.py"), MENTEE_EMAIL, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=900)


def log_in(base: str) -> requests.Session:
    """Log in through allauth's real form; then send the session cookie with every request.

    The cookies are Secure (production), which a client on plain http would drop, so they are set as a
    header by hand rather than kept in the cookie jar.
    """
    session = requests.Session()
    session.headers.update(PROXY_HEADERS)
    page = session.get(f"{base}/accounts/login/", timeout=30)
    page.raise_for_status()
    csrf = page.cookies["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": MENTEE_EMAIL, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Cookie": f"csrftoken={csrf}", "Origin": base.replace("http://", "https://")},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302 or "sessionid" not in response.cookies:
        raise SystemExit(f"Login failed: {response.status_code} {response.text[:500]}")
    session.cookies.clear()
    session.headers["Cookie"] = f"sessionid={response.cookies['sessionid']}; csrftoken={csrf}"
    return session


def measure(session: requests.Session, url: str, *, requests_count: int, warmup: int) -> list[float]:
    samples = []
    for i in range(warmup + requests_count):
        started = time.perf_counter()
        response = session.get(url, timeout=60, allow_redirects=False)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}: {response.text[:300]}")
        if i >= warmup:
            samples.append(elapsed_ms)
    return samples


def previous_suite_timings() -> list[dict]:
    """The last measured suite timings, so a quick `--skip-suite` run keeps them in the report."""
    for path in sorted(RESULTS_DIR.glob("[0-9]*.json"), reverse=True):
        suite = json.loads(path.read_text()).get("suite")
        if suite:
            return suite
    return []


def time_suite(target: Target) -> dict:
    """Wall-clock time of the test suite as `make test` runs it, without the lint step."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DJANGO_"))}
    env.update(OTH_ENV="test", DEBUG="False", SECRET_KEY="test-only-insecure-key")  # noqa: S106 - as make test
    env["SQLITE_TEST_NAME"] = str(BENCH_DIR / "test.sqlite3")
    if target.label == "SQLite":
        env.pop("DATABASE_URL", None)
    command = [PYTHON, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:randomly"]
    print(f"== test suite on {target.label}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    seconds = time.monotonic() - started
    summary = next((line for line in reversed(out.stdout.splitlines()) if " in " in line), "no summary")
    print(f"   {summary} ({seconds:.1f} s wall clock)", flush=True)
    problems = [line for line in out.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    for line in problems:
        print(f"   {line}", flush=True)
    return {
        "database": target.label,
        "seconds": seconds,
        "summary": summary.strip("= "),
        "exit": out.returncode,
        "problems": problems,
    }


def render(results: dict, args: argparse.Namespace) -> str:
    parts = [
        "## Foundation: directory, people API, test suite",
        "",
        f"Run {results['started']} at revision `{results['revision']}`.",
        "",
        "**Method.** A separate database per engine (SQLite `data/bench/bench.sqlite3`; PostgreSQL "
        "`<name>_bench` when `DATABASE_URL` is PostgreSQL) is migrated and seeded with "
        f"`seed_demo --people {args.people}` (about 40 % open to help, 2–6 skills each). The real app runs "
        f"under gunicorn ({args.workers} sync workers) with production settings (`OTH_ENV=production`, "
        "`DEBUG=False`, manifest static files, secure cookies behind an assumed TLS proxy: requests carry "
        "`X-Forwarded-Proto: https`). The client logs in as the demo mentee through the real login form "
        f"and sends {args.warmup} unmeasured requests, then {args.requests} measured sequential requests per "
        "scenario from the same machine; every response must be 200. Latency is client-side wall-clock "
        "per request (nearest-rank percentiles); SQL queries are counted per request in-process with "
        "the same settings (bench/queries.py). The test suite is timed as `make test` runs it "
        "(`pytest -n 2 --dist loadgroup`), without the lint step.",
        "",
        "**Machine.** " + "; ".join(f"{k}: {v}" for k, v in results["machine"].items()) + ".",
        "",
    ]
    for db in results["databases"]:
        parts += [
            f"### {db['server_version']}, {db['people']:,} people, seeded in {db['seed_seconds']:.1f} s",
            "",
            table(
                ["Scenario", "p50 ms", "p95 ms", "mean ms", "max ms", "n", "SQL queries"],
                [
                    [
                        f"{s['label']} `{s['path']}`",
                        f"{s['p50']:.1f}",
                        f"{s['p95']:.1f}",
                        f"{s['mean']:.1f}",
                        f"{s['max']:.1f}",
                        str(s["n"]),
                        str(s.get("queries", "?")),
                    ]
                    for s in db["scenarios"]
                ],
            ),
            "",
        ]
    if results.get("suite"):
        parts += [
            "### Test suite",
            "",
            table(
                ["Database", "Measured", "Wall clock", "Result"],
                [
                    [s["database"], s.get("measured", "?"), f"{s['seconds']:.1f} s", s["summary"]]
                    for s in results["suite"]
                ],
            ),
            "",
        ]
    return "\n".join(parts)


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"{base}/healthz", headers=PROXY_HEADERS, timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still importing the app
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


if __name__ == "__main__":
    sys.exit(main())
