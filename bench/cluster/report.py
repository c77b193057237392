"""The cluster fault runs as a section of docs/benchmarks.md ("cluster-faults")."""

from __future__ import annotations

import argparse

from bench.report import table

AUDIT_ROWS = [
    ("Bookings / slots booked", lambda a: f"{a['bookings']} / {a['slots booked']}"),
    ("Over-booked slots", lambda a: str(a["over-booked slots"])),
    ("Notifications (window)", lambda a: str(a["notifications in the window"])),
    ("Notified twice", lambda a: str(a["notified twice (same event, person, key)"])),
    (
        "Workflows without their notification (booking / kudos / offer)",
        lambda a: " / ".join(
            str(a[f"{kind} workflows without their notification"]) for kind in ("booking", "kudos", "offer")
        ),
    ),
    ("E-mails wanted / received", lambda a: f"{a['e-mails wanted']} / {a['e-mails received by the sink']}"),
    ("E-mails sent after more than one attempt", lambda a: str(a.get("sent after more than one attempt", 0))),
    (
        "E-mails never received / received twice",
        lambda a: f"{a['never received']} / {a['received more than once']}",
    ),
    ("Outbox consumers behind", lambda a: f"{a['consumers behind']} of {a['consumers']}"),
    ("Roll-up rows differing from a rebuild", lambda a: str(a["roll-up rows differing from a rebuild"])),
    (
        "2xx writes lost (booking / kudos / offer / ask)",
        lambda a: " / ".join(
            str(a.get(f"{kind} writes lost", 0)) for kind in ("booking", "kudos", "offer", "ask")
        ),
    ),
]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|")


def render(results: dict, args: argparse.Namespace) -> str:
    faults = results["faults"]
    parts = [
        "## Cluster: faults under load, with audits",
        "",
        f"Run {results['started']} by `make cluster-faults` (bench/cluster/faults.py).",
        "",
        '**Topology** (`make cluster`, docs/deployment.md "The tested cluster"): HAProxy → 3 gunicorn app '
        "servers (2 sync workers each) → PgBouncer (transaction pooling) → PostgreSQL 15; Redis (cache, "
        "rate limits, cached sessions); 2 task workers on the database queue; an SMTP sink. All on loopback, "
        f"production settings, on the demo organisation (`seed_demo --people {results.get('people', 2000)}`, "
        "`CLUSTER_PEOPLE`).",
        "",
        f"**Method.** For each fault, {args.clients} concurrent clients drive {args.seconds:.0f} s of writes "
        "through the balancer with personal access tokens (REST API): booking office-hours seats (35 %, a "
        "dozen popular slots contended, Idempotency-Key, retried on no answer or 5xx), kudos (20 %), "
        "writing and publishing asks (7 %), accepting the offers routing made for them (8 %) and reading "
        "notifications, bookings and the kudos feed (30 %). Booking announcements, e-mails and outbox "
        "deliveries run on the task workers. The "
        f"fault starts after {args.fault_after:.0f} s. Then the runner waits for the queue to drain (e-mails "
        "out, outbox consumers caught up) and audits the window (bench/cluster/audit.py). 4xx answers are "
        "refusals (a full slot, an offer already taken, the kudos daily limit) and expected.",
        "",
        "**Machine.** " + "; ".join(f"{k}: {v}" for k, v in results["machine"].items()) + ".",
        "",
        "### What happened",
        "",
        table(
            ["Fault", "Requests", "5xx or no answer (around the fault, ±2 s)", "Observed", "Drained in"],
            [
                [
                    _cell(f["label"]),
                    str(f["requests"]),
                    f"{f['5xx or no answer']} ({f['of which around the fault (±2 s)']})",
                    _cell(
                        "; ".join(
                            f"{k}: {v}" for k, v in f["info"].items() if k not in ("fault_start", "fault_end")
                        )
                        + (
                            f"; failed requests (start time, action): {', '.join(f['failures'])}"
                            if f["failures"]
                            else ""
                        )
                    ),
                    f"{f['drained in seconds']} s",
                ]
                for f in faults
            ],
        ),
        "",
        "### Audits",
        "",
        table(
            ["Check", *[f["fault"] for f in faults]],
            [[label, *[_cell(get(f["audit"])) for f in faults]] for label, get in AUDIT_ROWS],
        ),
        "",
    ]
    parts += [
        "**What the first runs found, and what changed.** (1) A worker killed mid-task left its task RUNNING for "
        "ever (django-tasks-db never looks again): workers now requeue the tasks of a worker whose heartbeat "
        "went stale (openhelp/platform/core/orphans.py). (2) An app server killed between a commit and the "
        "on-commit enqueue of its e-mail left the notification pending with no task: the e-mail reaper now "
        "also queues e-mails never tried after `EMAIL_STUCK_AFTER_SECONDS` (the claim makes a late duplicate "
        "a no-op). (3) A task worker exits when PostgreSQL restarts under it: the cluster's supervisor starts "
        "it again within a second (as systemd's `Restart=always` would). (4) With Redis gone, Django's Redis "
        "cache raised on every request: the cache now degrades (reads miss, writes are dropped) and login "
        "throttling fails closed. (5) During the PostgreSQL restart requests failed with 500 for the seconds "
        "the database was down: they now answer 503 with `Retry-After` (openhelp/platform/core/errors.py), "
        "which clients and balancers retry; nothing committed is lost, and the failed writes were never "
        "acknowledged.",
        "",
    ]
    problems = [f"- {f['fault']}: {p}" for f in faults for p in f["problems"]]
    parts += ["**Problems found:**", "", *problems, ""] if problems else ["Every audit is clean.", ""]
    return "\n".join(parts)
