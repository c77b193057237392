#!/usr/bin/env python
"""People import: time a 10,000-row CSV through the real services (preview, apply, re-apply, export).

SQLite always (data/bench/imports.sqlite3, re-created); PostgreSQL too when DATABASE_URL points at one
(<name>_imports_bench is dropped and re-created; the database in DATABASE_URL is never touched).
Results go to docs/benchmarks.md (section "imports").

    python bench/imports.py [--people 10000]
    python bench/imports.py child N   (internal: runs inside the benchmark's environment, prints JSON)
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

from bench.databases import recreate  # noqa: E402
from bench.report import ROOT, git_revision, machine_facts, table, write_section  # noqa: E402

BENCH_DIR = ROOT / "data" / "bench"
PYTHON = sys.executable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    facts = machine_facts()
    results = []
    for label, url in targets():
        print(f"== {label}", flush=True)
        recreate(label, url)
        env = {**os.environ, "DATABASE_URL": url, "OTH_ENV": "test", "DEBUG": "False"}
        env.setdefault("SECRET_KEY", "bench-only-insecure-key")
        subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        out = subprocess.run(
            [PYTHON, __file__, "child", str(args.people)], cwd=ROOT, env=env, check=True, capture_output=True
        )
        results.append({"database": label, **json.loads(out.stdout)})
        print(json.dumps(results[-1], indent=2), flush=True)
    write_section("imports", render(results, facts, args.people))
    print("Wrote docs/benchmarks.md (section imports)")
    return 0


def targets() -> list[tuple[str, str]]:
    found = [("SQLite", f"sqlite:///{BENCH_DIR / 'imports.sqlite3'}")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = (parts.path.lstrip("/") or "postgres") + "_imports_bench"
        found.append(("PostgreSQL", urlunsplit(parts._replace(path=f"/{name}"))))
    return found


def child(people: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openhelp.directory.skills.models import Skill, SkillAlias
    from openhelp.organisers.imports.services import apply_import, export_people_csv, preview_import

    skills = [Skill.objects.create(name=f"Skill {i}") for i in range(40)]
    for skill in skills:
        SkillAlias.objects.create(skill=skill, name=f"{skill.name} alias")
    header = "email,name,team,manager_email,timezone,languages,skills_offered,skills_wanted"

    def row(i: int, level_shift: int) -> str:
        manager = f"person{i // 10 * 10}@example.org" if i % 10 else ""
        offered = f"Skill {i % 40}:{1 + (i + level_shift) % 5};Skill {(i + 7) % 40} alias:3"
        return (
            f"person{i}@example.org,Person {i},Team {i % 25},{manager},Europe/Berlin,en;de,"
            f"{offered},Skill {(i + 13) % 40}"
        )

    first = "\n".join([header, *(row(i, 0) for i in range(people))]) + "\n"
    second = "\n".join([header, *(row(i, 1) for i in range(people))]) + "\n"

    def timed(action):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            value = action()
            elapsed = time.perf_counter() - started
        return value, {"seconds": round(elapsed, 2), "queries": len(ctx.captured_queries)}

    steps = {}
    preview, steps["Preview (all new)"] = timed(lambda: preview_import(first))
    assert preview.created == people, preview.errors[:3]
    result, steps["Apply (create all)"] = timed(lambda: apply_import(first, actor=None))
    assert result.created == people
    result, steps["Apply the same file again (no change)"] = timed(lambda: apply_import(first, actor=None))
    assert result.unchanged == people
    result, steps["Apply (update every level)"] = timed(lambda: apply_import(second, actor=None))
    assert result.updated == people
    exported, steps["Export"] = timed(export_people_csv)
    preview, steps["Preview the export (round trip)"] = timed(lambda: preview_import(exported))
    assert preview.unchanged == people, preview.errors[:3]
    return {"people": people, "bytes": len(first.encode()), "steps": steps}


def render(results: list[dict], facts: dict, people: int) -> str:
    lines = [
        f"## People import ({people:,} rows)",
        "",
        "`python bench/imports.py`: the real services, in one process, on a fresh database with a 40-skill "
        "taxonomy; each row has a team, a manager, two languages, two offered skills (one by alias) and one "
        f"wanted skill. Revision {git_revision()}.",
        "",
    ]
    for result in results:
        lines += [f"### {result['database']} ({result['bytes'] / 1024 / 1024:.1f} MB file)", ""]
        rows = [[step, f"{v['seconds']:.2f} s", str(v["queries"])] for step, v in result["steps"].items()]
        lines += [table(["Step", "Time", "Queries"], rows), ""]
    lines += ["Machine: " + "; ".join(f"{k} {v}" for k, v in facts.items())]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "child":
        print(json.dumps(child(int(sys.argv[2]))))
        sys.exit(0)
    sys.exit(main())
