#!/usr/bin/env python
"""Creating and publishing asks on an already seeded database, in process, one at a time.

    DATABASE_URL=postgres://…/openhelp_load_<you> python bench/publish.py --label before [--asks 20]
    DATABASE_URL=… python bench/publish.py --label before --profile          (cProfile of the publishing)
    DATABASE_URL=… python bench/publish.py --label before --ranking          (the ranking of fixed asks)
    python bench/publish.py --compare bench/results/publish-ranking-before.json …-after.json

What the load mix's ``write_ask`` does (bench/load/driver.py), through Django's test client with
production settings: the demo mentee POSTs /api/v1/asks/ on one of the skills the load mix uses (the
first 30 of /api/v1/skills/), then POSTs /api/v1/asks/<id>/publish/, and then runs what the worker does
for it (``routing.services.route_published_ask``: it ranks the experts and creates the offers; a checkout
from before publishing moved to the worker routes inside the POST, and has no "route" step). After ``--warmup`` unmeasured asks, ``--asks`` are measured; for each call it records the wall
time, this process's CPU time (``time.process_time``, which other load on a shared machine hardly
moves), the queries and the time spent in SQL, and prints their medians. Every ask it makes stays in
the database: point it at a database of your own (a clone), never at one others use.

``--ranking`` changes nothing: with the clock frozen it ranks a fixed set of existing asks (the oldest
routed ask of each load-mix skill) through ``routing.candidates.rank_candidates`` (every candidate, not
only the offered few) and writes mentors, scores and reasons, so two revisions can be compared on the
same data (``--compare``). ``--root`` runs another checkout's code (an exported older revision).
Results go to bench/results/publish-<label>.json (or publish-ranking-<label>.json).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BENCH_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = BENCH_ROOT / "bench" / "results"
LOAD_MIX_SKILLS = 30  # write_ask picks one of the first 30 skills of /api/v1/skills/?page_size=100


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="run", help="Names the results file.")
    parser.add_argument("--asks", type=int, default=20, help="Measured asks.")
    parser.add_argument("--warmup", type=int, default=3, help="Asks made first and not measured.")
    parser.add_argument("--seed", type=int, default=1, help="Chooses the skills (as the load mix would).")
    parser.add_argument("--profile", action="store_true", help="cProfile the measured publishing calls.")
    parser.add_argument("--queries", action="store_true", help="Print the SQL of the last publishing.")
    parser.add_argument("--ranking", action="store_true", help="Rank fixed asks (frozen clock); no writes.")
    parser.add_argument(
        "--at",
        default=dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0).isoformat(),
        help="--ranking's frozen instant (ISO; default: the start of this hour). Compare runs at one instant.",
    )
    parser.add_argument("--root", default=str(BENCH_ROOT), help="The checkout whose code runs.")
    parser.add_argument("--compare", nargs=2, metavar="JSON", help="Compare two --ranking results.")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise SystemExit("Set DATABASE_URL to a seeded database of your own.")
    if urlsplit(url).path.strip("/") == "openhelp_load":
        raise SystemExit("Not openhelp_load itself: it is the template of everyone's clones. Use your clone.")
    setup_django(args.root, url)
    results = rank_fixed_asks(args) if args.ranking else publish_asks(args)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    name = f"publish-ranking-{args.label}.json" if args.ranking else f"publish-{args.label}.json"
    out = RESULTS_DIR / name
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out.write_text(json.dumps({"label": args.label, "load_after": load, **results}, indent=2))
    print(f"Wrote {out} (load average after: {load})")
    return 0


def setup_django(root: str, url: str) -> None:
    """Production settings (as bench/run.py serves them) for the code in ``root``. Not imported from
    bench/run.py: that module imports ``openhelp`` from this checkout, and ``root`` may be another."""
    os.chdir(root)
    sys.path.insert(0, root)
    os.environ.update(
        OTH_ENV="production",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL="https://bench.localhost",
        DATABASE_URL=url,
        EMAIL_BACKEND="locmem",
        API_RATE_USER="1000000/hour",  # the bench measures speed, not the throttle
        ASKS_PUBLISHED_PER_DAY="100000",  # nor the ceiling on asks a person publishes a day
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()


def load_mix_skills(client) -> list[int]:
    response = client.get("/api/v1/skills/?page_size=100", secure=True)
    data = response.json()
    found = data.get("results", []) if isinstance(data, dict) else data
    return [skill["id"] for skill in found if skill.get("id")][:LOAD_MIX_SKILLS]


def _call(client, path: str, body: dict | None = None) -> tuple[dict, object, list[dict]]:
    """One POST, timed: wall ms, CPU ms of this process, queries and ms in SQL."""
    return _timed(lambda: client.post(path, data=body or {}, content_type="application/json", secure=True))


def _timed(step) -> tuple[dict, object, list[dict]]:
    """``step()``, timed: wall ms, CPU ms of this process, queries and ms in SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wall, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as ctx:
        response = step()
    figures = {
        "wall_ms": (time.perf_counter() - wall) * 1000,
        "cpu_ms": (time.process_time() - cpu) * 1000,
        "queries": sum(1 for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))),
        "sql_ms": sum(float(q["time"]) for q in ctx.captured_queries) * 1000,
    }
    return figures, response, ctx.captured_queries


