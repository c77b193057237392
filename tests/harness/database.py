"""Test databases: migrate once into a template, clone it per test process, put seeded rows back.

Migrating takes about 50 s on this project and every pytest-xdist worker used to do it on its own. Here:

1. **A template, migrated once and cached.** Its name carries a hash of every migration file of every
   installed app, and of the project modules those migrations import (``openhelp.platform.lib.clock``,
   ``openhelp.help.officehours.db_constraints`` …), so changing any of them builds a new template on the next run and a
   run with nothing changed does not migrate at all. SQLite: a file next to the test database
   (``data/test-template-<hash>.sqlite3``); PostgreSQL: a database ``<test name>_tpl_<hash>``. The first
   worker to arrive builds it under a file lock; the others wait on the lock, then find it built.
   Templates of other hashes are removed when a new one is built. ``--create-db`` rebuilds it.
2. **A clone per worker.** SQLite copies the file; PostgreSQL runs ``CREATE DATABASE … TEMPLATE …``.
   Each session starts from a fresh clone (a second or so), so ``--reuse-db`` only means "keep the clone
   when the run ends".
3. **Only what a truncating test wrote is emptied, and seeded rows are put back.** The data migrations
   seed rows (languages, content types, permissions …). A test that commits (``transaction=True``,
   ``transactional_db``, ``live_server``) must leave an empty database behind, but Django's flush would
   truncate every table and leave no language for the tests after it. ``empty_and_reseed`` replaces that
   flush (tests/conftest.py): it deletes the rows of the tables that have any and writes back the seeded
   rows, read once from the fresh clone as the database itself stores them, so the order of tests cannot
   matter.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

PROJECT_ROOT = Path(settings.BASE_DIR).resolve()


# --- The template's key ------------------------------------------------------------------------


def _project_modules_imported_by(path: Path) -> set[Path]:
    """The project's own source files a migration imports (its RunPython code may call them)."""
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            with contextlib.suppress(ImportError, ValueError):
                spec = importlib.util.find_spec(name)
                origin = Path(spec.origin).resolve() if spec and spec.has_location and spec.origin else None
                if origin and origin.is_relative_to(PROJECT_ROOT) and ".venv" not in origin.parts:
                    found.add(origin)
    return found


def schema_sources() -> list[Path]:
    """Every file whose change can change a migrated database, in a stable order."""
    sources: set[Path] = set()
    for app_config in apps.get_app_configs():
        folder = Path(app_config.path) / "migrations"
        for path in folder.glob("*.py"):
            sources.add(path.resolve())
            if path.resolve().is_relative_to(PROJECT_ROOT):
                sources |= _project_modules_imported_by(path)
    return sorted(sources)


