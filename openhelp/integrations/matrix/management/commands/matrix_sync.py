"""Run the Matrix bot: one sync step, or (``--loop``) long-poll for ever so commands are answered at once."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from openhelp.integrations.matrix.client import MatrixError
from openhelp.integrations.matrix.sync import describe_error, sync_once

# After a failed sync the loop waits before the next try, twice as long each time up to a minute, so a
# homeserver that is down (or refuses at once) is not asked, and the log not written, thousands of times a second.
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 60.0
NO_BOT_WAIT_SECONDS = 30.0


class Command(BaseCommand):
    help = "Sync the Matrix bot with its homeserver: join invites, answer commands and reactions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=int, default=0, help="Long-poll for up to this many ms (default 0)."
        )
        parser.add_argument("--loop", action="store_true", help="Keep syncing (use with --timeout 30000).")

    def handle(self, *args, timeout: int, loop: bool, **options):
        delay = RETRY_FIRST_SECONDS
        while True:
            try:
                result = sync_once(timeout_ms=timeout)
            except (MatrixError, OSError) as error:
                if not loop:
                    self.stderr.write(f"Matrix sync failed: {describe_error(error)}")
                    raise SystemExit(1) from error
                self.stderr.write(f"Matrix sync failed: {describe_error(error)} Next try in {delay:g} s.")
                time.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)
                continue
            delay = RETRY_FIRST_SECONDS
            if result is None:
                self.stderr.write(
                    "No Matrix bot is configured (or it is switched off): see /integrations/matrix/bot/."
                    + (f" Looking again every {NO_BOT_WAIT_SECONDS:g} s." if loop else "")
                )
                if not loop:
                    return
                # Started before an organiser connected the bot (or while it is off): a supervisor would
                # only start it again and again; wait for the bot instead.
                time.sleep(NO_BOT_WAIT_SECONDS)
                continue
            if not loop:
                self.stdout.write(
                    f"Handled {result.handled} events, replied {result.replied}, joined {result.joined} rooms."
                )
                return
