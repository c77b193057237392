#!/usr/bin/env python
"""Time the pages that grow with the organisation, one request at a time, on an already seeded database.

    DATABASE_URL=postgres://…/openhelp_c2 python bench/pages.py --label after [--root DIR] [--explain]

Serves the app (from ``--root``, default this checkout: point it at an exported older revision to get
"before" figures on the same data) with gunicorn, one worker, production settings; logs in as the demo
mentee and requests each page ``--requests`` times after ``--warmup`` unmeasured ones, one at a time.
Prints p50/p95 in milliseconds (loopback: the time is the server's), and per page, in process through
Django's test client (median of 10): the queries, the wall time, this process's CPU time (which other
load on a shared machine hardly moves) and the time spent in SQL.
``--explain`` also runs ``EXPLAIN (ANALYZE, BUFFERS)`` on the slowest queries of each page, in process
through Django's test client, and prints their timings. Results go to bench/results/pages-<label>.json.
The database is not changed (no migration, no seeding): prepare it with manage.py migrate and
seed_demo --people 100000.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import ROOT, summarise  # noqa: E402
from bench.run import (  # noqa: E402
    GUNICORN,
    PYTHON,
    Target,
    _free_port,
    _wait_until_up,
    log_in,
    measure,
    server_env,
)

RESULTS_DIR = ROOT / "bench" / "results"

# (label, path or a {placeholder} filled from the data by ``resolve``)
PAGES = [
    ("Directory", "/people/"),
    ("Directory, page 2 (next link)", "{directory_next}"),
    ("Directory, ?q=postgres", "/people/?q=postgres"),
    ("Directory, ?q=python", "/people/?q=python"),
    ("Directory, ?q=design", "/people/?q=design"),
    ("Directory, ?q=kubernetes", "/people/?q=kubernetes"),
    ("Directory, ?q=react", "/people/?q=react"),
    ("Directory, ?q=data", "/people/?q=data"),
    ("Directory, ?q=go", "/people/?q=go"),
    ("Directory, ?q=sql", "/people/?q=sql"),
    ("Directory, ?q=priya", "/people/?q=priya"),
    ("Directory, ?q=sam", "/people/?q=sam"),
    ("Directory, ?skill=k8s", "/people/?skill=k8s"),
    ("People API", "/api/v1/people/"),
    ("People API, ?q=postgres", "/api/v1/people/?q=postgres"),
    ("Skill page (most offered skill)", "/skills/{popular_skill}/"),
    ("Kudos feed", "/recognition/"),
    ("My asks", "/asks/"),
    ("Ask page (longest thread I can see)", "/asks/{long_ask}/"),
    ("Today (home)", "/"),
    ("Office-hours slots API (the load mix's query)", "/api/v1/office-hours/slots/?page_size=50"),
    ("Kudos feed API", "/api/v1/kudos/feed/"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="before / after: names the results file.")
    parser.add_argument("--root", default=str(ROOT), help="The checkout to serve (default: this one).")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries too.")
    parser.add_argument("--no-http", action="store_true", help="Only the in-process figures (no gunicorn).")
    parser.add_argument(
        "--only", default="", help="Only pages whose label contains one of these (comma-separated)."
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")
    env = server_env(Target("PostgreSQL", url))
    env["STATIC_ROOT"] = str(Path(args.root) / "data" / "bench" / "static")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=args.root, env=env, check=True
    )
    placeholders = resolve(env, args.root)
    if args.no_http:
        return in_process_only(env, args, placeholders)
    port = _free_port()
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi:application", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning"],
        cwd=args.root,
        env=env,
        start_new_session=True,
    )
    results = []
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        session = log_in(base)
        for label, template in PAGES:
            if args.only and not any(part.lower() in label.lower() for part in args.only.split(",")):
                continue
            if "{directory_next}" in template:
                path = next_link(session, base)
            else:
                path = template.format(**placeholders)
            samples = measure(session, base + path, requests_count=args.requests, warmup=args.warmup)
            stats = summarise(samples)
            print(f"{label:<40} p50 {stats['p50']:7.1f}  p95 {stats['p95']:7.1f}  ms   {path}", flush=True)
            results.append({"label": label, "path": path, **stats})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    detail = in_process(env, args.root, [r["path"] for r in results], explain=args.explain)
    for row in results:
        row.update(detail.get(row["path"], {}))
        print(
            f"{row['label']:<40} {row.get('queries', '?')} queries; in process (median of 10): "
            f"{row.get('in_process_ms', 0):.1f} ms, of which Python CPU {row.get('python_cpu_ms', 0):.1f} ms, "
            f"SQL {row.get('sql_ms', 0):.1f} ms",
            flush=True,
        )
        for plan in row.get("slowest", []):
            print(f"    {plan['ms']:7.2f} ms  {plan['sql'][:150]}", flush=True)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"pages-{args.label}.json"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out.write_text(json.dumps({"label": args.label, "load_after": load, "pages": results}, indent=2))
    print(f"Wrote {out.relative_to(ROOT)} (load average after: {load})")
    return 0


def chosen(args: argparse.Namespace) -> list[tuple[str, str]]:
    parts = [part.lower() for part in args.only.split(",") if part]
    return [(label, path) for label, path in PAGES if not parts or any(p in label.lower() for p in parts)]


def in_process_only(env: dict[str, str], args: argparse.Namespace, placeholders: dict[str, str]) -> int:
    pages = [
        (label, "/people/?page=2" if "{directory_next}" in path else path.format(**placeholders))
        for label, path in chosen(args)
    ]
    detail = in_process(env, args.root, [path for _, path in pages], explain=args.explain)
    rows = []
    for label, path in pages:
        row = {"label": label, "path": path, **detail.get(path, {})}
        rows.append(row)
        print(
            f"{label:<40} {row.get('queries', '?')} queries; in process {row.get('in_process_ms', 0):.1f} ms, "
            f"Python CPU {row.get('python_cpu_ms', 0):.1f} ms, SQL {row.get('sql_ms', 0):.1f} ms",
            flush=True,
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out = RESULTS_DIR / f"pages-{args.label}.json"
    out.write_text(json.dumps({"label": args.label, "load_after": load, "pages": rows}, indent=2))
    print(f"Wrote {out.relative_to(ROOT)} (load average after: {load})")
    return 0


def next_link(session: requests.Session, base: str) -> str:
    """The directory's own link to its second page (?page=2 before keyset pages, ?after=… after)."""
    import re

    html = session.get(base + "/people/", timeout=60).text
    found = re.search(r'href="(\?[^"]+)" rel="next"', html)
    return "/people/" + found.group(1).replace("&amp;", "&") if found else "/people/?page=2"


