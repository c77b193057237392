"""Rebuild the insights roll-ups from scratch, or refresh only the days marked dirty, or the last N days."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from openhelp.organisers.insights import rollup
from openhelp.platform.lib.clock import now


class Command(BaseCommand):
    help = "Rebuild insights roll-ups (all, --dirty days only, or the last --days N days)."

    def add_arguments(self, parser):
        parser.add_argument("--dirty", action="store_true", help="Only the days events marked dirty.")
        parser.add_argument("--days", type=int, help="Recompute the last N days (a periodic safety net).")

    def handle(self, *args, dirty=False, days=None, **options):
        if dirty:
            self.stdout.write(f"Refreshed {rollup.refresh_dirty()} dirty days.")
        elif days:
            today = now().date()
            rollup.refresh_days(today - dt.timedelta(days=i) for i in range(days))
            self.stdout.write(f"Refreshed the last {days} days.")
        else:
            rollup.rebuild()
            self.stdout.write("Rebuilt every insights roll-up.")
