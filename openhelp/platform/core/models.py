"""Platform plumbing records."""

from __future__ import annotations

from django.db import models

from openhelp.platform.lib.clock import now


class WorkerHeartbeat(models.Model):
    """Each background worker process writes here while it runs; /healthz reads the freshest beat."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(default=now)
    last_seen_at = models.DateTimeField(default=now, db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} (last seen {self.last_seen_at:%H:%M:%S})"


class PeriodicRun(models.Model):
    """When a periodic housekeeping job (core.periodic) was last enqueued; the row is the claim."""

    name = models.CharField(max_length=80, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} (last run {self.last_run_at or 'never'})"