def _django_script(body: str) -> str:
    return (
        "import os, sys, json\n"
        "sys.path.insert(0, os.getcwd())\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "import django\ndjango.setup()\n" + body
    )


RESOLVE = """
from django.db.models import Count
from openhelp.directory.skills.models import Skill
from openhelp.help.asks.models import Ask
from openhelp.platform.accounts.models import User
from openhelp.demo.data import MENTEE_EMAIL
me = User.objects.get(email=MENTEE_EMAIL)
skill = Skill.objects.annotate(n=Count("offers")).order_by("-n", "pk").first()
asks = Ask.objects.involving(me) if hasattr(Ask.objects, "involving") else Ask.objects.filter(mentee=me)
messages = [f.name for f in Ask._meta.related_objects if f.name in ("messages", "thread", "timeline")]
ask = asks.annotate(n=Count(messages[0])).order_by("-n", "pk").first() if messages else asks.first()
print(json.dumps({"popular_skill": skill.slug, "long_ask": ask.pk}))
"""

MEASURE = """
import time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openhelp.platform.accounts.models import User
from openhelp.demo.data import MENTEE_EMAIL
explain = sys.argv[1] == "1"
client = Client(SERVER_NAME="127.0.0.1")
client.force_login(User.objects.get(email=MENTEE_EMAIL))
out = {}
for path in sys.argv[2:]:
    client.get(path, secure=True)
    walls, cpus, sqls = [], [], []
    for _ in range(10):  # wall time, this process's CPU time (hardly moved by other load), time in SQL
        wall, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, secure=True)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        sqls.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    queries = [q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
    plans = []
    for q in slowest:
        row = {"ms": float(q["time"]) * 1000, "sql": q["sql"]}
        if explain and q["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                plan = [r[0] for r in cursor.fetchall()]
            row["plan"] = plan
            row["ms"] = float(plan[-1].split(":")[1].split()[0])
        plans.append(row)
    median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
    out[path] = {
        "queries": len(queries),
        "slowest": plans,
        "in_process_ms": median(walls),
        "python_cpu_ms": median(cpus),
        "sql_ms": median(sqls),
    }
print(json.dumps(out))
"""


def resolve(env: dict[str, str], root: str) -> dict[str, str]:
    output = subprocess.run(
        [PYTHON, "-c", _django_script(RESOLVE)], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def in_process(env: dict[str, str], root: str, paths: list[str], *, explain: bool) -> dict:
    output = subprocess.run(
        [PYTHON, "-c", _django_script(MEASURE), "1" if explain else "0", *paths],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if output.returncode:
        print(output.stderr[-2000:], file=sys.stderr)
        return {}
    return json.loads(output.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    raise SystemExit(main())
