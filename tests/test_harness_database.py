"""The test-database harness (tests/harness/database.py): the template's key, and seeded rows after a flush."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

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
def test_a_truncating_test_puts_the_seeded_rows_back_after_its_flush(request):
    # The hook put the reseeding fixture first, so it is torn down after pytest-django's flush.
    assert request.node.fixturenames[0] == "_reseed_after_truncation"
    languages = sorted(Language.objects.values_list("pk", "code", "name"))
    content_types = sorted(ContentType.objects.values_list("pk", "app_label", "model"))
    assert languages

    call_command("flush", interactive=False, verbosity=0)  # what the end of a truncating test does
    assert not Language.objects.exists()
    database.restore_seeded_rows()

    assert sorted(Language.objects.values_list("pk", "code", "name")) == languages
    assert sorted(ContentType.objects.values_list("pk", "app_label", "model")) == content_types
    # The sequences were moved past the restored ids: a new row gets a fresh one.
    assert Language.objects.create(code="x-test", name="Test").pk > max(pk for pk, _, _ in languages)
