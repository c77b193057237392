"""Fill an empty database with the demo organisation (see openhelp/demo/services.py)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from openhelp.demo import data
from openhelp.demo.services import DemoAlreadySeeded, demo_logins, ensure_demo_site_admin, seed_demo
from openhelp.platform.accounts.models import User


class Command(BaseCommand):
    help = (
        "Create a deterministic demo organisation: people, teams, skills, three demo logins and ~10 weeks "
        "(from 1,000 people: also a year, at a steady pace per person) of activity (asks in every state, offers, office hours and bookings, sessions with debriefs, "
        "kudos, endorsements, moments, introductions, library entries, learning goals). "
        "--no-activity seeds the people only. No e-mail is sent while seeding: the only background tasks "
        "queued are pending offers' expiry and reminders for the demo logins' upcoming bookings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=300, help="How many people (default 300).")
        parser.add_argument("--seed", type=int, default=42, help="Same seed, same data (default 42).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has users."
        )
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="Seed people, teams and skills only: no asks, sessions, bookings, kudos …",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed although OTH_ENV=production: only on a throwaway instance, since the demo logins "
            "(an organiser among them) share a published password.",
        )

    def handle(
        self,
        *args,
        people: int,
        seed: int,
        if_empty: bool,
        no_activity: bool = False,
        allow_production: bool = False,
        **options,
    ):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "This is a production configuration (OTH_ENV=production): the demo organisation's logins, "
                f"an organiser among them, all have the published password {data.DEMO_PASSWORD!r}, so anyone "
                "could sign in as them. Seed a throwaway evaluation instance with --allow-production; "
                "load your real people with import_people (README.md, 'Importing and exporting people')."
            )
        # A superuser with a published password decides who signs in as whom: never in production.
        site_admin = not settings.PRODUCTION
        if if_empty and User.objects.exists():
            self.stdout.write("Users already exist; not seeding demo data.")
            if site_admin and ensure_demo_site_admin():
                self.stdout.write(f"Added the demo site administrator, {data.SITE_ADMIN_EMAIL}.")
            return
        if people < 3:
            raise CommandError("--people must be at least 3 (the three demo logins).")
        started = time.monotonic()
        try:
            summary = seed_demo(people=people, seed=seed, activity=not no_activity, site_admin=site_admin)
        except DemoAlreadySeeded as exc:
            raise CommandError(f"{exc} Use a fresh database (or flush) to seed again.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {summary.people} people ({summary.open_to_help} open to help) in {summary.teams} "
                f"teams across {summary.timezones} time zones, {summary.skills} skills in "
                f"{summary.categories} categories, in {time.monotonic() - started:.1f} s."
            )
        )
        if summary.activity is not None:
            self.stdout.write(format_activity(summary.activity))
        self.stdout.write(format_logins(site_admin=site_admin))
        if not site_admin:
            self.stdout.write(
                "No demo site administrator on a production instance (its password is published): make "
                "one with createsuperuser to try company login and SCIM."
            )


def format_activity(activity) -> str:
    asks = ", ".join(f"{count} {state}" for state, count in activity.asks.items())
    bookings = ", ".join(f"{count} {state}" for state, count in activity.bookings.items())
    return "\n".join(
        [
            f"Activity: {activity.total_asks} asks ({asks}); {activity.pending_offers} offers waiting for an answer.",
            f"  {activity.sessions} sessions, {activity.debriefs} debriefs, {activity.library_entries} library "
            f"entries; bookings: {bookings}, {activity.waiting} on a waiting list; office hours in "
            f"{activity.office_hours_zones} time zones.",
            f"  {activity.kudos} kudos, {activity.endorsements} endorsements, {activity.moments} moments, "
            f"{activity.introductions} introductions, {activity.goals} learning goals"
            + (f", {activity.notifications} notifications." if activity.notifications else "."),
            f"  For insights — skill gaps: {', '.join(activity.gap_skills) or 'none'}; over capacity: "
            f"{', '.join(activity.hubs) or 'nobody'}; knowledge nodes: {', '.join(activity.knowledge_nodes) or 'nobody'}.",
        ]
    )


def format_logins(*, site_admin: bool = True) -> str:
    rows = [f"  {role:<10} {email}" for role, email in demo_logins(site_admin=site_admin)]
    return "Demo logins (password: {}):\n{}".format(data.DEMO_PASSWORD, "\n".join(rows))
