from __future__ import annotations

import datetime as dt

from django.conf import settings

from openhelp.platform.core.models import WorkerHeartbeat
from openhelp.platform.lib.clock import now


def worker_status() -> dict:
    if str(settings.TASKS["default"]["BACKEND"]).endswith("ImmediateBackend"):
        return {"status": "ok", "mode": "immediate"}
    latest = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
    if latest is None:
        return {"status": "down", "detail": "no worker has ever reported"}
    age = (now() - latest.last_seen_at).total_seconds()
    stale = dt.timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS).total_seconds()
    alive = WorkerHeartbeat.objects.filter(last_seen_at__gte=now() - dt.timedelta(seconds=stale)).count()
    return {
        "status": "ok" if age <= stale else "down",
        "workers_alive": alive,
        "last_seen_seconds_ago": round(age, 1),
    }
