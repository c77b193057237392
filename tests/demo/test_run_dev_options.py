"""`make run PORT=… HOST=…` and its quiet log: run_dev.py's arguments and environment, the LOG_QUIET
logging configuration (openhelp/platform/lib/devlog.py) and the file e-mail backend that logs one line per e-mail."""

from __future__ import annotations

import importlib.util
import logging
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import send_mail

from openhelp.platform.lib.devlog import QuietFilter, QuietFormatter

ROOT = Path(__file__).resolve().parent.parent.parent


def _load_run_dev():
    spec = importlib.util.spec_from_file_location("run_dev", ROOT / "scripts" / "run_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_dev = _load_run_dev()


def _environment(argv: list[str], environ: dict[str, str] | None = None) -> dict[str, str]:
    return run_dev.child_environment(run_dev.parse_args(argv), environ or {})


def test_the_port_chooses_the_server_address_and_the_site_url():
    args = run_dev.parse_args(["--port", "8001"])

    assert run_dev.commands(args)["web server"][-1] == "127.0.0.1:8001"
    assert _environment(["--port", "8001"])["SITE_URL"] == "http://127.0.0.1:8001"


def test_the_defaults_are_port_8000_on_the_loopback_address():
    args = run_dev.parse_args([])

    assert run_dev.commands(args)["web server"][-1] == "127.0.0.1:8000"
    env = _environment([])
    assert env["SITE_URL"] == "http://127.0.0.1:8000"
    assert "ALLOWED_HOSTS" not in env


def test_a_site_url_set_explicitly_is_kept_and_an_empty_one_is_not():
    assert _environment(["--port", "8001"], {"SITE_URL": "https://help.example.org"})["SITE_URL"] == (
        "https://help.example.org"
    )
    assert _environment(["--port", "8001"], {"SITE_URL": ""})["SITE_URL"] == "http://127.0.0.1:8001"


@pytest.mark.parametrize(
    ("host", "site_url", "allowed_hosts"),
    [
        ("localhost", "http://localhost:8002", None),
        ("0.0.0.0", "http://127.0.0.1:8002", None),  # noqa: S104 - every interface, reached on loopback
        ("192.168.1.20", "http://192.168.1.20:8002", "127.0.0.1,localhost,testserver,192.168.1.20"),
        ("::1", "http://[::1]:8002", "127.0.0.1,localhost,testserver,[::1]"),
    ],
)
def test_the_host_chooses_the_address_the_site_url_and_the_allowed_hosts(host, site_url, allowed_hosts):
    args = run_dev.parse_args(["--host", host, "--port", "8002"])
    env = run_dev.child_environment(args, {})

    assert run_dev.commands(args)["web server"][-1] == f"{host}:8002"
    assert env["SITE_URL"] == site_url
    assert env.get("ALLOWED_HOSTS") == allowed_hosts


def test_allowed_hosts_set_explicitly_are_kept():
    env = _environment(["--host", "192.168.1.20"], {"ALLOWED_HOSTS": "dev.example.org"})

    assert env["ALLOWED_HOSTS"] == "dev.example.org"


def test_the_log_is_quiet_unless_verbose():
    quiet, verbose = _environment([]), _environment(["--verbose"])

    assert quiet["LOG_QUIET"] == "True"
    assert quiet["DJANGO_RUNSERVER_HIDE_WARNING"] == "true"
    assert verbose["LOG_QUIET"] == "False"
    assert "DJANGO_RUNSERVER_HIDE_WARNING" not in verbose


def test_runserver_start_up_text_is_dropped_and_the_rest_passed_on(tmp_path):
    source = tmp_path / "stdout.txt"
    source.write_text(
        "Performing system checks...\n\nSystem check identified no issues (0 silenced).\n"
        "December 06, 2026 - 04:14:04\nDjango version 5.2.19, using settings 'config.settings'\n"
        "Starting development server at http://127.0.0.1:8001/\nQuit the server with CONTROL-C.\n"
        "Something else\n"
    )
    target = tmp_path / "out.txt"
    with source.open() as read, target.open("w") as write:
        run_dev.relay(read, write)

    assert target.read_text() == "Something else\n"


def test_the_banner_names_the_address_and_the_logins():
    args = run_dev.parse_args(["--port", "8001"])
    env = run_dev.child_environment(args, {"EMAIL_BACKEND": "file"})
    text = run_dev.banner(args, env, {}, ready=True)

    assert "running at http://127.0.0.1:8001/" in text
    assert "mentee@demo.opentohelp.org" in text
    assert "admin@demo.opentohelp.org" in text  # company login and SCIM can be tried
    assert "E-mails are written to data/mail/" in text
    assert "Links in e-mails" not in text  # they follow the port
    elsewhere = run_dev.banner(args, {**env, "SITE_URL": "https://help.example.org"}, {}, ready=True)
    assert "Links in e-mails use SITE_URL=https://help.example.org" in elsewhere


def test_waiting_for_the_server_gives_up_when_told_to():
    assert run_dev.wait_until_ready("http://127.0.0.1:9/healthz", lambda: True, timeout=5) is False


# --- LOG_QUIET (config/settings.py, openhelp/platform/lib/devlog.py) ----------------------------------------------------


def _settings(monkeypatch, **env: str) -> dict:
    for name, value in {"OTH_ENV": "development", "DEBUG": "True", "SECRET_KEY": "dev", **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))


