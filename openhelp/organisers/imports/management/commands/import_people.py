"""manage.py import_people people.csv [--dry-run] [--send-invitations]: the same import as the web UI."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from openhelp.organisers.imports import services
from openhelp.organisers.imports.parsing import FileRejected, decode_csv_bytes
from openhelp.platform.accounts.models import User


class Command(BaseCommand):
    help = "Import people from a CSV file (all or nothing). Exits non-zero, changing nothing, on any error."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The CSV file, or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; change nothing.")
        parser.add_argument(
            "--send-invitations", action="store_true", help="E-mail new people a link to choose a password."
        )
        parser.add_argument("--actor", default="", help="E-mail of the organiser running it (for the log).")

    def handle(self, *args, path: str, dry_run: bool, send_invitations: bool, actor: str, **options) -> None:
        text = self._read(path)
        preview = services.preview_import(text)
        if not preview.is_valid:
            self._fail(preview.errors)
        for row in preview.rows:
            if row.action != "unchanged":
                self.stdout.write(f"line {row.line}: {row.action} {row.email}: {'; '.join(row.changes)}")
        if preview.new_teams:
            self.stdout.write(f"New teams: {', '.join(preview.new_teams)}")
        summary = f"{preview.created} created, {preview.updated} updated, {preview.unchanged} unchanged"
        if dry_run:
            self.stdout.write(f"Dry run, nothing changed: {summary}.")
            return
        by = User.objects.filter(email=actor.lower()).first() if actor else None
        try:
            result = services.apply_import(text, actor=by or "manage.py", send_invitations=send_invitations)
        except services.ImportRejected as rejected:
            self._fail(rejected.errors)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )

    def _read(self, path: str) -> str:
        try:
            data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            return decode_csv_bytes(data)
        except FileRejected as rejected:
            raise CommandError(rejected.error.message) from rejected

    def _fail(self, errors) -> None:
        for error in errors:
            where = f"line {error.line}" if error.line else "file"
            column = f", {error.column}" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.message}")
        raise CommandError(f"{len(errors)} error(s); nothing was changed.")
