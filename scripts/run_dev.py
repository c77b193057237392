#!/usr/bin/env python
"""`make run`: the web server and the background worker together, stopped together.

Each child runs in its own process group, so stopping it also stops anything it started (runserver's
autoreloader runs the real server as a grandchild). Ctrl-C or SIGTERM stops both; if either child dies
on its own, the other is stopped too and this script exits non-zero, so a crash is never half-hidden.

`--port`/`--host` (`make run PORT=8001 HOST=…`) choose where it serves, and SITE_URL (the links in
e-mails) follows unless it is set. The log is quiet unless `--verbose` (`VERBOSE=1 make run`): one short
line per request and per e-mail, warnings and errors in full (openhelp/platform/lib/devlog.py). The banner with the address
and the demo logins comes last, once /healthz answers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openhelp.demo.data import (  # noqa: E402
    DEMO_PASSWORD,
    MENTEE_EMAIL,
    MENTOR_EMAIL,
    ORGANISER_EMAIL,
    SITE_ADMIN_EMAIL,
)

STOP_TIMEOUT_SECONDS = 10
READY_TIMEOUT_SECONDS = 60
DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "testserver")  # config/settings.py, outside production
WILDCARD_HOSTS = ("0.0.0.0", "0", "::", "[::]")  # noqa: S104 - names of "every interface", compared only

# What runserver prints on stdout each time it starts (and restarts); the banner says it better.
RUNSERVER_NOISE = re.compile(
    r"^(\s*$|Performing system checks\.\.\.|System check identified no issues|\w+ \d{2}, \d{4} - \d{2}:\d{2}:\d{2}$"
    r"|Django version .*, using settings |Starting development server at |Quit the server with )"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the Open to Help web server and worker.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--noreload", action="store_true", help="Do not restart the server on code changes.")
    parser.add_argument(
        "--verbose", action="store_true", help="The full log: every task, request and start-up message."
    )
    return parser.parse_args(argv)


def browser_host(host: str) -> str:
    """The host a browser on this machine uses to reach a server listening on ``host``."""
    if host in WILDCARD_HOSTS:
        return "127.0.0.1"
    if ":" in host and not host.startswith("["):
        return f"[{host}]"  # IPv6 literal
    return host


def site_url(host: str, port: int) -> str:
    return f"http://{browser_host(host)}:{port}"


def child_environment(args: argparse.Namespace, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of both children: ``environ`` plus what follows from the arguments, never
    overriding a value set explicitly (an empty value counts as unset, as in openhelp/platform/lib/env.py)."""
    env = dict(environ)
    defaults = {
        "SITE_URL": site_url(args.host, args.port),
        "LOG_QUIET": "False" if args.verbose else "True",
        "PYTHONUNBUFFERED": "1",  # log lines appear as they happen, also through a pipe
    }
    host = browser_host(args.host)  # an IPv6 literal in brackets, as Django compares it
    if host not in DEFAULT_ALLOWED_HOSTS:
        defaults["ALLOWED_HOSTS"] = ",".join([*DEFAULT_ALLOWED_HOSTS, host])
    if not args.verbose:
        defaults["DJANGO_RUNSERVER_HIDE_WARNING"] = "true"  # the banner says it is a development server
    for name, value in defaults.items():
        if not env.get(name):
            env[name] = value
    return env


def commands(args: argparse.Namespace) -> dict[str, list[str]]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    web = [*manage, "runserver", f"{args.host}:{args.port}"] + (["--noreload"] if args.noreload else [])
    # Every queue: e-mail has its own queue and must not wait for a second worker in development.
    worker = [*manage, "run_worker", "--queue-name", "*"]
    return {"web server": web, "worker": worker}


def start_children(args: argparse.Namespace, env: dict[str, str]) -> dict[str, subprocess.Popen]:
    children = {}
    for name, command in commands(args).items():
        # Quiet, runserver's start-up text is dropped on the way through (its log lines go to stderr).
        piped = name == "web server" and not args.verbose
        children[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.PIPE if piped else None,
            text=True,
        )
        if piped:
            threading.Thread(target=relay, args=(children[name].stdout, sys.stdout), daemon=True).start()
    return children


