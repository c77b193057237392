"""PostgreSQL-only backstops: exclusion constraints that forbid overlapping time ranges.

Django's ExclusionConstraint cannot sit in a model's Meta here because the same models also run on
SQLite, so migration 0002 adds these with raw SQL on PostgreSQL only (SQLite keeps its unique indexes).
The concurrency tests drop and re-create them for their negative control, through the same functions.
"""

from __future__ import annotations

from openhelp.platform.lib.sql import supports_exclusion_constraints

# name → (table, exclusion elements, WHERE condition)
EXCLUSIONS: dict[str, tuple[str, str, str]] = {
    # A mentor never has two held slots that overlap, across all their blocks and agreed calls.
    "slot_held_never_overlaps": (
        "officehours_slot",
        """mentor_id WITH =, tstzrange("start", "end", '[)') WITH &&""",
        "held",
    ),
    # A mentee never has two confirmed bookings that overlap.
    "booking_mentee_never_overlaps": (
        "officehours_booking",
        """mentee_id WITH =, tstzrange("start", "end", '[)') WITH &&""",
        "state = 'confirmed'",
    ),
}


def create_sql(name: str) -> str:
    table, elements, condition = EXCLUSIONS[name]
    return (
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" EXCLUDE USING gist ({elements}) WHERE ({condition})'
    )


def drop_sql(name: str) -> str:
    table, _, _ = EXCLUSIONS[name]
    return f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"'


def add_exclusions(connection) -> None:
    if not supports_exclusion_constraints(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for name in EXCLUSIONS:
            cursor.execute(create_sql(name))


def drop_exclusions(connection) -> None:
    if not supports_exclusion_constraints(connection):
        return
    with connection.cursor() as cursor:
        for name in EXCLUSIONS:
            cursor.execute(drop_sql(name))
