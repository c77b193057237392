"""Fill an empty database with the demo organisation (see demo/services.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo import data
from demo.services import DemoAlreadySeeded, demo_logins, seed_demo


class Command(BaseCommand):
    help = "Create a deterministic demo organisation: people, teams, skills, and three demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=300, help="How many people (default 300).")
        parser.add_argument("--seed", type=int, default=42, help="Same seed, same data (default 42).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has users."
        )

    def handle(self, *args, people: int, seed: int, if_empty: bool, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Users already exist; not seeding demo data.")
            return
        if people < 3:
            raise CommandError("--people must be at least 3 (the three demo logins).")
        started = time.monotonic()
        try:
            summary = seed_demo(people=people, seed=seed)
        except DemoAlreadySeeded as exc:
            raise CommandError(f"{exc} Use a fresh database (or flush) to seed again.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {summary.people} people ({summary.open_to_help} open to help) in {summary.teams} "
                f"teams across {summary.timezones} time zones, {summary.skills} skills in "
                f"{summary.categories} categories, in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(format_logins())


def format_logins() -> str:
    rows = [f"  {role:<10} {email}" for role, email in demo_logins()]
    return "Demo logins (password: {}):\n{}".format(data.DEMO_PASSWORD, "\n".join(rows))
