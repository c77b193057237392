"""Re-derive the help-link roll-up from scratch, then recompute the knowledge nodes."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from openhelp.organisers.network import knowledge, rollup


class Command(BaseCommand):
    help = (
        "Rebuild the helper network (help links from sessions, kudos, introductions) and its knowledge nodes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--links-only", action="store_true", help="Skip the knowledge-node recomputation."
        )

    def handle(self, *args, links_only: bool = False, **options):
        rows = rollup.rebuild_help_links()
        self.stdout.write(f"{rows} help links rebuilt, with the cross-team flow roll-up.")
        if not links_only:
            snapshot = knowledge.compute_snapshot()
            self.stdout.write(
                f"Knowledge nodes: {snapshot.people} people, {snapshot.links} links, {snapshot.duration_ms} ms."
            )
