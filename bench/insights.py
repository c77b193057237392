#!/usr/bin/env python
"""`make bench` (insights): seed synthetic asks, sessions and people in bulk into a separate database per
engine, build the roll-ups from scratch, then time the organisers' dashboard and its JSON endpoint
(in-process django.test.Client under production settings) and count their queries, at two sizes.

SQLite: data/bench/insights-<size>.sqlite3. PostgreSQL (when DATABASE_URL is one): <name>_insights_bench_<size>,
dropped and re-created for each run unless --reuse finds it seeded; the database in DATABASE_URL is never
touched.
Results go to docs/benchmarks.md (section "insights").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import ROOT, machine_facts, summarise, table, write_section  # noqa: E402
from bench.run import BENCH_DIR, PYTHON, Target, database_version, manage, recreate_database, server_env  # noqa: E402

PATHS = [("Dashboard page", "/insights/"), ("Insights JSON API", "/api/v1/insights/")]
ORGANISER = "bench-organiser@example.org"
UNUSABLE = "!"  # an unusable password hash: nobody logs in as these people


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="Sessions per run (asks = 2×, people = ÷10).")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Time an already seeded data/bench/insights-<size>.sqlite3 (or PostgreSQL <name>_insights_bench_<size>) "
        "again: no re-seeding; the roll-ups are still rebuilt from scratch.",
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child), args.requests, reuse=args.reuse)))
        return 0
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    facts = machine_facts()
    runs = []
    for size in [int(s) for s in args.sizes.split(",")]:
        for target_label, url_for in engines():
            target = Target(target_label, url_for(size))
            reuse = args.reuse and seeded(target)
            print(f"== {target_label}, {size} sessions{' (reused data)' if reuse else ''}", flush=True)
            if not reuse:
                recreate_database(target)
            env = server_env(target)
            manage(env, "migrate", "--no-input", "-v0")
            out = subprocess.run(
                [PYTHON, __file__, "--child", str(size), "--requests", str(args.requests)]
                + (["--reuse"] if reuse else []),
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=3600,
                check=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result.update(database=target_label, server_version=database_version(target))
            for row in result["scenarios"]:
                print(
                    f"   {row['label']}: p50 {row['p50']:.1f} ms, p95 {row['p95']:.1f} ms, {row['queries']} queries"
                )
            runs.append(result)
            write_section("insights", render(runs, facts))  # after every run: partial results survive
    print("Wrote docs/benchmarks.md (insights)", flush=True)
    return 0


def engines():
    yield "SQLite", lambda size: f"sqlite:///{BENCH_DIR / f'insights-{size}.sqlite3'}"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = (parts.path.lstrip("/") or "postgres") + "_insights_bench"
        yield "PostgreSQL", lambda size: urlunsplit(parts._replace(path=f"/{name}_{size}"))


def seeded(target: Target) -> bool:
    """Whether this database already holds a seeded bench (the organiser exists)."""
    if target.label == "SQLite":
        import sqlite3

        path = Path(urlsplit(target.database_url).path)
        if not path.exists():
            return False
        with sqlite3.connect(path) as conn:
            try:
                return bool(
                    conn.execute("SELECT 1 FROM accounts_user WHERE email = ?", [ORGANISER]).fetchone()
                )
            except sqlite3.Error:
                return False
    import psycopg

    try:
        with psycopg.connect(urlunsplit(urlsplit(target.database_url)._replace(scheme="postgresql"))) as conn:
            return bool(conn.execute("SELECT 1 FROM accounts_user WHERE email = %s", [ORGANISER]).fetchone())
    except psycopg.Error:
        return False


def child(sessions: int, requests_count: int, *, reuse: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from openhelp.organisers.insights import rollup
    from openhelp.platform.accounts.models import User
    from openhelp.platform.lib.sql import refresh_statistics

    started = time.monotonic()
    if reuse:
        from openhelp.directory.people.models import Profile
        from openhelp.help.asks.models import Ask

        counts = {"people": Profile.objects.count(), "asks": Ask.objects.count()}
    else:
        counts = seed(sessions)
    seed_seconds = time.monotonic() - started
    started = time.monotonic()
    rollup.rebuild()
    rebuild_seconds = time.monotonic() - started
    refresh_statistics()
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(email=ORGANISER))
    scenarios = []
    # "computed": the cache is emptied before each request, so every request computes the report from the
    # roll-ups (the first view after a change); "reused": the report cached under the roll-up version.
    for label, path in PATHS:
        for mode in ("computed", "reused"):
            for _ in range(3):
                assert client.get(path, secure=True).status_code == 200
            samples = []
            for _ in range(requests_count):
                if mode == "computed":
                    cache.clear()
                t = time.perf_counter()
                response = client.get(path, secure=True)
                samples.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
            if mode == "computed":
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(path, secure=True)
            scenarios.append(
                {
                    "label": f"{label}, report {mode}",
                    "path": path,
                    "queries": len(queries.captured_queries),
                    **summarise(samples),
                }
            )
    rollup_rows = sum(m.objects.count() for m in (*rollup.ROLLUPS, *rollup.DERIVED))
    return {
        "sessions": sessions,
        **counts,
        "seed_seconds": seed_seconds,
        "rebuild_seconds": rebuild_seconds,
        "rollup_rows": rollup_rows,
        "scenarios": scenarios,
    }


def seed(sessions: int) -> dict:
    """Bulk inserts (no signals): people in 50 teams, 100 skills, 2× asks, sessions, debriefs, moments
    spread over the last 365 days. Deterministic (seeded random)."""
    import datetime as dt
    import random

    from openhelp.community.moments.models import Moment, MomentKind
    from openhelp.directory.people.models import Profile, SkillOffer, Team
    from openhelp.directory.skills.models import Skill
    from openhelp.help.asks.models import Ask, AskState
    from openhelp.help.mentoring.models import Debrief, Session, SessionState
    from openhelp.platform.accounts.models import User
    from openhelp.platform.lib.clock import now

    rng = random.Random(42)
    people = max(sessions // 10, 1000)
    today = now()
    batch = 5000

    def moment_in_year():
        return today - dt.timedelta(minutes=rng.randrange(365 * 24 * 60))

    User.objects.create(email=ORGANISER, is_organiser=True, password=UNUSABLE)
    teams = Team.objects.bulk_create([Team(name=f"Team {i}", slug=f"team-{i}") for i in range(50)])
    skills = Skill.objects.bulk_create(
        [Skill(name=f"Skill {i}", normalised_name=f"skill {i}", slug=f"skill-{i}") for i in range(100)]
    )
    User.objects.bulk_create(
        [User(email=f"p{i}@bench.example.org", password=UNUSABLE) for i in range(people)], batch_size=batch
    )
    users = list(User.objects.filter(email__endswith="@bench.example.org").values_list("pk", flat=True))
    mentors = users[: people // 3]
    profiles = [
        Profile(
            user_id=pk,
            display_name=f"Person {pk}",
            team=rng.choice(teams),
            open_to_help=i < len(mentors),
            sessions_per_week=rng.randint(1, 5) if i < len(mentors) else None,
        )
        for i, pk in enumerate(users)
    ]
    Profile.objects.bulk_create(profiles, batch_size=batch)
    profile_ids = dict(Profile.objects.values_list("user_id", "pk"))
    SkillOffer.objects.bulk_create(
        [
            SkillOffer(profile_id=profile_ids[pk], skill=s, level=3)
            for pk in mentors
            for s in rng.sample(skills, 2)
        ],
        batch_size=batch,
    )
    states = [AskState.COMPLETED] * 4 + [
        AskState.ACCEPTED,
        AskState.EXPIRED,
        AskState.UNMATCHED,
        AskState.CANCELLED,
    ]
    states += [AskState.OPEN, AskState.OFFERED]
    through = Ask.skills.through
    for offset in range(0, 2 * sessions, batch):
        rows = []
        for _ in range(min(batch, 2 * sessions - offset)):
            created = moment_in_year()
            state = rng.choice(states)
            accepted = (
                created + dt.timedelta(minutes=rng.randint(5, 5000))
                if state in (AskState.COMPLETED, AskState.ACCEPTED)
                else None
            )
            rows.append(
                Ask(
                    mentee_id=rng.choice(users),
                    title="Bench ask",
                    objective="bench",
                    state=state,
                    created_at=created,
                    published_at=created,
                    accepted_at=accepted,
                    closed_at=accepted + dt.timedelta(hours=rng.randint(1, 200))
                    if state == AskState.COMPLETED
                    else None,
                )
            )
        created_asks = Ask.objects.bulk_create(rows)
        if created_asks[0].pk is None:
            created_asks = list(Ask.objects.order_by("-pk")[: len(rows)])
        through.objects.bulk_create(
            [
                through(ask_id=a.pk, skill_id=s.pk)
                for a in created_asks
                for s in rng.sample(skills, rng.randint(1, 2))
            ]
        )
    session_states = [SessionState.COMPLETED] * 7 + [SessionState.PLANNED] * 2 + [SessionState.CANCELLED]
    for offset in range(0, sessions, batch):
        rows = []
        for _ in range(min(batch, sessions - offset)):
            mentor = rng.choice(mentors)
            mentee = rng.choice(users)
            while mentee == mentor:
                mentee = rng.choice(users)
            start = moment_in_year()
            rows.append(
                Session(
                    mentor_id=mentor,
                    mentee_id=mentee,
                    title="Bench session",
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=30),
                    state=rng.choice(session_states),
                    created_at=start,
                )
            )
        created_sessions = Session.objects.bulk_create(rows)
        if created_sessions[0].pk is None:
            created_sessions = list(Session.objects.order_by("-pk")[: len(rows)])
        Debrief.objects.bulk_create(
            [
                Debrief(
                    session_id=s.pk,
                    outcome=rng.choice(["solved", "partly", "not_yet"]),
                    rating=rng.randint(1, 5),
                )
                for s in created_sessions
                if s.state == SessionState.COMPLETED and rng.random() < 0.5
            ]
        )
    Moment.objects.bulk_create(
        [
            Moment(
                author_id=rng.choice(users),
                kind=MomentKind.ENCOURAGEMENT,
                note="bench",
                created_at=moment_in_year(),
            )
            for _ in range(sessions // 10)
        ],
        batch_size=batch,
    )
    return {"people": people, "asks": 2 * sessions}


def render(runs: list[dict], facts: dict) -> str:
    rows = []
    for r in runs:
        for s in r["scenarios"]:
            rows.append(
                [
                    r["database"],
                    f"{r['sessions']:,}",
                    f"{r['asks']:,}",
                    f"{r['people']:,}",
                    s["label"],
                    f"{s['p50']:.1f}",
                    f"{s['p95']:.1f}",
                    str(s["queries"]),
                    f"{r['rollup_rows']:,}",
                    f"{r['seed_seconds']:.0f} / {r['rebuild_seconds']:.0f}",
                ]
            )
    ratios = []
    by_key = {(r["database"], s["label"], r["sessions"]): s for r in runs for s in r["scenarios"]}
    sizes = sorted({r["sessions"] for r in runs})
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for (db, label, size), s in by_key.items():
            if size == large and (db, label, small) in by_key:
                ratios.append(
                    f"- {db}, {label}: p50 ×{s['p50'] / by_key[(db, label, small)]['p50']:.2f} at "
                    f"{large // small}× the sessions"
                )
    machine = "; ".join(f"{k}: {v}" for k, v in facts.items())
    return "\n".join(
        [
            "## Insights dashboard (bench/insights.py)",
            "",
            "Synthetic data bulk-inserted (asks = 2 × sessions, people = sessions ÷ 10 with at least 1,000, 50 teams, "
            "100 skills, a year of dates), roll-ups rebuilt from scratch, then the default view (last 12 weeks, "
            "whole organisation) requested in-process through django.test.Client under production settings "
            "(warm-up 3, then the measured requests). Two modes per page: *report computed* empties the cache "
            "before each request, so the report is computed from the roll-ups every time (what the first view "
            "after a change costs); *report reused* is the report cached under the roll-up version (insights/"
            "cache.py), what every other view costs. Queries counted on one extra request. Statistics refreshed "
            "(ANALYZE) after the rebuild. Roll-up rows include the derived ones (organisation-wide day totals, "
            "ActiveWeek, LoadDistribution, RecentLoad). Sizes measured: "
            + ", ".join(f"{size:,}" for size in sorted({r["sessions"] for r in runs}))
            + " sessions. `--reuse` times an already seeded database again (no seeding: seed time then shows "
            "0; the roll-ups are still rebuilt from scratch).",
            "",
            table(
                [
                    "Database",
                    "Sessions",
                    "Asks",
                    "People",
                    "Scenario",
                    "p50 ms",
                    "p95 ms",
                    "Queries",
                    "Roll-up rows",
                    "Seed / rebuild s",
                ],
                rows,
            ),
            "",
            *ratios,
            "",
            f"Machine: {machine}",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
