#!/usr/bin/env python
"""Helper-network recompute at scale: a synthetic organisation of 100,000 people in 200 teams and
1,000,000 help links (the roll-up of ~1,000,000 sessions), on a separate SQLite database.

Times, in one process: loading the help-link table and computing the knowledge nodes (networkx, sampled
betweenness) into a snapshot — what the "recompute" button queues — then the cross-team flow and the
knowledge-node lists the pages read, with their query counts. Results go to docs/benchmarks.md
(section "network").

    python bench/network.py [--people 100000] [--links 1000000] [--teams 200]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import ROOT, git_revision, machine_facts, table, write_section  # noqa: E402

BENCH_DIR = ROOT / "data" / "bench"
DB = BENCH_DIR / "network.sqlite3"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def setup_django() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ.update(
        OTH_ENV="test",
        DEBUG="False",
        SECRET_KEY="bench-only-insecure-key",  # noqa: S106
        DATABASE_URL=f"sqlite:///{DB}",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


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


def seed_database(args) -> dict:
    import datetime as dt

    from accounts.models import User
    from network.models import HelpLink
    from people.models import Profile, Team

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
    return {
        "seconds": time.perf_counter() - started,
        "sessions": sum(HelpLink.objects.values_list("sessions", flat=True)),
    }


def measure() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from network.flow import team_flow
    from network.knowledge import compute_snapshot, latest_snapshot, top_nodes
    from network.scope import Scope, team_groups

    started = time.perf_counter()
    snapshot = compute_snapshot()
    recompute = time.perf_counter() - started
    import resource

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with CaptureQueriesContext(connection) as flow_queries:
        started = time.perf_counter()
        scope = Scope(groups=team_groups())
        flow = team_flow(scope=scope)
        flow_seconds = time.perf_counter() - started
    with CaptureQueriesContext(connection) as node_queries:
        started = time.perf_counter()
        latest = latest_snapshot()
        top_nodes(latest, scope=scope, order="reliance")
        top_nodes(latest, scope=scope, order="brokerage")
        node_seconds = time.perf_counter() - started
    return {
        "recompute": recompute,
        "peak_mb": peak_mb,
        "snapshot": snapshot,
        "flow_seconds": flow_seconds,
        "flow_queries": len(flow_queries.captured_queries),
        "flow_total": flow.total,
        "node_seconds": node_seconds,
        "node_queries": len(node_queries.captured_queries),
    }


def render(args, seeded: dict, result: dict) -> str:
    snapshot = result["snapshot"]
    facts = machine_facts()
    rows = [
        [
            "Recompute knowledge nodes (load links, networkx, write snapshot)",
            f"{result['recompute']:.1f} s",
            "—",
        ],
        [
            "Cross-team flow, all 12 months (people per team, team of each person, help links summed)",
            f"{result['flow_seconds'] * 1000:.0f} ms",
            str(result["flow_queries"]),
        ],
        [
            "Knowledge-node lists (snapshot + top 20 twice)",
            f"{result['node_seconds'] * 1000:.0f} ms",
            str(result["node_queries"]),
        ],
    ]
    return "\n".join(
        [
            "## Helper network (bench/network.py)",
            "",
            f"Synthetic organisation on SQLite: {args.people:,} people in {args.teams} teams, "
            f"{snapshot.links:,} help links carrying {seeded['sessions']:,} sessions over 12 months "
            f"(seeded in {seeded['seconds']:.0f} s). The graph has {snapshot.people:,} people; betweenness is "
            + (
                f"sampled from k = {snapshot.sample_size} sources with seed {snapshot.seed}."
                if snapshot.is_sampled
                else "exact."
            ),
            "",
            table(["Step", "Time", "Queries"], rows),
            "",
            f"Peak memory of the process: {result['peak_mb']:.0f} MiB. Revision {git_revision()}; "
            f"{facts['CPU']}, {facts['CPUs (nproc)']} CPUs, load before: {facts['Load average before the run']}.",
        ]
    )


def main() -> int:
    args = parse_args()
    setup_django()
    print(f"Seeding {args.people:,} people and {args.links:,} links …", flush=True)
    seeded = seed_database(args)
    print(f"Seeded in {seeded['seconds']:.0f} s; recomputing …", flush=True)
    result = measure()
    body = render(args, seeded, result)
    print(body, flush=True)
    write_section("network", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
