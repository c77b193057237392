"""PostgreSQL only: trigram indexes for the directory's free-text search (``?q=``).

The search is ``icontains`` on names, headlines, bios and skill notes, which PostgreSQL runs as
``UPPER(col::text) LIKE UPPER('%…%')``: an unanchored pattern no B-tree can serve. A GIN index with
``gin_trgm_ops`` on exactly that expression can. Creating the pg_trgm extension needs the right to do so
(a trusted extension since PostgreSQL 13, so a database owner may); where it is refused the migration
leaves the indexes out and search still works, only slower. SQLite is left alone.
"""

from django.db import migrations, transaction

INDEXES = [
    ("people_profile", "display_name"),
    ("people_profile", "headline"),
    ("people_profile", "bio"),
    ("people_skilloffer", "note"),
]


def _name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # no right to create it: keep the plain (slower) search
        return
    for table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_name(table, column)}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [("people", "0005_profile_manager")]

    operations = [migrations.RunPython(create, drop)]
