#!/usr/bin/env python
"""Matching latency: time to rank one ask among 1,000, 10,000 and 100,000 open mentors, on SQLite and
PostgreSQL, through ``openhelp.help.routing.candidates.rank_candidates`` (retrieval from the database, the facts about
each shortlisted candidate, and the matching scorer) — exactly what routing an ask runs.

A separate database per engine (data/bench/matching.sqlite3; ``<name>_matching_bench`` when DATABASE_URL
is PostgreSQL — the database in DATABASE_URL is never touched) is migrated, seeded with the demo skill
taxonomy and grown to each size in turn. Results go to docs/benchmarks.md (section "matching") and
bench/results/matching-<timestamp>.json.

    python bench/matching.py [--sizes 1000 10000 100000] [--asks 200] [--only SQLite|PostgreSQL]
    python bench/matching.py measure OUT.json …   (internal: runs inside the benchmark's environment)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import databases
from bench.databases import recreate
from bench.report import ROOT, git_revision, machine_facts, summarise, table, write_section  # noqa: E402

BENCH_DIR = ROOT / "data" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
PYTHON = sys.executable
TARGET_P95_MS = 100.0
TARGET_RATIO = 3.0
WARMUP = 20
ZIPF_EXPONENT = 1.0
LEVELS = ((1, 0.10), (2, 0.20), (3, 0.35), (4, 0.25), (5, 0.10))
SEED = 20260


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--asks", type=int, default=200, help="Measured asks per size.")
    parser.add_argument("--only", choices=["SQLite", "PostgreSQL"], help="Run one database only.")
    return parser.parse_args(argv)


# --- Databases --------------------------------------------------------------------------------------------


def targets(only: str | None) -> list[tuple[str, str]]:
    return databases.targets("matching", only)


def bench_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DJANGO_"))}
    env.update(
        OTH_ENV="test",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(32),
        DATABASE_URL=url,
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def bench_database(label: str, url: str, args: argparse.Namespace) -> dict:
    print(f"== {label}", flush=True)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    recreate(label, url)
    env = bench_env(url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    out = BENCH_DIR / f"matching-{label}.json"
    command = [PYTHON, "bench/matching.py", "measure", str(out), "--asks", str(args.asks), "--sizes"]
    subprocess.run(command + [str(size) for size in args.sizes], cwd=ROOT, env=env, check=True)
    result = json.loads(out.read_text())
    result["database"] = label
    return result


# --- Inside the benchmark's environment: seed and measure -------------------------------------------------


class Directory:
    """The synthetic organisation, grown in steps: mentors with Zipf-distributed skills, some history."""

    def __init__(self) -> None:
        from openhelp.demo.services import ensure_languages, ensure_taxonomy

        skills = ensure_taxonomy()
        self.languages = list(ensure_languages().values())
        ranked = sorted(skills.values(), key=lambda skill: skill.pk)
        random.Random(SEED).shuffle(ranked)  # which skills are popular: fixed, but not the list order
        self.skills = ranked
        self.skill_weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(ranked))]
        self.language_weights = [1 / (rank + 1) ** 1.5 for rank in range(len(self.languages))]
        self.mentors = 0
        self.mentees: list = []

    def pick_skills(self, rng: random.Random, count: int) -> list:
        chosen: dict[int, object] = {}
        while len(chosen) < count:
            skill = rng.choices(self.skills, weights=self.skill_weights)[0]
            chosen[skill.pk] = skill
        return list(chosen.values())

    def pick_languages(self, rng: random.Random) -> list:
        count = 1 if rng.random() < 0.7 else 2
        return list(
            {lang.pk: lang for lang in rng.choices(self.languages, self.language_weights, k=count)}.values()
        )

    def grow(self, total: int) -> float:
        """Add mentors until there are ``total``; returns the seconds it took."""
        from django.contrib.auth.hashers import make_password
        from django.db import transaction

        from openhelp.directory.people.models import Profile, SkillOffer
        from openhelp.platform.accounts.models import User

        started = time.perf_counter()
        first, self.mentors = self.mentors, total
        unusable = make_password(None)
        today = dt.date.today()
        zones = [
            "Europe/Berlin",
            "America/New_York",
            "Asia/Kolkata",
            "UTC",
            "America/Sao_Paulo",
            "Asia/Tokyo",
        ]
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(email=f"mentor-{i}@bench.example.org", password=unusable) for i in range(first, total)],
                batch_size=2000,
            )
            profiles, plans = [], []
            for i, user in zip(range(first, total), users, strict=True):
                rng = random.Random(SEED * 7 + i)
                profiles.append(
                    Profile(
                        user_id=user.pk,
                        display_name=f"Mentor {i}",
                        headline=f"Mentor {i}, happy to help",
                        bio="I like helping people get unstuck.",
                        timezone=rng.choice(zones),
                        open_to_help=True,
                        sessions_per_week=rng.choice([1, 2, 2, 3, 3, 3, 5, None]),
                        paused_until=today + dt.timedelta(days=10) if rng.random() < 0.03 else None,
                    )
                )
                offered = min(1 + int(rng.expovariate(0.8)), 6)
                plans.append((self.pick_skills(rng, offered), self.pick_languages(rng), rng))
            profiles = Profile.objects.bulk_create(profiles, batch_size=2000)
            offers, spoken = [], []
            through = Profile.languages.through
            for profile, (skills, languages, rng) in zip(profiles, plans, strict=True):
                levels = rng.choices([lv for lv, _ in LEVELS], [w for _, w in LEVELS], k=len(skills))
                offers += [
                    SkillOffer(profile_id=profile.pk, skill_id=skill.pk, level=level, note="")
                    for skill, level in zip(skills, levels, strict=True)
                ]
                spoken += [through(profile_id=profile.pk, language_id=lang.pk) for lang in languages]
            SkillOffer.objects.bulk_create(offers, batch_size=5000)
            through.objects.bulk_create(spoken, batch_size=5000)
            self._add_history([(user, profile) for user, profile in zip(users, profiles, strict=True)], first)
        return time.perf_counter() - started

    def _add_history(self, people: list, first: int) -> None:
        """Some of the new mentors helped before (capacity, load, past help) and answered offers."""
        from openhelp.help.asks.models import Ask, AskState
        from openhelp.help.routing.models import Offer, OfferState
        from openhelp.platform.lib.clock import now

        rng = random.Random(SEED + first)
        moment = now()
        mentee = self._mentee("history")
        helped, helpers, answered = [], [], []
        for user, _ in people:
            if rng.random() < 0.12:
                for _ in range(rng.randint(1, 3)):
                    days = rng.choice([1, 3, 20, 60, 200])
                    helped.append(
                        Ask(
                            mentee=mentee,
                            title="Past help",
                            objective="Get unstuck",
                            state=AskState.COMPLETED,
                            helper_id=user.pk,
                            published_at=moment - dt.timedelta(days=days, hours=2),
                            accepted_at=moment - dt.timedelta(days=days),
                        )
                    )
                    helpers.append(user)
        asks = Ask.objects.bulk_create(helped, batch_size=2000)
        Ask.skills.through.objects.bulk_create(
            [Ask.skills.through(ask_id=ask.pk, skill_id=self.pick_skills(rng, 1)[0].pk) for ask in asks],
            batch_size=5000,
        )
        for ask, user in zip(asks, helpers, strict=True):
            if rng.random() < 0.5:
                created = ask.published_at
                answered.append(
                    Offer(
                        ask=ask,
                        mentor_id=user.pk,
                        state=OfferState.ACCEPTED,
                        created_at=created,
                        expires_at=created + dt.timedelta(hours=24),
                        responded_at=created + dt.timedelta(hours=rng.uniform(0.2, 30)),
                    )
                )
        Offer.objects.bulk_create(answered, batch_size=2000)

    def _mentee(self, name: str):
        from openhelp.directory.people.models import Profile
        from openhelp.platform.accounts.models import User

        user, created = User.objects.get_or_create(email=f"{name}@bench.example.org")
        if created:
            Profile.objects.create(user=user, display_name=name.title(), timezone="Europe/Berlin")
        return user

    def asks(self, count: int) -> list:
        """``count`` open asks by different mentees, of 1–3 Zipf-chosen skills; a quarter name a language."""
        from openhelp.directory.people.models import Block
        from openhelp.help.asks.models import Ask, AskMode, AskState
        from openhelp.platform.lib.clock import now

        rng = random.Random(SEED + 1)
        made = []
        for n in range(count):
            mentee = self._mentee(f"mentee-{n}")
            skills = self.pick_skills(rng, rng.choice([1, 1, 2, 2, 3]))
            ask = Ask.objects.create(
                mentee=mentee,
                title=f"Help with {skills[0].name}",
                objective=f"Use {' and '.join(s.name for s in skills)} with confidence",
                context="I tried the docs and a tutorial but I am stuck on the details.",
                state=AskState.OPEN,
                mode=AskMode.ROUTED,
                published_at=now(),
            )
            ask.skills.set(skills)
            if rng.random() < 0.25:
                ask.languages.set([rng.choices(self.languages, self.language_weights)[0]])
            made.append(ask)
        from openhelp.platform.accounts.models import User

        some = list(
            User.objects.filter(email__startswith="mentor-").order_by("?").values_list("pk", flat=True)[:50]
        )
        Block.objects.bulk_create(
            [Block(blocker=ask.mentee, blocked_id=pk) for ask, pk in zip(made, some, strict=False)]
        )
        return made


def time_both(asks: list, per_round: int) -> tuple[list[float], list[float], list[int]]:
    """Milliseconds of the full list and of the routed call, alternating so that a burst of load hits both
    alike, after a warm-up; and how many candidates each full list had."""
    from openhelp.help.routing.candidates import rank_candidates

    for ask in asks[:WARMUP]:
        rank_candidates(ask)
        rank_candidates(ask, limit=per_round)
    full, routed, found = [], [], []
    for ask in asks:
        started = time.perf_counter()
        matches = rank_candidates(ask)
        full.append((time.perf_counter() - started) * 1000)
        found.append(len(matches))
        started = time.perf_counter()
        rank_candidates(ask, limit=per_round)
        routed.append((time.perf_counter() - started) * 1000)
    return full, routed, found


def measure(out: str, sizes: list[int], count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.matching_learned import REAL_FIT_TREES, remove_learned_ranker, store_learned_ranker
    from openhelp.help.asks.models import Ask
    from openhelp.help.routing import policy
    from openhelp.help.routing.candidates import rank_candidates

    per_round = policy.offers_per_round()  # what route_ask asks for: one round of offers
    directory = Directory()
    asks = directory.asks(count)
    results = []
    for size in sorted(sizes):
        seconds = directory.grow(size)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as a live database has
        print(f"   {size} mentors seeded in {seconds:.1f} s", flush=True)
        fresh = list(Ask.objects.filter(pk__in=[a.pk for a in asks]).order_by("pk"))
        load_before = os.getloadavg()
        samples, routed, found = time_both(fresh, per_round)
        # The same asks again with a learned ranker stored and in use (bench/matching_learned.py): the
        # synthetic fit (hundreds of trees), then the same model cut to the size real fits reached.
        trees = store_learned_ranker()
        learned, learned_routed, _ = time_both(fresh, per_round)
        remove_learned_ranker()
        small_trees = store_learned_ranker(trees=REAL_FIT_TREES)
        small, small_routed, _ = time_both(fresh, per_round)
        remove_learned_ranker()
        queries = []
        for ask in fresh[:20]:
            with CaptureQueriesContext(connection) as captured:
                rank_candidates(ask)
            queries.append(len(captured.captured_queries))
        row = {
            "size": size,
            "seed_seconds": seconds,
            "latency_ms": summarise(samples),
            "routing_ms": summarise(routed),
            "learned_ms": summarise(learned),
            "learned_routing_ms": summarise(learned_routed),
            "learned_trees": trees,
            "learned_small_ms": summarise(small),
            "learned_small_routing_ms": summarise(small_routed),
            "learned_small_trees": small_trees,
            "queries": {"min": min(queries), "max": max(queries)},
            "candidates": {"median": statistics.median(found), "max": max(found)},
            "load_before": load_before,
            "load_after": os.getloadavg(),
        }
        results.append(row)
        lat = row["latency_ms"]
        print(
            f"   {size}: p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms, mean {lat['mean']:.1f} ms, "
            f"as routed p95 {row['routing_ms']['p95']:.1f} ms, queries {min(queries)}–{max(queries)}, "
            f"load {row['load_after'][0]:.2f}",
            flush=True,
        )
    version = connection.vendor
    with connection.cursor() as cursor:
        if version == "postgresql":
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("select sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
    Path(out).write_text(json.dumps({"server_version": version, "sizes": results}))


# --- Report -----------------------------------------------------------------------------------------------


def verdict(db: dict) -> tuple[str, float | None]:
    by_size = {row["size"]: row for row in db["sizes"]}
    smallest, largest = by_size[min(by_size)], by_size[max(by_size)]
    ratio = largest["latency_ms"]["p95"] / smallest["latency_ms"]["p95"] if len(by_size) > 1 else None
    ok = largest["latency_ms"]["p95"] < TARGET_P95_MS and (ratio is None or ratio <= TARGET_RATIO)
    return ("met" if ok else "**not met**"), ratio


def render(results: dict, args: argparse.Namespace) -> str:
    rows = []
    for db in results["databases"]:
        for row in db["sizes"]:
            lat = row["latency_ms"]
            rows.append(
                [
                    db["server_version"],
                    f"{row['size']:,}",
                    f"{lat['p50']:.1f}",
                    f"**{lat['p95']:.1f}**",
                    f"{lat['mean']:.1f}",
                    f"{lat['max']:.1f}",
                    f"{row['routing_ms']['p50']:.1f}",
                    f"{row['routing_ms']['p95']:.1f}",
                    f"{row['queries']['min']}–{row['queries']['max']}",
                    f"{row['candidates']['median']:.0f} / {row['candidates']['max']}",
                    f"{row['seed_seconds']:.0f}",
                    f"{row['load_before'][0]:.2f} → {row['load_after'][0]:.2f}",
                ]
            )
    verdicts = []
    for db in results["databases"]:
        word, ratio = verdict(db)
        largest = max(db["sizes"], key=lambda row: row["size"])
        ratio_text = f"p95 {max(args.sizes):,} / {min(args.sizes):,} = {ratio:.2f}×" if ratio else ""
        routed = largest["routing_ms"]["p95"]
        verdicts.append(
            f"- {db['server_version']}: p95 at {largest['size']:,} is {largest['latency_ms']['p95']:.1f} ms; "
            f"{ratio_text} — target {word}. As routed (one round of offers): p95 {routed:.1f} ms."
        )
        smallest = min(db["sizes"], key=lambda row: row["size"])
        for key, what in (
            ("learned", "With a learned ranker in use ({} trees, the synthetic fit)"),
            ("learned_small", "The same model cut at {} trees (the most that real fits reached)"),
        ):
            if f"{key}_ms" not in largest:
                continue
            high, low = largest[f"{key}_ms"]["p95"], smallest[f"{key}_ms"]["p95"]
            verdicts.append(
                f"  {what.format(largest.get(f'{key}_trees', '?'))}: p95 {high:.1f} ms at {largest['size']:,} "
                f"({high / max(low, 1e-9):.2f}× the {low:.1f} ms at {smallest['size']:,}); as routed p95 "
                f"{largest[f'{key}_routing_ms']['p95']:.1f} ms."
            )
    return "\n".join(
        [
            "## Matching: ranking one ask among many mentors",
            "",
            f"Run {results['started']} at revision `{results['revision']}` (`python bench/matching.py`).",
            "",
            "**Method.** One database per engine is migrated, given the demo skill taxonomy and languages, and "
            f"grown to {', '.join(f'{size:,}' for size in args.sizes)} open mentors with `bulk_create`. Each "
            "mentor offers 1–6 skills (mostly 1–2) drawn from a Zipf distribution (exponent "
            f"{ZIPF_EXPONENT:g}) over the taxonomy, so a handful of skills are offered by tens of thousands "
            "of people and most by a few hundred; levels 1–5 (mostly 3–4); 1–2 languages (Zipf); a weekly "
            "session limit (1–5 or none); 3 % paused; 12 % helped before (1–3 completed asks over the last "
            "year, half with an answered offer), which feeds capacity, load, responsiveness and past help. "
            f"{args.asks} open asks by different mentees, of 1–3 skills drawn from the same distribution "
            "(popular skills are asked about most), a quarter naming a language, 50 of them with a block, "
            "are then each ranked with `routing.candidates.rank_candidates(ask)` — what routing an ask "
            "runs: retrieval of the eligible shortlist from the database, the facts about each shortlisted "
            "candidate, and `openhelp.directory.matching.scorer.rank`. Wall-clock per call in-process "
            f"(`time.perf_counter`), after {WARMUP} unmeasured calls, at each size in turn; percentiles are "
            "nearest-rank. SQL statements per call were counted on 20 of the asks with "
            "`CaptureQueriesContext`. *Candidates* is the number ranked per ask (median / max): the "
            'shortlist keeps at most `ROUTING["SHORTLIST"]` (300) of the strongest skill fits. The '
            "headline columns rank every candidate and word the reasons for each of them (`rank_candidates("
            "ask)`); *as routed* is the same call as `route_ask` makes, `rank_candidates(ask, limit="
            "OFFERS_PER_ROUND)`, measured on the same asks right after it.",
            "",
            f"**Target:** p95 at {max(args.sizes):,} mentors under {TARGET_P95_MS:.0f} ms, and at most "
            f"{TARGET_RATIO:.0f}× the p95 at {min(args.sizes):,}.",
            "",
            "**Machine.** " + "; ".join(f"{k}: {v}" for k, v in results["machine"].items()) + ". The "
            "machine is shared with other work (2 cores); the 1-minute load average before and after each "
            "size is in the table, and anything well above 2 slows every figure.",
            "",
            table(
                [
                    "Database",
                    "Mentors",
                    "p50 ms",
                    "p95 ms",
                    "Mean ms",
                    "Max ms",
                    "As routed p50 ms",
                    "As routed p95 ms",
                    "Queries per call",
                    "Candidates",
                    "Seed s",
                    "Load (1 min) before → after",
                ],
                rows,
            ),
            "",
            "**Verdict.**",
            "",
            *verdicts,
            "",
            *_fit_lines(results.get("learned_fit")),
            "**Reading it.** Retrieval reads the shortlist band by band, strongest fits first: a grouped "
            "count of the offers per skill and level sizes the first band, and only that band's offers are "
            "joined with the per-person rules (open, not paused, active, not an asker, not offered before, "
            "no block, a shared language), grouped and sorted — a few thousand rows at 100,000 mentors "
            "instead of every offer of a popular skill. The facts about the shortlisted people (capacity, "
            "languages, responsiveness, recent and past help) are then read by id, one query each. The "
            "rest of the time is the scorer: building its per-pool index and scoring up to 300 "
            "candidates in Python, plus wording reasons for all of them in the headline columns. The index "
            "`skill_offer_skill_level_idx` on `people_skilloffer (skill_id, level, profile_id)` lets both "
            "the count and the band be read from the index alone.",
            "",
        ]
    )


def _fit_lines(fit: dict | None) -> list[str]:
    if not fit:
        return []
    return [
        f"**Learned ranker fitting** (`bench/matching_learned.py`): {fit['offers']:,} past offers "
        f"({fit['asks']:,} asks of 10 offers, synthetic feature rows, five time-ordered slices) fitted and "
        f"guarded in {fit['seconds']:.1f} s ({fit['rounds']} rounds, one thread; load "
        f"{fit['load_before'][0]:.2f} → {fit['load_after'][0]:.2f}).",
        "",
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["measure"]:
        parser = argparse.ArgumentParser()
        parser.add_argument("out")
        parser.add_argument("--sizes", type=int, nargs="+", required=True)
        parser.add_argument("--asks", type=int, required=True)
        inner = parser.parse_args(argv[1:])
        measure(inner.out, inner.sizes, inner.asks)
        return 0
    args = parse_args(argv)
    results = {
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": git_revision(),
        "machine": machine_facts(),
        "databases": [bench_database(label, url, args) for label, url in targets(args.only)],
    }
    from bench.matching_learned import fit_cost

    results["learned_fit"] = fit_cost()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"matching-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2))
    write_section("matching", render(results, args))
    print(f"Wrote {out.relative_to(ROOT)} and docs/benchmarks.md", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
