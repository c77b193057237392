"""Plumbing: health endpoint, configuration that fails closed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # A production start-up sees none of the test run's own variables (the browser harness sets
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright's event loop, which the deploy check rightly refuses).
    dropped = {"DEBUG", "SECRET_KEY", "OTH_ENV", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PROD = {
    "OTH_ENV": "production",
    "SECRET_KEY": "k" * 20 + "q7#Zp0x!vLr9@tQw2^sN8&yB5uF1eH3jC6mA4",
    "ALLOWED_HOSTS": "help.example.org",
    "SITE_URL": "https://help.example.org",
}


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY"),
        ({"DEBUG": "True"}, "DEBUG must be False"),
        ({"DEBUG": "yes"}, "DEBUG must be True or False"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA"),
    ],
)
def test_it_refuses_to_start_production_with_unsafe_settings(overrides, message):
    result = _check({**PROD, **overrides})
    assert result.returncode != 0
    assert message in result.stderr


def test_it_passes_the_deploy_check_with_production_settings():
    result = _check(PROD, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_it_reports_database_and_worker_health(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["status"] == "ok"
    assert body["worker"]["status"] == "down"  # no worker process in this test


def test_it_reports_a_live_worker_from_its_heartbeat(client, db):
    from openhelp.platform.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(worker_id="w1")
    body = client.get("/healthz").json()
    assert body["worker"]["status"] == "ok"
    assert body["status"] == "ok"