def publish_asks(args: argparse.Namespace) -> dict:
    import random

    from django.test import Client

    from openhelp.demo.data import MENTEE_EMAIL
    from openhelp.platform.accounts.models import User

    try:
        from openhelp.help.routing.services import route_published_ask
    except ImportError:  # a checkout that routes inside the publishing request
        route_published_ask = None

    client = Client(SERVER_NAME="127.0.0.1")
    mentee = User.objects.get(email=MENTEE_EMAIL)
    client.force_login(mentee)
    skills = load_mix_skills(client)
    rng = random.Random(args.seed)
    profiler = cProfile.Profile() if args.profile else None
    rows: list[dict] = []
    for number in range(args.warmup + args.asks):
        skill = rng.choice(skills)
        body = {
            "title": f"Help with {skill} ({rng.randrange(10**6)})",
            "objective": "Understand the next step well enough to do it myself.",
            "preparation_questions": ["What did you try already?"],
            "skills": [skill],
            "format": "async",
        }
        create, response, _ = _call(client, "/api/v1/asks/", body)
        if response.status_code != 201:
            raise SystemExit(f"creating an ask answered {response.status_code}: {response.content[:300]!r}")
        ask_id = response.json()["id"]
        measured = number >= args.warmup
        if profiler is not None and measured:
            profiler.enable()
        publish, response, queries = _call(client, f"/api/v1/asks/{ask_id}/publish/")
        if response.status_code != 200:
            raise SystemExit(f"publishing answered {response.status_code}: {response.content[:300]!r}")
        row = {"ask": ask_id, "skill": skill, "create": create, "publish": publish}
        if route_published_ask is not None:  # the worker's part, as its task runs it
            row["route"], row["routed"], queries = _timed(
                lambda ask=ask_id: route_published_ask(ask_id=ask, actor_id=mentee.pk)
            )
        if profiler is not None and measured:
            profiler.disable()
        if measured:
            rows.append(row)
    steps = [step for step in ("create", "publish", "route") if step in rows[0]]
    summary = {step: _medians([row[step] for row in rows]) for step in steps}
    _report(summary, len(rows), queries if args.queries else [], profiler)
    return {"summary": summary, "asks": rows}


def _report(summary: dict, n: int, queries: list[dict], profiler: cProfile.Profile | None) -> None:
    """Print each step's medians, the last call's SQL (``--queries``) and the profile (``--profile``)."""
    for step, figures in summary.items():
        print(
            f"{step:<8} median of {n}: CPU {figures['cpu_ms']:.1f} ms, wall {figures['wall_ms']:.1f} ms, "
            f"SQL {figures['sql_ms']:.1f} ms, {figures['queries']:.0f} queries"
            f" (CPU p90 {figures['cpu_ms_p90']:.1f} ms)"
        )
    for query in queries:
        print(f"{float(query['time']) * 1000:7.2f} ms  {query['sql'][:240]}")
    if profiler is not None:
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(text.getvalue())


def _medians(figures: list[dict]) -> dict:
    out = {key: statistics.median(f[key] for f in figures) for key in figures[0]}
    cpu = sorted(f["cpu_ms"] for f in figures)
    out["cpu_ms_p90"] = cpu[min(len(cpu) - 1, int(len(cpu) * 0.9))]
    return out


def rank_fixed_asks(args: argparse.Namespace) -> dict:
    """The full ranking of the oldest routed ask of each load-mix skill, at a frozen instant."""
    import time_machine
    from django.test import Client

    from openhelp.demo.data import MENTEE_EMAIL
    from openhelp.help.asks.models import Ask, AskMode
    from openhelp.help.routing.candidates import rank_candidates
    from openhelp.platform.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(email=MENTEE_EMAIL))
    skills = load_mix_skills(client)
    asks = []
    for skill in skills:
        ask = Ask.objects.filter(skills=skill, mode=AskMode.ROUTED).order_by("pk").first()
        if ask is not None and ask not in asks:
            asks.append(ask)
    rankings = {}
    cpu_ms = []
    with time_machine.travel(dt.datetime.fromisoformat(args.at), tick=False):
        for ask in asks:
            for widened in (False, True):
                started = time.process_time()
                ranked = rank_candidates(ask, widened=widened)
                cpu_ms.append((time.process_time() - started) * 1000)
                rankings[f"{ask.pk}{'-widened' if widened else ''}"] = [
                    [m.mentor_id, m.profile_id, m.display_name, m.score, m.reasons] for m in ranked
                ]
    print(
        f"ranked {len(rankings)} asks at {args.at} (every candidate, reasons included): "
        f"median CPU {statistics.median(cpu_ms):.1f} ms, {sum(len(r) for r in rankings.values())} rows"
    )
    return {"at": args.at, "rankings": rankings}


def compare(first: str, second: str) -> int:
    """0 when both rankings name the same mentors in the same order with the same scores and reasons."""
    a = json.loads(Path(first).read_text())["rankings"]
    b = json.loads(Path(second).read_text())["rankings"]
    differ = [key for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)]
    rows = sum(len(r) for r in a.values())
    if differ:
        print(f"{len(differ)} of {len(set(a) | set(b))} rankings differ: {', '.join(differ[:10])}")
        return 1
    print(f"identical: {len(a)} rankings, {rows} ranked mentors (order, scores and reasons)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
