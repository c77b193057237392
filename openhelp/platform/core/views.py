from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from openhelp.platform.core.health import worker_status


def home(request):
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    """Database and worker status for load balancers and humans. 503 when the database is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        database = {"status": "error", "error": exc.__class__.__name__}
    worker = worker_status() if database["status"] == "ok" else {"status": "unknown"}
    healthy = database["status"] == "ok"
    status = "ok" if healthy and worker["status"] == "ok" else ("degraded" if healthy else "error")
    return JsonResponse(
        {"status": status, "database": database, "worker": worker}, status=200 if healthy else 503
    )
