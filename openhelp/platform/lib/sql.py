"""The one seam for the differences between SQLite and PostgreSQL, and SQL helpers shared by apps.

Code outside this module never asks ``connection.vendor``: it asks for a named capability
(``has_advisory_locks()``, ``supports_exclusion_constraints()``, …) or uses an expression that compiles
per database (``InIds``). Adding a database, or finding every place that differs, means reading this file.
Migrations are the one exception: they stay self-contained and check the vendor themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func

if TYPE_CHECKING:
    from django.db.models.sql.compiler import SQLCompiler

# What a compiled expression is: SQL and its parameters (ids, a JSON text, an array).
Compiled = tuple[str, list[Any]]


def _is_postgresql(connection: BaseDatabaseWrapper | None) -> bool:
    return (connection or default_connection).vendor == "postgresql"


def has_advisory_locks(connection: BaseDatabaseWrapper | None = None) -> bool:
    """Transaction-scoped advisory locks (PostgreSQL). SQLite has none and needs none: its transactions
    open with BEGIN IMMEDIATE (settings), which holds the one write lock for the whole transaction."""
    return _is_postgresql(connection)


def advisory_xact_lock(key: int) -> None:
    """Hold one advisory lock until the surrounding transaction ends; nothing to do on SQLite (see above)."""
    if not has_advisory_locks():
        return
    with default_connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def refresh_statistics() -> None:
    """Fresh planner statistics, as autovacuum or a nightly ANALYZE would give (benchmarks)."""
    with default_connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if _is_postgresql(None) else "ANALYZE")


def supports_exclusion_constraints(connection: BaseDatabaseWrapper | None = None) -> bool:
    """``EXCLUDE USING gist`` constraints (with btree_gist): PostgreSQL forbids overlapping time ranges."""
    return _is_postgresql(connection)


def supports_trigram_indexes(connection: BaseDatabaseWrapper | None = None) -> bool:
    """GIN ``gin_trgm_ops`` indexes for unanchored ``icontains`` search (PostgreSQL with pg_trgm)."""
    return _is_postgresql(connection)


def prefers_plain_joins(connection: BaseDatabaseWrapper | None = None) -> bool:
    """Whether a plain join beats ``IN (subquery)`` for large reads: PostgreSQL hashes the join; SQLite
    walks an index per row faster. Both forms give the same rows; this only chooses the faster one."""
    return _is_postgresql(connection)


class InIds(Func):
    """``column IN (ids)`` with the ids sent as one parameter: a JSON array on SQLite, an array on
    PostgreSQL. The shortlist's facts are read by up to SHORTLIST ids per query, and Django's own
    ``__in`` prepares every id one by one (milliseconds per query at a thousand ids)."""

    output_field = BooleanField()

    def __init__(self, column: str, ids: Iterable[int]) -> None:
        super().__init__(F(column))
        self.ids = [int(pk) for pk in ids]

    # Func.as_sql also takes function/template/arg_joiner; this expression needs none of them.
    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Compiled:
        column, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", []
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Compiled:
        column, params = compiler.compile(self.source_expressions[0])
        # ``column`` is Django's compiled column reference; the ids travel as a bound parameter.
        sql = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        return sql, [*params, json.dumps(self.ids)]

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Compiled:
        column, params = compiler.compile(self.source_expressions[0])
        # One array literal ('{1,2,3}'), cast by the server: psycopg's list dumper costs about 1.4 ms of
        # Python per 2,500 ids, building the literal a quarter of that.
        return f"{column} = ANY(%s::bigint[])", [*params, "{" + ",".join(map(str, self.ids)) + "}"]


def supports_copy(connection: BaseDatabaseWrapper | None = None) -> bool:
    """``COPY … FROM STDIN`` through psycopg (bulk loading: the demo seed of a large organisation) and
    sequences to take primary keys from up front."""
    return _is_postgresql(connection)