def relay(source: IO[str] | None, target: IO[str]) -> None:
    """Copy runserver's stdout, without its start-up text."""
    if source is None:
        return
    for line in source:
        if not RUNSERVER_NOISE.match(line):
            target.write(line)
            target.flush()


def stop_children(children: dict[str, subprocess.Popen]) -> None:
    for proc in children.values():
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for name, proc in children.items():
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in {STOP_TIMEOUT_SECONDS} s; killing it.", flush=True)
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        # The group may still hold a grandchild (the autoreloaded server) after its leader exited.
        _signal_group(proc, signal.SIGKILL)


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass


def health(url: str) -> dict | None:
    """/healthz's answer, or None while the server does not answer."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    try:
        with opener.open(url, timeout=2) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


def wait_until_ready(
    url: str, stop: Callable[[], bool], *, timeout: float = READY_TIMEOUT_SECONDS, pause: float = 0.25
) -> bool:
    """Poll /healthz until the server answers and a worker is alive; False after ``timeout`` or when
    ``stop()`` says to give up (a signal, a child that died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop():
        answer = health(url)
        if answer and answer.get("worker", {}).get("status") == "ok":
            return True
        time.sleep(pause)
    return False


def banner(
    args: argparse.Namespace, env: Mapping[str, str], children: dict[str, subprocess.Popen], ready: bool
) -> str:
    pids = ", ".join(f"{name} pid {proc.pid}" for name, proc in children.items())
    url = f"{site_url(args.host, args.port)}/"
    lines = [
        "",
        f"Open to Help is running at {url}  ({pids})"
        if ready
        else f"Open to Help is starting at {url}  ({pids}); /healthz does not show a live worker yet.",
        f"Demo logins, password “{DEMO_PASSWORD}”:",
        f"  mentee     {MENTEE_EMAIL}",
        f"  mentor     {MENTOR_EMAIL}",
        f"  organiser  {ORGANISER_EMAIL}",
        f"  site admin {SITE_ADMIN_EMAIL}  (company login and SCIM)",
    ]
    if env.get("SITE_URL", "").rstrip("/") != url.rstrip("/"):
        lines.append(f"Links in e-mails use SITE_URL={env.get('SITE_URL')}.")
    if env.get("EMAIL_BACKEND") == "file":
        lines.append(
            f"E-mails are written to {env.get('EMAIL_FILE_PATH') or 'data/mail/'}, one line each here."
        )
    if args.host in WILDCARD_HOSTS:
        lines.append("Listening on every interface: set ALLOWED_HOSTS and SITE_URL to the name others use.")
    if not args.verbose:
        lines.append("Quiet log: VERBOSE=1 make run shows everything.")
    lines += ["Press Ctrl-C to stop the web server and the worker.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = child_environment(args, os.environ)
    received: list[int] = []

    def request_stop(signum, frame) -> None:
        received.append(signum)

    # Handlers first, so a signal that arrives while the children start is not lost.
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    children = start_children(args, env)

    def dead_child() -> str | None:
        return next((name for name, proc in children.items() if proc.poll() is not None), None)

    # The banner comes last, once the server answers, so start-up messages never push it away.
    health_url = f"http://{browser_host(args.host)}:{args.port}/healthz"
    ready = wait_until_ready(health_url, lambda: bool(received) or dead_child() is not None)
    if not received and dead_child() is None:
        print(banner(args, env, children, ready), flush=True)

    died: str | None = None
    while not received and died is None:
        died = dead_child()
        time.sleep(0.2)

    if died:
        code = children[died].returncode
        print(f"The {died} exited (code {code}); stopping everything.", file=sys.stderr, flush=True)
    else:
        print(f"\nReceived {signal.strsignal(received[0])}; stopping.", flush=True)
    stop_children(children)
    return 1 if died else 0


if __name__ == "__main__":
    sys.exit(main())
