#!/usr/bin/env python
"""`make cluster-faults`: each fault in turn, under a write load on the running cluster (`make cluster`),
each followed by the audit (bench/cluster/audit.py). Results: printed, written to docs/benchmarks.md
(section "cluster-faults") and bench/results/cluster-faults-<timestamp>.json. Exit status 1 when any audit
found something lost or duplicated.

The faults:
  worker-kill   `kill -9` a task worker while it runs a task (caught RUNNING); the supervisor starts it again
  app-kill      `kill -9` one app server (gunicorn and its workers); the supervisor starts it after 5 s
  pg-restart    `pg_ctlcluster … restart` of the cluster's own PostgreSQL
  redis-stop    the cluster's Redis stopped for 8 s: pages with a session, login throttling (fail closed)
  smtp-stop     the SMTP sink stopped for 15 s, then started again

    python bench/cluster/faults.py [--only worker-kill,smtp-stop] [--seconds 30] [--clients 8]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts" / "cluster")]

import cluster  # noqa: E402  (scripts/cluster/cluster.py)
from smtp_sink import read_records  # noqa: E402

BASE = f"http://127.0.0.1:{cluster.HTTP_PORT}"
DRAIN_SECONDS = 240
TOKEN_NAME = "cluster-faults"  # noqa: S105 - the tokens' label, not a secret


# --- set-up -------------------------------------------------------------------------------------


def setup_django() -> None:
    os.environ.update(cluster.app_env(direct_database=True))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def prepare_actors() -> Any:
    """Tokens for 150 people who book and thank, and for the mentors of every offer still open."""
    from django.contrib.auth import get_user_model

    from bench.cluster.workload import Actors
    from openhelp.directory.skills.models import Skill
    from openhelp.help.routing.models import Offer, OfferState
    from openhelp.platform.accounts.models import AccessToken
    from openhelp.platform.lib.clock import now

    user_model = get_user_model()
    people = list(user_model.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[:400])
    AccessToken.objects.filter(name=TOKEN_NAME, revoked_at__isnull=True).update(revoked_at=now())
    tokens: dict[int, str] = {}

    def token_for(user_id: int) -> str:
        if user_id not in tokens:
            raw = AccessToken.generate_key()
            AccessToken.objects.create(
                user_id=user_id, name=TOKEN_NAME, key_hash=AccessToken.hash_key(raw), key_hint=raw[:10]
            )
            tokens[user_id] = raw
        return tokens[user_id]

    mentees = [(pk, token_for(pk)) for pk in people[50:200]]
    offers = [
        (offer_id, token_for(mentor_id))
        for offer_id, mentor_id in Offer.objects.filter(state=OfferState.PENDING, expires_at__gt=now())
        .order_by("pk")
        .values_list("pk", "mentor_id")
    ]
    skills = list(Skill.objects.order_by("pk").values_list("name", flat=True)[:40])
    actors = Actors(mentees=mentees, offers=offers, people=people, skills=skills)
    actors.token_for = token_for  # type: ignore[attr-defined] - the offer feeder makes more as offers appear
    return actors


def feed_offers(driver: Any, since: Any, stop: threading.Event) -> None:
    """Hand the driver, every second, the offers routing made for the asks the load published (with a
    token of each offered expert), so that accepting offers goes on all through the run."""
    from django.db import close_old_connections

    from openhelp.help.routing.models import Offer, OfferState
    from openhelp.platform.lib.clock import now

    seen: set[int] = set()
    while not stop.wait(1):
        try:
            close_old_connections()
            rows = Offer.objects.filter(
                state=OfferState.PENDING, created_at__gte=since, expires_at__gt=now()
            ).values_list("pk", "mentor_id")
            for offer_id, mentor_id in rows:
                if offer_id not in seen:
                    seen.add(offer_id)
                    driver.offers.append((offer_id, driver.actors.token_for(mentor_id)))
        except Exception as error:  # noqa: BLE001 - the database may be restarting; next second
            print(f"   (offer feed: {error.__class__.__name__})", flush=True)


# --- faults ---------------------------------------------------------------------------------------


class Clock:
    """Seconds since the load started (the driver's clock), for marking when a fault began and ended."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self) -> float:
        return time.monotonic() - self.started


def _running_task_of(names: list[str]) -> tuple[str, Any] | None:
    from django.db import close_old_connections
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    close_old_connections()
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "id", "worker_ids", "task_path"
    ):
        last = task.worker_ids[-1] if task.worker_ids else ""
        for name in names:
            if last.startswith(f"cluster-{name}-"):  # scripts/cluster/cluster.py names its workers so
                return name, task
    return None


def fault_worker_kill(clock: Clock, info: dict) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pids = {f"worker{i}": cluster.pid_of(f"worker{i}") for i in range(1, cluster.WORKERS + 1)}
        found = _running_task_of([name for name, pid in pids.items() if pid])
        if found is not None:
            name, task = found
            os.kill(pids[name], signal.SIGKILL)
            info.update(fault_start=clock(), killed=name, task_id=str(task.id), task=task.task_path)
            while cluster.pid_of(name) in (None, pids[name]) and clock() - info["fault_start"] < 30:
                time.sleep(0.1)  # the supervisor starts it again
            info["restarted by the supervisor after seconds"] = round(clock() - info["fault_start"], 1)
            info["fault_end"] = clock()
            return
        time.sleep(0.02)
    info["note"] = "no task was running on a worker for 20 s: nothing killed"


