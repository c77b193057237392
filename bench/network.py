#!/usr/bin/env python
"""Helper network at scale: a synthetic organisation of 100,000 people in 200 teams and 1,000,000 help
links (the roll-up of ~1,600,000 sessions), and the same organisation at 1/100 of the size (1,000 people,
10,000 links, the same 200 teams), on a separate database per engine and size.

Times, in one process per database: building the cross-team flow roll-up from the help links (what
``rebuild_network`` does after its help-link pass), the cross-team flow the page reads (people per team +
the roll-up), for the organisation and for a programme of one person in ten, against the previous method
(every help link of the period and every person's team, summed in Python; the two are checked equal),
the background work one change costs (a person moving team, a pair of people re-derived), and the
knowledge-node recompute (load links, networkx, write snapshot). Results go to docs/benchmarks.md
(section "network").

SQLite: data/bench/network-<links>.sqlite3. PostgreSQL (when DATABASE_URL is one):
<name>_network_bench, dropped and re-created for each size; the database in DATABASE_URL is never touched.

    python bench/network.py [--people 100000] [--links 1000000] [--teams 200] [--small 100] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import recreate  # noqa: E402
from bench.report import ROOT, git_revision, machine_facts, table, write_section  # noqa: E402

BENCH_DIR = ROOT / "data" / "bench"
PYTHON = sys.executable
REPEATS = 7  # timed reads per figure (after one unmeasured), the median is reported
PROGRAMME_EVERY = 10  # one person in ten is a member of the benchmark's programme


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument(
        "--small", type=int, default=100, help="The small size is the large one divided by this."
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--skip-knowledge", action="store_true", help="Do not time the knowledge-node recompute."
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="SQLite only: time an already seeded database again (no re-seeding).",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def engines():
    yield "SQLite", lambda links: f"sqlite:///{BENCH_DIR / f'network-{links}.sqlite3'}"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = (parts.path.lstrip("/") or "postgres") + "_network_bench"
        yield "PostgreSQL", lambda links: urlunsplit(parts._replace(path=f"/{name}"))


# --- child: one database, one size --------------------------------------------------------------------------


def synthetic_links(people: int, links: int, teams: int, seed: int):
    """Yield (helper, helped, sessions, month) index tuples: 85 % of help inside one's own team; half of it
    from a few heavily relied-on people per team (a Zipf-like rank), half from anyone; no self-help and no
    duplicate pair."""
    rng = random.Random(seed)
    team_size = people // teams
    seen: set[tuple[int, int]] = set()
    while len(seen) < links:
        helped = rng.randrange(people)
        team = helped // team_size if rng.random() < 0.85 else rng.randrange(teams)
        if rng.random() < 0.5:
            position = (int(rng.paretovariate(1.2)) - 1) * 7 % team_size
        else:
            position = rng.randrange(team_size)
        helper = min(team * team_size + position, people - 1)
        if helper == helped or (helper, helped) in seen:
            continue
        seen.add((helper, helped))
        yield helper, helped, 1 + int(rng.expovariate(1.0)), rng.randrange(12)


def seed_database(args) -> float:
    import datetime as dt

    from openhelp.directory.people.models import Profile, Team
    from openhelp.directory.programmes.models import Membership, Programme
    from openhelp.organisers.network.models import HelpLink
    from openhelp.platform.accounts.models import User

    started = time.perf_counter()
    teams = Team.objects.bulk_create(
        Team(name=f"Team {i:03d}", slug=f"team-{i:03d}") for i in range(args.teams)
    )
    users = User.objects.bulk_create(
        (User(email=f"n{i}@example.org", password="!") for i in range(args.people)),  # noqa: S106
        batch_size=5_000,
    )
    team_size = args.people // args.teams
    Profile.objects.bulk_create(
        (
            Profile(user=user, display_name=f"Person {i}", team=teams[min(i // team_size, args.teams - 1)])
            for i, user in enumerate(users)
        ),
        batch_size=5_000,
    )
    programme = Programme.objects.create(name="Guild", slug="guild")
    Membership.objects.bulk_create(
        (Membership(programme=programme, user=user) for user in users[::PROGRAMME_EVERY]), batch_size=5_000
    )
    ids = [user.pk for user in users]
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    last = dt.datetime(2025, 12, 31, tzinfo=dt.UTC)
    HelpLink.objects.bulk_create(
        (
            HelpLink(helper_id=ids[a], helped_id=ids[b], month=months[m], sessions=s, last_at=last)
            for a, b, s, m in synthetic_links(args.people, args.links, args.teams, args.seed)
        ),
        batch_size=5_000,
    )
    return time.perf_counter() - started


def timed(function, repeats: int = REPEATS) -> tuple[float, int, object]:
    """Median seconds of ``repeats`` calls after one unmeasured call, the queries of one call, the result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = function()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), len(queries.captured_queries), result