def template_key(vendor: str) -> str:
    digest = hashlib.sha256(f"{vendor}\n".encode())
    for path in schema_sources():
        digest.update(str(path.relative_to(path.anchor)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


# --- Engines -----------------------------------------------------------------------------------


def _lock_path(name: str) -> Path:
    return (
        Path(tempfile.gettempdir())
        / f"oth-test-template-{hashlib.sha256(name.encode()).hexdigest()[:16]}.lock"
    )


@contextlib.contextmanager
def _exclusive(name: str) -> Iterator[None]:
    with open(_lock_path(name), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_sqlite(name: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(name + suffix).unlink(missing_ok=True)


class _SQLite:
    """Databases are files: the template is a file, a clone is a copy."""

    def __init__(self, connection: BaseDatabaseWrapper | None, base_name: str, key: str) -> None:
        base = Path(base_name)
        self.template = str(base.with_name(f"{base.stem}-template-{key}{base.suffix or '.sqlite3'}"))
        self.pattern = f"{base.stem}-template-*"
        self.folder = base.parent

    def exists(self, name: str) -> bool:
        return Path(name).exists()

    def drop(self, name: str) -> None:
        _remove_sqlite(name)

    def rename(self, old: str, new: str) -> None:
        Path(old).replace(new)

    def clone(self, template: str, name: str) -> None:
        self.drop(name)
        shutil.copyfile(template, name)

    def stale_templates(self) -> list[str]:
        return [
            str(p) for p in self.folder.glob(self.pattern) if str(p) != self.template and p.suffix != ".lock"
        ]


class _PostgreSQL:
    """``CREATE DATABASE … TEMPLATE …`` copies the template's files, with no SQL replayed."""

    def __init__(self, connection: BaseDatabaseWrapper, base_name: str, key: str) -> None:
        self.connection = connection
        self.template = f"{base_name}_tpl_{key}"
        self.prefix = f"{base_name}_tpl_"

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def exists(self, name: str) -> bool:
        return bool(self._run("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))

    def drop(self, name: str) -> None:
        self._run(f"DROP DATABASE IF EXISTS {self._quote(name)} WITH (FORCE)")

    def rename(self, old: str, new: str) -> None:
        self._run(f"ALTER DATABASE {self._quote(old)} RENAME TO {self._quote(new)}")

    def clone(self, template: str, name: str) -> None:
        self.drop(name)
        self._run(f"CREATE DATABASE {self._quote(name)} TEMPLATE {self._quote(template)}")

    def stale_templates(self) -> list[str]:
        rows = self._run("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (self.prefix,))
        return [name for (name,) in rows if name != self.template]


ENGINES = {"sqlite": _SQLite, "postgresql": _PostgreSQL}


# --- Set-up and tear-down ------------------------------------------------------------------------


@dataclass
class Seed:
    """The rows the migrations left in each model table, as the database stores them."""

    tables: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)
    copies: dict[str, bytes] = field(default_factory=dict)  # PostgreSQL: COPY … TO STDOUT, text format


SEEDS: dict[str, Seed] = {}


def _build_template(connection: BaseDatabaseWrapper, engine, verbosity: int) -> None:
    building = (
        f"{engine.template}_building" if connection.vendor == "postgresql" else engine.template + ".building"
    )
    test_settings = connection.settings_dict["TEST"]
    old_test_name, old_name = test_settings.get("NAME"), connection.settings_dict["NAME"]
    test_settings["NAME"] = building
    try:
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False
        )
    finally:
        connection.close()
        test_settings["NAME"] = old_test_name
        connection.settings_dict["NAME"] = old_name
        settings.DATABASES[connection.alias]["NAME"] = old_name
    engine.rename(building, engine.template)
    for stale in engine.stale_templates():
        with contextlib.suppress(Exception):  # another run may still be cloning an older one
            engine.drop(stale)


def setup_from_template(*, alias: str, worker: str | None, rebuild: bool, verbosity: int) -> tuple[str, str]:
    """Give ``alias`` a fresh clone of the migrated template; return (original name, clone name)."""
    connection = connections[alias]
    clone_name = connection.creation._get_test_db_name()
    base_name = clone_name.removesuffix(f"_{worker}") if worker else clone_name
    engine = ENGINES[connection.vendor](connection, base_name, template_key(connection.vendor))
    with _exclusive(engine.template):
        if rebuild and engine.exists(engine.template):
            engine.drop(engine.template)
        if not engine.exists(engine.template):
            _build_template(connection, engine, verbosity)
        engine.clone(engine.template, clone_name)
    old_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES[alias]["NAME"] = clone_name
    connection.settings_dict["NAME"] = clone_name
    SEEDS[alias] = read_seeded_rows(connection)
    return old_name, clone_name


def teardown_clone(*, alias: str, old_name: str, keep: bool) -> None:
    """Point ``alias`` back at its own name and drop the clone, unless it is to be kept (``--reuse-db``).

    The drop is forced: a thread a test started (a live server, a race) may still hold a connection.
    """
    connection = connections[alias]
    clone_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES[alias]["NAME"] = old_name
    connection.settings_dict["NAME"] = old_name
    if not keep:
        ENGINES[connection.vendor](connection, clone_name, "").drop(clone_name)


# --- Seeded rows -----------------------------------------------------------------------------------


def _model_tables(connection: BaseDatabaseWrapper) -> list[str]:
    # The tables a flush empties: those of models (not django_migrations, not the cache table).
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def read_seeded_rows(connection: BaseDatabaseWrapper) -> Seed:
    seed = Seed()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _model_tables(connection):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from introspection
            rows = cursor.fetchall()
            if not rows:
                continue
            columns = [column[0] for column in cursor.description]
            seed.tables[table] = (columns, rows)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                    seed.copies[table] = b"".join(bytes(chunk) for chunk in copy)
    return seed


# SQLite allows at most 500 terms in one compound SELECT.
_TABLES_PER_QUERY = 400


def non_empty_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """The model tables holding at least one row, found in one query per 400 tables."""
    quote = connection.ops.quote_name
    tables = _model_tables(connection)
    found: list[str] = []
    with connection.cursor() as cursor:
        for start in range(0, len(tables), _TABLES_PER_QUERY):
            chunk = tables[start : start + _TABLES_PER_QUERY]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 - introspected names
                    for table in chunk
                ),
                chunk,
            )
            found += [row[0] for row in cursor.fetchall()]
    return found


def empty_and_reseed(alias: str = "default") -> None:
    """What the end of a truncating test needs, and no more: empty the tables the test wrote to, then put
    the seeded rows back.

    Django's flush truncates every table (about 150; on PostgreSQL each TRUNCATE makes new files, 1–3 s
    a test) and then re-runs post_migrate, which rebuilds content types and permissions that the seeded
    rows bring back anyway. Here only non-empty tables are emptied, with DELETE (foreign keys are deferred
    to the commit, so the order does not matter), and post_migrate is not sent."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    seeded = set(SEEDS[alias].tables) if alias in SEEDS else set()
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        for table in non_empty_tables(connection):
            if table not in seeded:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - names from introspection
    restore_seeded_rows(alias)


def restore_seeded_rows(alias: str = "default") -> None:
    """Put every seeded table back as the migrations left it (after a flush), sequences included."""
    seed = SEEDS.get(alias)
    if not seed or not seed.tables:
        return
    connection = connections[alias]
    quote = connection.ops.quote_name
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        # Foreign keys are deferred to the commit, so the order of the tables does not matter.
        for table in seed.tables:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - names from introspection
        for table, (columns, rows) in seed.tables.items():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(seed.copies[table])
            else:
                marks = ", ".join(["%s"] * len(columns))
                names = ", ".join(quote(column) for column in columns)
                insert = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - introspected
                cursor.executemany(insert, rows)
        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in seed.tables]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


# --- A migrated SQLite file for tests that start the app in another process ---------------------------


def migrated_sqlite_file() -> Path:
    """A migrated SQLite database file to copy (never to open in place), cached like the template.

    It is the SQLite template of the default test database (``data/test-template-<hash>.sqlite3``): a run
    on SQLite has usually built it already; otherwise (a run on PostgreSQL) it is built once here, with
    the same ``migrate --run-syncdb`` that creates a test database, in a separate process.
    """
    engine = _SQLite(None, str(PROJECT_ROOT / "data" / "test.sqlite3"), template_key("sqlite"))
    path = Path(engine.template)
    with _exclusive(engine.template):
        if not path.exists():
            building = path.with_name(path.name + ".building")
            _remove_sqlite(str(building))
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DATABASE_", "DJANGO_"))
            }
            env["DATABASE_URL"] = f"sqlite:///{building}"
            command = [sys.executable, "manage.py", "migrate", "--run-syncdb", "--no-input", "-v0"]
            subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, timeout=300)  # noqa: S603
            building.replace(path)
            for stale in engine.stale_templates():
                _remove_sqlite(stale)
    return path