def _haproxy_in_flight(server: str) -> int | None:
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(cluster.RUN / "haproxy.sock"))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return None
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("svname") == server:
            return int(row.get("scur") or 0)
    return None


def fault_app_kill(clock: Clock, info: dict) -> None:
    pid = cluster.pid_of("app2")
    info["in flight at app2 when killed (HAProxy scur)"] = _haproxy_in_flight("app2")
    info["fault_start"] = clock()
    cluster.hold("app2")  # down for 5 s: the other two serve alone
    if pid:
        os.killpg(pid, signal.SIGKILL)
    time.sleep(5)
    cluster.release("app2")  # the supervisor starts it again
    cluster.wait_for_port(cluster.app_port(2))
    info["fault_end"] = clock()


def fault_pg_restart(clock: Clock, info: dict) -> None:
    info["fault_start"] = clock()
    started = time.monotonic()
    cluster.pg_ctl("restart")
    info["restart command seconds"] = round(time.monotonic() - started, 2)
    while cluster.health()[0] != 200 and time.monotonic() - started < 60:
        time.sleep(0.1)
    info["healthy again after seconds"] = round(time.monotonic() - started, 2)
    info["fault_end"] = clock()


def _login(base: str, email: str, password: str) -> tuple[int, str | None, str]:
    """Log in through the real form; (status, session cookie, page text)."""
    with httpx.Client(base_url=base, headers={"X-Forwarded-Proto": "https", "Host": "localhost"}) as client:
        page = client.get("/accounts/login/")
        csrf = page.cookies.get("csrftoken", "")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        response = client.post(
            "/accounts/login/",
            data={
                "login": email,
                "password": password,
                "csrfmiddlewaretoken": match.group(1) if match else "",
            },
            headers={"Cookie": f"csrftoken={csrf}", "Origin": f"http://localhost:{cluster.HTTP_PORT}"},
            follow_redirects=False,
        )
        return response.status_code, response.cookies.get("sessionid"), response.text


def fault_redis_stop(clock: Clock, info: dict) -> None:
    from openhelp.demo.data import DEMO_PASSWORD, MENTEE_EMAIL, MENTOR_EMAIL

    status, session, _ = _login(BASE, MENTEE_EMAIL, DEMO_PASSWORD)
    info["login before the stop"] = status
    info["fault_start"] = clock()
    cluster.hold("redis")
    cluster.stop("redis")
    time.sleep(0.5)
    headers = {"X-Forwarded-Proto": "https", "Host": "localhost", "Cookie": f"sessionid={session}"}
    pages = {}
    for path in ("/", "/people/", "/office-hours/", "/notifications/"):
        try:
            pages[path] = httpx.get(
                BASE + path, headers=headers, follow_redirects=False, timeout=30
            ).status_code
        except httpx.HTTPError as error:
            pages[path] = f"no answer ({error.__class__.__name__})"
    info["pages with a session while Redis is down"] = pages
    status, _, text = _login(BASE, MENTOR_EMAIL, DEMO_PASSWORD)
    refused = status != 302 and "too many" in text.lower()
    info["login while Redis is down"] = f"{status}, " + (
        "refused: too many attempts (fail closed)" if refused else "let in"
    )
    time.sleep(max(0, 8 - (clock() - info["fault_start"])))
    cluster.release("redis")  # the supervisor starts it again
    cluster.wait_for_port(cluster.REDIS_PORT)
    info["fault_end"] = clock()
    status, _, _ = _login(BASE, MENTOR_EMAIL, DEMO_PASSWORD)
    info["login after Redis is back"] = status


def fault_smtp_stop(clock: Clock, info: dict) -> None:
    info["fault_start"] = clock()
    cluster.hold("smtp")
    cluster.stop("smtp")
    time.sleep(15)
    cluster.release("smtp")  # the supervisor starts it again
    cluster.wait_for_port(cluster.SMTP_PORT)
    info["fault_end"] = clock()


FAULTS: dict[str, tuple[str, Callable[[Clock, dict], None]]] = {
    "worker-kill": ("kill -9 a task worker mid-task", fault_worker_kill),
    "app-kill": ("kill -9 one of three app servers", fault_app_kill),
    "pg-restart": ("restart PostgreSQL", fault_pg_restart),
    "redis-stop": ("stop Redis for 8 s", fault_redis_stop),
    "smtp-stop": ("stop the SMTP server for 15 s", fault_smtp_stop),
}


# --- one run --------------------------------------------------------------------------------------


