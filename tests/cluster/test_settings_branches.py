"""The cluster's settings branches (config/settings.py, "cluster" blocks): each read in a fresh process, since
settings are read once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = """
import json
from config import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "ssc": db.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "prepare": db.get("OPTIONS", {}).get("prepare_threshold", "unset"),
    "health": db.get("CONN_HEALTH_CHECKS"),
    "cache": s.CACHES["default"]["BACKEND"],
    "session": getattr(s, "SESSION_ENGINE", "django.contrib.sessions.backends.db"),
    "tasks": s.TASKS["default"]["BACKEND"],
    "rq": sorted(getattr(s, "RQ_QUEUES", {})),
    "rq_url": getattr(s, "RQ_QUEUES", {}).get("email", {}).get("URL"),
    "apps": "django_rq" in s.INSTALLED_APPS,
}))
"""


def settings_with(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND")}
    base.update(OTH_ENV="test", DEBUG="False", SECRET_KEY="test-only-insecure-key", **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_behind_pgbouncer_no_server_side_cursors_and_no_prepared_statements():
    found = settings_with(DATABASE_URL="postgres://app:pw@127.0.0.1:6440/db", DB_PGBOUNCER="True")
    assert found["ssc"] is True
    assert found["prepare"] is None
    assert found["health"] is True


def test_straight_to_postgresql_keeps_the_defaults():
    found = settings_with(DATABASE_URL="postgres://app:pw@127.0.0.1:5432/db")
    assert found["ssc"] is False
    assert found["prepare"] == "unset"
    assert found["health"] is True


def test_redis_gives_the_resilient_cache_and_cached_sessions():
    found = settings_with(REDIS_URL="redis://127.0.0.1:6390/1")
    assert found["cache"] == "openhelp.platform.lib.cache.ResilientRedisCache"
    assert found["session"] == "django.contrib.sessions.backends.cached_db"
    without = settings_with()
    assert without["cache"].endswith("LocMemCache")
    assert without["session"] == "django.contrib.sessions.backends.db"


def test_the_rq_branch_configures_every_queue_on_the_tasks_redis():
    found = settings_with(
        TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6390/1", TASKS_REDIS_URL="redis://127.0.0.1:6390/2"
    )
    assert found["tasks"] == "django_tasks_rq.RQBackend"
    assert found["rq"] == ["chat", "default", "email"]
    assert found["rq_url"] == "redis://127.0.0.1:6390/2"
    assert found["apps"] is True


def test_the_rq_branch_without_redis_is_refused():
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TASKS_REDIS_URL")}
    base.update(OTH_ENV="test", SECRET_KEY="test-only-insecure-key", TASKS_BACKEND="rq")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )
    assert out.returncode != 0
    assert "TASKS_BACKEND=rq needs TASKS_REDIS_URL or REDIS_URL" in out.stderr
