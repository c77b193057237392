"""`make run` (scripts/run_dev.py): web server and worker start together and stop together."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.harness.database import migrated_sqlite_file

ROOT = Path(__file__).resolve().parent.parent.parent
STARTUP_DEADLINE_SECONDS = 90

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def migrated_database() -> Path:
    """A migrated SQLite file, cached across runs (tests/harness/database.py); each test runs on a copy."""
    return migrated_sqlite_file()


@pytest.fixture
def dev_env(migrated_database, tmp_path) -> dict[str, str]:
    """A development environment on its own migrated SQLite file, as `make run` prepares it."""
    path = tmp_path / "dev.sqlite3"
    shutil.copyfile(migrated_database, path)
    return _environment(path)


def _environment(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DATABASE_", "DJANGO_"))}
    env.update(
        OTH_ENV="development",
        DEBUG="True",
        SECRET_KEY="dev-only-insecure-key",
        DATABASE_URL=f"sqlite:///{database}",
        EMAIL_BACKEND="console",
        PYTHONUNBUFFERED="1",
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(env: dict[str, str], log: Path, port: int) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "scripts/run_dev.py", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _child_pids(log: Path, runner: subprocess.Popen) -> dict[str, int]:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline and runner.poll() is None:
        found = dict(re.findall(r"(web server|worker) pid (\d+)", log.read_text()))
        if len(found) == 2:
            return {name: int(pid) for name, pid in found.items()}
        time.sleep(0.1)
    raise AssertionError(f"run_dev.py never reported its children:\n{log.read_text()}")


def _wait_until_healthy(port: int, runner: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    last: object = None
    while time.monotonic() < deadline and runner.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                last = json.loads(response.read())
                if last["worker"]["status"] == "ok":
                    return last
        except OSError as exc:  # not listening yet
            last = exc
        time.sleep(0.25)
    raise AssertionError(f"/healthz never reported a live worker (last: {last!r}):\n{log.read_text()}")


def _live_processes_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies waiting to be reaped count as gone)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


def _stop(runner: subprocess.Popen) -> None:
    if runner.poll() is None:
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=30)


def test_it_runs_the_server_and_worker_and_stops_both_on_ctrl_c(dev_env, tmp_path):
    port, log = _free_port(), tmp_path / "run_dev.log"
    runner = _start(dev_env, log, port)
    try:
        children = _child_pids(log, runner)
        health = _wait_until_healthy(port, runner, log)
        assert health["status"] == "ok"
        text = log.read_text()
        assert "mentor@demo.opentohelp.org" in text
        assert f"running at http://127.0.0.1:{port}/" in text
        # Quiet: the banner is not buried under start-up text, two lines per task or health checks.
        for noise in ("Starting development server", "Watching for file changes", "Task id=", "/healthz"):
            assert noise not in text, text

        runner.send_signal(signal.SIGINT)
        assert runner.wait(timeout=30) == 0, log.read_text()
    finally:
        _stop(runner)
    for name, pid in children.items():
        assert _live_processes_in_group(pid) == [], f"the {name} (group {pid}) is still running"
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)


def test_it_stops_the_server_and_fails_when_the_worker_dies(dev_env, tmp_path):
    port, log = _free_port(), tmp_path / "run_dev.log"
    runner = _start(dev_env, log, port)
    try:
        children = _child_pids(log, runner)
        _wait_until_healthy(port, runner, log)

        os.killpg(children["worker"], signal.SIGKILL)
        assert runner.wait(timeout=30) != 0
    finally:
        _stop(runner)
    assert "worker exited" in log.read_text()
    assert _live_processes_in_group(children["web server"]) == []
