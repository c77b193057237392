"""manage.py export_people [--output people.csv]: everyone, in the import format."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from openhelp.organisers.imports.services import export_people_csv


class Command(BaseCommand):
    help = "Export every person as CSV in the format import_people reads."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", "-o", default="", help="Write to this file instead of standard output."
        )

    def handle(self, *args, output: str, **options) -> None:
        text = export_people_csv()
        if output:
            with open(output, "w", encoding="utf-8", newline="") as file:
                file.write(text)
            self.stderr.write(f"Wrote the people CSV to {output}.")
        else:
            self.stdout.write(text, ending="")
