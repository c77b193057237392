"""Plumbing: health endpoint, configuration that fails closed."""

from __future__ import annotations

import os
import socket
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
    # No SMTP server in the tests: `check --deploy` would rightly say no e-mail can be sent.
    "EMAIL_BACKEND": "locmem",
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


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"SECRET_KEY": ""}, "Production needs SECRET_KEY"),
        ({"SECRET_KEY_FALLBACKS": "dev-only-insecure-key"}, "each key in SECRET_KEY_FALLBACKS"),
        ({"SITE_URL": "help.example.org"}, "SITE_URL must start with http:// or https://"),
        ({"SITE_URL": "https://"}, "SITE_URL has no host name"),
        ({"DATABASE_URL": "postgress://app:hunter2-db@db:5432/oth"}, "it starts with postgress://"),
        ({"DATABASE_URL": "postgres//app:hunter2-db@db/oth"}, "DATABASE_URL must look like postgres://"),
        ({"DATABASE_URL": "postgres://app:hunter2-db@db:54x2/oth"}, "is the port a number?"),
        ({"DATABASE_URL": "mysql://app:hunter2-db@db/oth"}, "it starts with mysql://"),
        ({"REDIS_URL": "redis//127.0.0.1:6379/0"}, "REDIS_URL must start with redis://"),
        ({"REDIS_URL": "redis://:hunter2-db@127.0.0.1:6379/cache"}, "Redis's database number"),
        ({"EMAIL_USE_TLS": "True", "EMAIL_USE_SSL": "True"}, "cannot both be True"),
        ({"EMAIL_PORT": "587a"}, "EMAIL_PORT must be a whole number"),
        ({"DEFAULT_FROM_EMAIL": "noreply"}, "DEFAULT_FROM_EMAIL must be an e-mail address"),
    ],
)
def test_a_wrong_setting_is_one_clear_line_not_a_traceback(overrides, message):
    """What an administrator sees when a variable is wrong: which one and why, never its password."""
    result = _check({**PROD, **overrides})
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: "), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "hunter2" not in result.stderr


def test_implicit_tls_alone_switches_starttls_off_and_takes_port_465():
    from django.conf import settings

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_PORT)",
        ],
        cwd=ROOT,
        env={**os.environ, **PROD, "DJANGO_SETTINGS_MODULE": "config.settings", "EMAIL_USE_SSL": "True"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["False", "True", "465"], result.stderr
    assert (settings.EMAIL_USE_TLS, settings.EMAIL_PORT) == (True, 587)  # the defaults without it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_deploy_check_reports_what_does_not_answer():
    """`check --deploy` reaches what the settings point at: one line each, naming the variable."""
    closed = _free_port()
    result = _check(
        {
            **PROD,
            "ALLOWED_HOSTS": "other.example.org",
            "REDIS_URL": f"redis://:hunter2-redis@127.0.0.1:{closed}/9",
            "EMAIL_BACKEND": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(closed),
            "EMAIL_HOST_PASSWORD": "hunter2-smtp",
        },
        "--deploy",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"(openhelp.E003) Redis in REDIS_URL (127.0.0.1:{closed}) does not answer" in output
    assert f"(openhelp.W001) No e-mail can be sent: the SMTP server 127.0.0.1:{closed}" in output
    assert "(openhelp.W002) SITE_URL's host help.example.org is not in ALLOWED_HOSTS" in output
    assert "hunter2" not in output
    assert "Traceback" not in output


def test_the_deploy_check_reports_a_database_that_does_not_answer():
    closed = _free_port()
    result = _check({**PROD, "DATABASE_URL": f"postgres://app:hunter2-db@127.0.0.1:{closed}/oth"}, "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "(openhelp.E001) The database in DATABASE_URL does not answer" in output
    assert "hunter2" not in output


def test_the_deploy_check_reports_secrets_no_configured_key_opens(db, settings):
    """A backup restored under another SECRET_KEY: named at the check, not as a 500 on some page."""
    from openhelp.integrations.matrix.models import MatrixBot
    from openhelp.platform.core.checks import check_stored_secrets
    from openhelp.platform.lib import secrets

    MatrixBot.objects.create(
        pk=1, homeserver_url="https://matrix.example.org", user_id="@bot:example.org", access_token="syt_x"
    )
    assert check_stored_secrets() == []
    settings.FIELD_ENCRYPTION_KEYS = "another-key-entirely"
    secrets._box.cache_clear()
    problems = check_stored_secrets()
    assert [problem.id for problem in problems] == ["openhelp.E002"]
    assert "1 of 1 in matrix.MatrixBot.access_token" in problems[0].msg
    assert "syt_x" not in problems[0].msg


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


def test_the_app_server_names_a_wrong_setting_in_one_line():
    """gunicorn loads config.wsgi: the same line as manage.py, and exit code 3 (gunicorn stops)."""
    dropped = {"DEBUG", "SECRET_KEY", "OTH_ENV", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={**env, **PROD, "SITE_URL": "http://help.example.org"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert result.stderr == "Configuration error: Production needs SITE_URL to start with https://.\n"


@pytest.mark.parametrize("host", ["10.0.3.7:8000", "127.0.0.1:8024", "help.example.org"])
def test_a_load_balancer_probing_by_address_over_http_gets_the_health(client, db, settings, host):
    """Production settings: only help.example.org is allowed and http is redirected to https. A probe of
    each app server by its own address over http must still read /healthz, not a 400 or a 301."""
    settings.ALLOWED_HOSTS = ["help.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400, "everything else keeps the check"


def test_the_redis_task_queue_starts():
    """TASKS_BACKEND=rq (docs/deployment.md): every process loads every task, and the RQ backend refuses a
    task declared with a priority; the database queue keeps them."""
    result = _check({**PROD, "TASKS_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6379/9"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_database_queue_keeps_the_routing_priority():
    from openhelp.help.routing.tasks import route_ask_task

    assert route_ask_task.priority == 10
