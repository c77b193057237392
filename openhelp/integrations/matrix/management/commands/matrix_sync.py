"""Run the Matrix bot: one sync step, or (``--loop``) long-poll for ever so commands are answered at once."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from openhelp.integrations.matrix.client import MatrixError
from openhelp.integrations.matrix.sync import sync_once


class Command(BaseCommand):
    help = "Sync the Matrix bot with its homeserver: join invites, answer commands and reactions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=int, default=0, help="Long-poll for up to this many ms (default 0)."
        )
        parser.add_argument("--loop", action="store_true", help="Keep syncing (use with --timeout 30000).")

    def handle(self, *args, timeout: int, loop: bool, **options):
        while True:
            try:
                result = sync_once(timeout_ms=timeout)
            except (MatrixError, OSError) as error:
                self.stderr.write(f"Matrix sync failed: {error}")
                if not loop:
                    raise SystemExit(1) from error
                continue
            if result is None:
                self.stderr.write(
                    "No Matrix bot is configured (or it is switched off): see /integrations/matrix/bot/."
                )
                return
            if not loop:
                self.stdout.write(
                    f"Handled {result.handled} events, replied {result.replied}, joined {result.joined} rooms."
                )
                return
