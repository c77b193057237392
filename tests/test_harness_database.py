"""The test-database harness (tests/harness/database.py): the template's key, and seeded rows after a flush."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from openhelp.directory.people.models import Language
from tests.harness import database

ROOT = Path(__file__).resolve().parent.parent


def test_the_template_key_covers_every_migration_and_the_code_migrations_import():
    sources = database.schema_sources()
    assert ROOT / "openhelp" / "directory" / "people" / "migrations" / "0004_seed_languages.py" in sources
    assert (
        ROOT / "openhelp" / "help" / "officehours" / "db_constraints.py" in sources
    )  # imported inside a RunPython function
    assert any(".venv" in path.parts and path.parent.name == "migrations" for path in sources)  # Django's own
    assert database.template_key("sqlite") == database.template_key("sqlite")
    assert database.template_key("sqlite") != database.template_key("postgresql")


@pytest.mark.django_db(transaction=True)
def test_the_end_of_a_committing_test_empties_what_it_wrote_and_puts_the_seeded_rows_back():
    from django.test import TransactionTestCase

    from tests.factories import UserFactory

    # tests/conftest.py gives every committing test this teardown instead of Django's flush.
    assert TransactionTestCase._fixture_teardown.__name__ == "_empty_and_reseed"
    languages = sorted(Language.objects.values_list("pk", "code", "name"))
    content_types = sorted(ContentType.objects.values_list("pk", "app_label", "model"))
    assert languages
    UserFactory()  # rows in tables the migrations left empty (users, profiles …)
    Language.objects.filter(pk=languages[0][0]).delete()  # and a seeded row gone
    assert "accounts_user" in database.non_empty_tables(connection)

    database.empty_and_reseed()

    assert set(database.non_empty_tables(connection)) == set(database.SEEDS["default"].tables)
    assert sorted(Language.objects.values_list("pk", "code", "name")) == languages
    assert sorted(ContentType.objects.values_list("pk", "app_label", "model")) == content_types
    # The sequences were moved past the restored ids: a new row gets a fresh one.
    assert Language.objects.create(code="x-test", name="Test").pk > max(pk for pk, _, _ in languages)