def test_quiet_logging_is_configured_only_when_asked(monkeypatch):
    monkeypatch.delenv("LOG_QUIET", raising=False)
    assert _settings(monkeypatch)["LOGGING"]["handlers"]["console"]["filters"] == ["redact"]

    logging_config = _settings(monkeypatch, LOG_QUIET="True")["LOGGING"]
    assert logging_config["handlers"]["console"]["filters"] == ["redact", "quiet"]
    assert logging_config["handlers"]["console"]["formatter"] == "quiet"
    assert logging_config["loggers"]["django.server"]["handlers"] == ["console"]


def _record(name: str, level: int, msg: str, *args) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args or None, None)


def test_the_quiet_filter_drops_routine_lines_and_keeps_problems():
    keep = QuietFilter().filter
    server = '"%s" %s %s'

    assert not keep(
        _record("django_tasks", logging.INFO, "Task id=%s path=%s state=%s", "1", "a.b", "RUNNING")
    )
    assert not keep(
        _record("django_tasks_db", logging.INFO, "Starting worker worker_id=%s queues=%s", "x", "*")
    )
    assert not keep(
        _record("django.utils.autoreload", logging.INFO, "Watching for file changes with StatReloader")
    )
    assert not keep(
        _record("django.server", logging.INFO, server, "GET /static/css/app.css HTTP/1.1", "200", "12")
    )
    assert not keep(_record("django.server", logging.INFO, server, "GET /healthz HTTP/1.1", "200", "144"))
    assert not keep(_record("django.request", logging.WARNING, "Not Found: /nope"))  # the server line says it

    assert keep(_record("django.server", logging.INFO, server, "GET /asks/ HTTP/1.1", "200", "5120"))
    assert keep(_record("django_tasks", logging.ERROR, "Task id=%s path=%s state=%s", "1", "a.b", "FAILED"))
    assert keep(_record("openhelp.platform.lib.tasks", logging.WARNING, "Task %s failed; retrying", "send"))
    assert keep(
        _record("django.utils.autoreload", logging.INFO, "/srv/openhelp/asks/views.py changed, reloading.")
    )
    assert keep(
        _record("openhelp.platform.lib.devmail", logging.INFO, "mail to %s: %s", "ada@example.org", "Hello")
    )


def test_the_quiet_formatter_writes_short_lines():
    formatter = QuietFormatter()
    request = _record(
        "django.server", logging.INFO, '"%s" %s %s', "GET /asks/?page=2 HTTP/1.1", "200", "5120"
    )
    long_request = _record(
        "django.server", logging.INFO, '"%s" %s %s', f"GET /{'x' * 200} HTTP/1.1", "302", "0"
    )
    warning = _record("openhelp.platform.lib.tasks", logging.WARNING, "Task %s failed; retrying", "send")

    assert formatter.format(request)[9:] == "GET /asks/?page=2 200"
    assert len(formatter.format(long_request)) < 100
    assert formatter.format(warning)[9:] == "WARNING Task send failed; retrying"


def test_a_quiet_worker_and_server_log_one_short_line_each(tmp_path):
    """The real configuration, as `make run` loads it (a separate process: logging is global)."""
    code = (
        "import logging, django; django.setup();"
        "logging.getLogger('django_tasks').info('Task id=1 path=a.b state=RUNNING');"
        "logging.getLogger('django.server').info('\"%s\" %s %s', 'GET /asks/ HTTP/1.1', '200', '99');"
        "logging.getLogger('django.server').warning('\"%s\" %s %s', 'GET /nope HTTP/1.1', '404', '9');"
        "logging.getLogger('django.request').warning('Not Found: /nope')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "SQLITE_"))}
    env.update(
        OTH_ENV="development",
        DEBUG="True",
        SECRET_KEY="dev-only-insecure-key",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        LOG_QUIET="True",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = [line[9:] for line in result.stderr.splitlines()]
    assert lines == ["GET /asks/ 200", "GET /nope 404"], result.stderr


# --- EMAIL_BACKEND=file (openhelp/platform/lib/devmail.py) ---------------------------------------------------------------


def test_the_file_backend_writes_each_mail_and_logs_one_line(settings, tmp_path, caplog):
    settings.EMAIL_BACKEND = "openhelp.platform.lib.devmail.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")

    with caplog.at_level(logging.INFO, logger="openhelp.platform.lib.devmail"):
        send_mail("Your ask was accepted", "A long body\n" * 50, None, ["ada@example.org"])

    (written,) = (tmp_path / "mail").iterdir()
    assert "Your ask was accepted" in written.read_text()
    (line,) = [
        record.getMessage() for record in caplog.records if record.name == "openhelp.platform.lib.devmail"
    ]
    assert line.startswith("mail to ada@example.org: Your ask was accepted (")
    assert "A long body" not in line