def drain(since: dt.datetime, extra: Callable[[], bool] = lambda: True) -> float:
    """Wait until the window's e-mails are out, every consumer caught up and ``extra()`` holds."""
    from django.db import close_old_connections
    from django.db.models import Max

    from openhelp.platform.notifications.models import Notification
    from openhelp.platform.outbox.delivery import consumers
    from openhelp.platform.outbox.models import ConsumerCursor, Event

    started = time.monotonic()
    while time.monotonic() - started < DRAIN_SECONDS:
        close_old_connections()
        try:
            pending = Notification.objects.filter(
                created_at__gte=since - dt.timedelta(seconds=5),
                email_status__in=[Notification.DeliveryStatus.PENDING, Notification.DeliveryStatus.SENDING],
            ).exists()
            last = Event.objects.aggregate(last=Max("id"))["last"] or 0
            names = [consumer.name for consumer in consumers()]
            behind = ConsumerCursor.objects.filter(name__in=names, last_event_id__lt=last).exists()
            if not pending and not behind and extra():
                return time.monotonic() - started
        except Exception as error:  # noqa: BLE001 - the database may still be coming back
            print(f"   (waiting: {error.__class__.__name__})", flush=True)
        time.sleep(1)
    return time.monotonic() - started


def run_fault(name: str, actors: Any, args: argparse.Namespace) -> dict:
    from django.db import close_old_connections

    from bench.cluster import audit
    from bench.cluster.workload import Driver
    from openhelp.platform.lib.clock import now

    label, inject = FAULTS[name]
    print(f"== {name}: {label} ({args.seconds} s of load, {args.clients} clients)", flush=True)
    close_old_connections()
    since = now()
    driver = Driver(BASE, actors, clients=args.clients, seed=hash(name) % 1000)
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(load=asyncio.run(driver.run(args.seconds))))
    thread.start()
    clock = Clock()
    feeding = threading.Event()
    feeder = threading.Thread(target=feed_offers, args=(driver, since, feeding), daemon=True)
    feeder.start()
    time.sleep(args.fault_after)
    info: dict = {}
    inject(clock, info)
    thread.join()
    feeding.set()
    feeder.join()
    actors.offers = driver.offers  # accepted ones are used up
    load = result["load"]

    def killed_task_done() -> bool:
        if "task_id" not in info:
            return True
        from django_tasks_db.models import DBTaskResult

        # Done, or claimed again by a live worker (a long task still running its second attempt).
        task = DBTaskResult.objects.filter(id=info["task_id"]).first()
        return task is None or task.status in ("SUCCESSFUL", "FAILED") or len(task.worker_ids) > 1

    drained = drain(since, killed_task_done)
    close_old_connections()
    if "task_id" in info:
        from django_tasks_db.models import DBTaskResult

        task = DBTaskResult.objects.get(id=info["task_id"])
        info["killed task, afterwards"] = f"{task.status} after {len(task.worker_ids)} claims"
    checked = audit.run_all(since, sink_records=read_records(cluster.MAIL_LOG), confirmed=load.confirmed)
    start, end = info.get("fault_start", 0) - 2, info.get("fault_end", 0) + 2
    statuses = load.statuses()
    report = {
        "fault": name,
        "label": label,
        "requests": len(load.samples),
        "answers": {f"{a} {s}": n for (a, s), n in sorted(statuses.items())},
        "5xx or no answer": len(load.failures()),
        "of which around the fault (±2 s)": len(load.failures(start=start, end=end)),
        "failures": [
            f"{s.at:.1f} s {s.action} {s.status or 'no answer'} ({s.ms:.0f} ms)" for s in load.failures()
        ][:20],
        "info": {k: v for k, v in info.items()},
        "drained in seconds": round(drained, 1),
        "audit": checked.figures,
        "problems": checked.problems,
    }
    print(json.dumps({k: v for k, v in report.items() if k != "answers"}, indent=2, default=str), flush=True)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="Comma-separated faults (default: all).")
    parser.add_argument("--seconds", type=float, default=30, help="Load per fault.")
    parser.add_argument("--fault-after", type=float, default=8, help="Seconds of load before the fault.")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-docs", action="store_true", help="Do not write docs/benchmarks.md.")
    args = parser.parse_args()
    if cluster.health()[0] != 200:
        raise SystemExit("The cluster does not answer /healthz: run `make cluster` first.")
    setup_django()
    from bench.cluster.report import render
    from bench.report import machine_facts, write_section

    facts = machine_facts()
    actors = prepare_actors()
    names = [n for n in args.only.split(",") if n] or list(FAULTS)
    reports = [run_fault(name, actors, args) for name in names]
    facts["Load average after the run"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results = {
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "people": cluster.PEOPLE,  # CLUSTER_PEOPLE: the size the cluster's database was seeded with
        "machine": facts,
        "faults": reports,
    }
    out = ROOT / "bench" / "results" / f"cluster-faults-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    if not args.no_docs:
        write_section("cluster-faults", render(results, args))
    bad = [r["fault"] for r in reports if r["problems"]]
    print(
        f"Audits: {len(reports) - len(bad)} of {len(reports)} clean"
        + (f"; problems in {', '.join(bad)}" if bad else "")
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
