"""A people CSV sets names by the same rule as the profile form (lib.display_names)."""

from __future__ import annotations

import pytest

from openhelp.directory.people.models import Profile
from openhelp.organisers.imports.services import apply_import, preview_import
from tests.imports.conftest import csv_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, named",
    [
        ("Ada\u200bLovelace", "U+200B ZERO WIDTH SPACE"),
        ("Ada\u202eLovelace", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('"Ada\nLovelace"', "the line break (U+000A)"),
        ("Ada\x01", "the control character U+0001"),
    ],
)
def test_it_refuses_an_invisible_character_in_a_name_on_its_line(taxonomy, name, named):
    text = csv_text("fine@example.org,Fine,,,UTC,,,", f"ada@example.org,{name},,,UTC,,,")
    [error] = preview_import(text).errors
    assert (error.line, error.column) == (3, "name")
    assert error.message.startswith("Names cannot contain line breaks, tabs or invisible characters")
    assert named in error.message


def test_it_imports_names_in_their_normal_form_and_then_sees_them_unchanged(taxonomy):
    text = csv_text("ada@example.org,  Ａda   Lovelace ,,,UTC,,,")
    [row] = preview_import(text).rows
    assert "name: Ada Lovelace" in row.changes
    apply_import(text, actor=None)
    assert Profile.objects.get(user__email="ada@example.org").display_name == "Ada Lovelace"
    result = apply_import(text, actor=None)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