def child(args) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from openhelp.directory.people.models import Profile, Team
    from openhelp.directory.programmes.models import Programme
    from openhelp.organisers.network import teamflow
    from openhelp.organisers.network.flow import team_flow, team_flow_from_links
    from openhelp.organisers.network.models import HelpLink, TeamFlow
    from openhelp.organisers.network.scope import Scope, team_groups
    from openhelp.platform.lib.sql import refresh_statistics

    out: dict = {"people": args.people, "teams": args.teams}
    if args.reuse and HelpLink.objects.exists():
        out["seed_seconds"] = None
    else:
        out["seed_seconds"] = seed_database(args)
    out["links"] = HelpLink.objects.count()
    out["sessions"] = sum(HelpLink.objects.values_list("sessions", flat=True).iterator(50_000))
    started = time.perf_counter()
    out["cells"] = teamflow.rebuild_team_flow()
    out["rebuild_seconds"] = time.perf_counter() - started
    out["org_cells"] = TeamFlow.objects.filter(programme__isnull=True).count()
    refresh_statistics()
    programme = Programme.objects.get(slug="guild")
    import datetime as dt

    june = dt.date(2025, 6, 1)
    cases = [
        ("Organisation, all 12 months", {}),
        ("Organisation, one month", {"start": june, "end": june}),
        ("Programme (1 person in 10), all 12 months", {"programme": programme}),
    ]
    out["flows"] = []
    for label, filters in cases:

        def read(filters=filters, method=team_flow):
            scope = Scope(groups=team_groups(filters.get("programme")), **filters)
            return method(scope=scope)

        seconds, queries, flow = timed(read)
        old_seconds, old_queries, old = timed(
            lambda filters=filters: read(filters, team_flow_from_links), repeats=1
        )
        assert flow == old, f"{label}: the roll-up and the help links disagree"
        out["flows"].append(
            {
                "label": label,
                "seconds": seconds,
                "queries": queries,
                "old_seconds": old_seconds,
                "old_queries": old_queries,
                "total": flow.total,
                "labels": len(flow.labels),
            }
        )

    # The background work of one change: a person moving team, then one pair's help links re-derived.
    profile = Profile.objects.filter(team__isnull=False).order_by("pk")[args.people // 2]
    Profile.objects.filter(pk=profile.pk).update(team=Team.objects.exclude(pk=profile.team_id).first())
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        moved = teamflow.reconcile()
        out["reconcile_seconds"] = time.perf_counter() - started
    assert moved == 1
    out["reconcile_queries"] = len(queries.captured_queries)
    started = time.perf_counter()
    teamflow.reconcile()  # nothing left to do: the cost of the ten-minute check alone
    out["reconcile_idle_seconds"] = time.perf_counter() - started
    link = HelpLink.objects.order_by("pk")[out["links"] // 3]
    from openhelp.organisers.network.rollup import refresh_pairs

    def pair():
        refresh_pairs(pairs=[(link.helper_id, link.helped_id)])
        teamflow.refresh_for_pairs([(link.helper_id, link.helped_id)])

    out["pair_seconds"], out["pair_queries"], _ = timed(pair, repeats=3)
    assert {(*c, n) for c, n in teamflow.from_scratch().items()} == set(
        TeamFlow.objects.values_list("programme_id", "month", "helper_team", "helped_team", "sessions")
    ), "incremental roll-up differs from a from-scratch computation"

    if not args.skip_knowledge:
        import resource

        from openhelp.organisers.network.knowledge import compute_snapshot, latest_snapshot, top_nodes

        started = time.perf_counter()
        snapshot = compute_snapshot()
        out["recompute_seconds"] = time.perf_counter() - started
        out["recompute_parts"] = getattr(snapshot, "timings", {})
        out["graph_people"], out["sample_size"], out["seed"] = (
            snapshot.people,
            snapshot.sample_size,
            snapshot.seed,
        )
        scope = Scope(groups=team_groups())

        def nodes():
            latest = latest_snapshot()
            return top_nodes(latest, scope=scope, order="reliance"), top_nodes(
                latest, scope=scope, order="brokerage"
            )

        out["nodes_seconds"], out["nodes_queries"], _ = timed(nodes)
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# --- parent: every engine and size, then the report ---------------------------------------------------------


def main() -> int:
    args = parse_args()
    if args.child:
        print(json.dumps(child(args), default=str))
        return 0
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    facts = machine_facts()
    sizes = [
        (args.people // args.small, args.links // args.small),
        (args.people, args.links),
    ]
    runs = []
    for label, url_for in engines():
        for people, links in sizes:
            url = url_for(links)
            reuse = args.reuse and label == "SQLite" and Path(urlsplit(url).path).exists()
            print(f"== {label}, {people:,} people, {links:,} links{' (reused)' if reuse else ''}", flush=True)
            if not reuse:
                recreate(label, url)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DJANGO_"))}
            env.update(
                OTH_ENV="test",
                DEBUG="False",
                SECRET_KEY="bench-only-insecure-key",  # noqa: S106
                DATABASE_URL=url,
            )
            load_before = os.getloadavg()[0]
            command = [
                PYTHON,
                __file__,
                "--child",
                "--people",
                str(people),
                "--links",
                str(links),
                "--teams",
                str(args.teams),
                "--seed",
                str(args.seed),
            ]
            command += ["--reuse"] if reuse else []
            command += ["--skip-knowledge"] if args.skip_knowledge else []
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=7200)
            if done.returncode:
                print(done.stdout[-3000:], done.stderr[-5000:], flush=True)
                done.check_returncode()
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result.update(
                database=label, version=database_version(label, url), load=(load_before, os.getloadavg()[0])
            )
            print(json.dumps(result, indent=1), flush=True)
            runs.append(result)
            write_section("network", render(runs, facts))  # after every run: partial results survive
    print("Wrote docs/benchmarks.md (network)", flush=True)
    return 0


def database_version(label: str, url: str) -> str:
    if label == "SQLite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0]


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _s(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:,.1f} s"


def render(runs: list[dict], facts: dict) -> str:
    lines = [
        "## Helper network (bench/network.py)",
        "",
        "Synthetic organisations, each seeded into its own database: the same 200 teams at two sizes, "
        "1/100 and full (100,000 people, 1,000,000 help links over 12 months); 85 % of help inside one's own "
        "team, heavily relied-on people per team; a programme with one person in ten as members. In one "
        "process per database: the cross-team flow as the page reads it (people per team for the "
        "k-anonymity merge, then the `TeamFlow` roll-up's rows summed per team pair), median of "
        f"{REPEATS} runs after one unmeasured, next to the previous method (every help link of the period "
        "and every person's team, summed in Python; one run; both checked equal on every figure); the "
        "background work of one change; and the knowledge-node recompute.",
        "",
        "**Target:** the cross-team flow at most 3× slower at 100× the data.",
        "",
        "### Cross-team flow (page read)",
        "",
    ]
    rows = []
    for run in runs:
        for flow in run["flows"]:
            rows.append(
                [
                    run["version"],
                    f"{run['people']:,} / {run['links']:,}",
                    flow["label"],
                    f"**{_ms(flow['seconds'])}**",
                    str(flow["queries"]),
                    _ms(flow["old_seconds"]),
                    f"{flow['total']:,}",
                ]
            )
    lines.append(
        table(
            ["Database", "People / links", "Flow", "Roll-up", "Queries", "Previous method", "Sessions"], rows
        )
    )
    lines += ["", "### Ratio at 100× the data (roll-up read, full size ÷ 1/100)", ""]
    ratios = []
    for database in dict.fromkeys(run["database"] for run in runs):
        pair = [run for run in runs if run["database"] == database]
        if len(pair) < 2:
            continue
        small, large = pair[0], pair[-1]
        for a, b in zip(small["flows"], large["flows"], strict=True):
            ratio = b["seconds"] / a["seconds"] if a["seconds"] else 0
            ratios.append(
                [large["version"], a["label"], f"{ratio:.1f}×", "met" if ratio <= 3 else "**not met**"]
            )
    if ratios:
        lines.append(table(["Database", "Flow", "Full ÷ small", "3× target"], ratios))
    lines += ["", "### Roll-up upkeep and knowledge nodes", ""]
    rows = []
    for run in runs:
        size = f"{run['people']:,} / {run['links']:,}"
        rows.append(
            [
                run["version"],
                size,
                f"{_s(run['rebuild_seconds'])} ({run['cells']:,} month cells in all scopes; "
                f"{run['org_cells']:,} organisation-wide rows with the all-months totals)",
                f"{_ms(run['reconcile_seconds'])} ({run['reconcile_queries']} queries); idle {_ms(run['reconcile_idle_seconds'])}",
                f"{_ms(run['pair_seconds'])} ({run['pair_queries']} queries)",
                _s(run.get("recompute_seconds")),
                f"{_ms(run['nodes_seconds'])} ({run['nodes_queries']} queries)"
                if "nodes_seconds" in run
                else "—",
            ]
        )
    lines.append(
        table(
            [
                "Database",
                "People / links",
                "Rebuild flow roll-up",
                "One person changes team (reconcile)",
                "One pair re-derived (links + cells)",
                "Knowledge-node recompute",
                "Node lists",
            ],
            rows,
        )
    )
    parts = [run for run in runs if run.get("recompute_parts")]
    if parts:
        lines += ["", "Knowledge-node recompute, by part:"]
        for run in parts:
            detail = ", ".join(f"{name} {_s(value)}" for name, value in run["recompute_parts"].items())
            lines.append(f"- {run['version']}, {run['links']:,} links: {detail}.")
    sampled = next((run for run in reversed(runs) if run.get("sample_size")), None)
    lines += [""]
    if sampled:
        lines.append(
            f"At full size the graph has {sampled['graph_people']:,} people; betweenness is sampled from "
            f"k = {sampled['sample_size']} sources with seed {sampled['seed']}."
        )
    loads = "; ".join(
        f"{run['version']} {run['links']:,}: {run['load'][0]:.2f} → {run['load'][1]:.2f}" for run in runs
    )
    seeds = "; ".join(
        f"{run['links']:,} links {_s(run['seed_seconds'])}" for run in runs if run["seed_seconds"]
    )
    peak = max((run.get("peak_mb", 0) for run in runs), default=0)
    lines += [
        "",
        f"Seeding: {seeds or 'reused databases'}. Peak memory of a process: {peak:,.0f} MiB. "
        f"Revision {git_revision()}; {facts['CPU']}, {facts['CPUs (nproc)']} CPUs (shared), Python "
        f"{facts['Python']}. Load average (1 min) before → after each database: {loads}.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
