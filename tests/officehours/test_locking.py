"""lib.locking: one primitive, sorted keys, used inside a transaction, lock waits that end in LockTimeout."""

from __future__ import annotations

import psycopg
import pytest
from django.db import OperationalError, connection

from openhelp.platform.lib import locking
from openhelp.platform.lib.locking import LockTimeout, lock_keys, lock_people, locked_transaction
from openhelp.platform.lib.sql import has_advisory_locks


def test_it_locks_each_person_once_in_one_global_order():
    assert lock_keys([42, 7, 42, None, 7, 1]) == [1, 7, 42]


def test_it_refuses_to_lock_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match="inside a transaction"):
        lock_people([1])


def test_it_turns_a_busy_sqlite_database_into_a_lock_timeout(monkeypatch):
    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(locking.transaction, "atomic", busy)
    with pytest.raises(LockTimeout), locked_transaction(user_ids=[1]):
        pass


def test_other_database_errors_pass_through(monkeypatch):
    def broken(**kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(locking.transaction, "atomic", broken)
    with pytest.raises(OperationalError), locked_transaction(user_ids=[1]):
        pass


@pytest.mark.skipif(not has_advisory_locks(), reason="advisory locks are PostgreSQL's")
def test_a_lock_held_too_long_elsewhere_becomes_a_lock_timeout(db, settings):
    settings.LOCK_TIMEOUT_MS = 200
    params = connection.get_connection_params()
    other = psycopg.connect(
        dbname=params["dbname"], user=params.get("user"), host=params.get("host"), port=params.get("port")
    )
    try:
        other.execute("BEGIN")
        other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [locking.ADVISORY_NAMESPACE, 7])
        with pytest.raises(LockTimeout), locked_transaction(user_ids=[3, 7]):
            pass
        other.execute("ROLLBACK")
        with locked_transaction(user_ids=[3, 7]):  # free again
            pass
    finally:
        other.close()
