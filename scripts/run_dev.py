#!/usr/bin/env python
"""`make run`: the web server and the background worker together, stopped together.

Each child runs in its own process group, so stopping it also stops anything it started (runserver's
autoreloader runs the real server as a grandchild). Ctrl-C or SIGTERM stops both; if either child dies
on its own, the other is stopped too and this script exits non-zero, so a crash is never half-hidden.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openhelp.demo.data import DEMO_PASSWORD, MENTEE_EMAIL, MENTOR_EMAIL, ORGANISER_EMAIL  # noqa: E402

STOP_TIMEOUT_SECONDS = 10


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the Open to Help web server and worker.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--noreload", action="store_true", help="Do not restart the server on code changes.")
    return parser.parse_args(argv)


def start_children(args: argparse.Namespace) -> dict[str, subprocess.Popen]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    web = [*manage, "runserver", f"{args.host}:{args.port}"] + (["--noreload"] if args.noreload else [])
    # Every queue: e-mail has its own queue and must not wait for a second worker in development.
    worker = [*manage, "run_worker", "--queue-name", "*"]
    return {
        name: subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        for name, command in (("web server", web), ("worker", worker))
    }


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


def banner(args: argparse.Namespace, children: dict[str, subprocess.Popen]) -> str:
    pids = ", ".join(f"{name} pid {proc.pid}" for name, proc in children.items())
    return "\n".join(
        [
            "",
            f"Open to Help is running at http://{args.host}:{args.port}/  ({pids})",
            f"Demo logins, password “{DEMO_PASSWORD}”:",
            f"  mentee     {MENTEE_EMAIL}",
            f"  mentor     {MENTOR_EMAIL}",
            f"  organiser  {ORGANISER_EMAIL}",
            "Press Ctrl-C to stop the web server and the worker.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    received: list[int] = []

    def request_stop(signum, frame) -> None:
        received.append(signum)

    # Handlers first, so a signal that arrives while the children start is not lost.
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    children = start_children(args)
    print(banner(args, children), flush=True)

    died: str | None = None
    while not received and died is None:
        died = next((name for name, proc in children.items() if proc.poll() is not None), None)
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
