"""Every way a file can be wrong: a specific reason, the right line and column, and nothing changed."""

from __future__ import annotations

import codecs

import pytest

from openhelp.organisers.imports import parsing
from openhelp.organisers.imports.parsing import FileRejected, decode_csv_bytes
from openhelp.organisers.imports.services import ImportRejected, apply_import, preview_import
from openhelp.platform.accounts.models import User
from tests.imports.conftest import ADA, GRACE, csv_text

pytestmark = pytest.mark.django_db


def errors_of(text: str) -> list[tuple[int | None, str, str]]:
    return [(e.line, e.column, e.message) for e in preview_import(text).errors]


def only_error(text: str) -> tuple[int | None, str, str]:
    errors = errors_of(text)
    assert len(errors) == 1, errors
    return errors[0]


def test_it_rejects_an_empty_file(taxonomy):
    assert "empty" in only_error("")[2]
    assert "empty" in only_error(" \n\n")[2]


def test_it_rejects_a_header_without_rows(taxonomy):
    assert "no people" in only_error(csv_text())[2]


def test_it_rejects_a_file_whose_first_line_is_not_the_header(taxonomy):
    line, _, message = only_error(ADA + "\n" + GRACE + "\n")
    assert line == 1
    assert "Unknown columns" in message


def test_it_names_the_missing_required_column(taxonomy):
    line, _, message = only_error(csv_text("ada@example.org", header="email"))
    assert line == 1
    assert "no name column" in message


def test_it_explains_semicolon_separated_files(taxonomy):
    assert "commas, not semicolons" in only_error("email;name\nada@example.org;Ada\n")[2]


def test_it_rejects_a_repeated_column(taxonomy):
    assert "appears twice" in only_error(csv_text("a@example.org,A,B", header="email,name,name"))[2]


def test_it_accepts_a_byte_order_mark_and_crlf_line_ends(taxonomy):
    data = codecs.BOM_UTF8 + csv_text(ADA, GRACE).replace("\n", "\r\n").encode()
    preview = preview_import(decode_csv_bytes(data))
    assert preview.errors == []
    assert [row.line for row in preview.rows] == [2, 3]


def test_it_rejects_text_that_is_not_utf8_naming_the_line():
    data = csv_text(ADA, "zoe@example.org,Zoë").encode("latin-1")
    with pytest.raises(FileRejected, match="Line 3 is not valid UTF-8") as caught:
        decode_csv_bytes(data)
    assert caught.value.error.line == 3


def test_it_rejects_utf16():
    with pytest.raises(FileRejected, match="UTF-16"):
        decode_csv_bytes(csv_text(ADA).encode("utf-16"))


def test_it_rejects_a_file_over_the_size_cap(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_BYTES", 100)
    with pytest.raises(FileRejected, match="limit"):
        decode_csv_bytes(b"x" * 101)


def test_it_rejects_a_file_over_the_row_cap(taxonomy, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 3)
    rows = [f"p{i}@example.org,P {i}" for i in range(4)]
    assert "more than 3 people" in only_error(csv_text(*rows, header="email,name"))[2]
    assert errors_of(csv_text(*rows[:3], header="email,name")) == []


def test_it_reports_row_errors_with_their_line_and_column(taxonomy):
    text = csv_text(
        "fine@example.org,Fine,,,UTC,,,",  # line 2
        "not-an-email,Bad Mail,,,UTC,,,",  # 3
        "nameless@example.org,,,,UTC,,,",  # 4
        "zone@example.org,Zone,,,Mars/Olympus,,,",  # 5
        "lang@example.org,Lang,,,UTC,xx,,",  # 6
        "skill@example.org,Skill,,,UTC,,Cobol:3,",  # 7
        "level@example.org,Level,,,UTC,,Python:9,",  # 8
        "nolevel@example.org,No Level,,,UTC,,Python,",  # 9
        "wanted@example.org,Wanted,,,UTC,,,Basket weaving",  # 10
        "boss@example.org,Boss,,nobody@example.org,UTC,,,",  # 11
        "self@example.org,Self,,self@example.org,UTC,,,",  # 12
        "twice@example.org,Twice,,,UTC,,Postgres:2;PostgreSQL:3,",  # 13
    )
    got = {(line, column) for line, column, _ in errors_of(text)}
    assert got == {
        (3, "email"),
        (4, "name"),
        (5, "timezone"),
        (6, "languages"),
        (7, "skills_offered"),
        (8, "skills_offered"),
        (9, "skills_offered"),
        (10, "skills_wanted"),
        (11, "manager_email"),
        (12, "manager_email"),
        (13, "skills_offered"),
    }
    messages = {line: message for line, _, message in errors_of(text)}
    assert "“Cobol” is not a skill" in messages[7]
    assert "“Basket weaving” is not a skill" in messages[10]
    assert "1 to 5" in messages[8]
    assert "needs a level" in messages[9]
    assert "nobody@example.org" in messages[11]
    assert "listed twice (as PostgreSQL)" in messages[13]
    assert "Mars/Olympus" in messages[5]


def test_it_reports_duplicate_emails_with_both_lines(taxonomy):
    text = csv_text(
        "ada@example.org,Ada", "grace@example.org,Grace", "", "ADA@example.org,Ada Again", header="email,name"
    )
    line, column, message = only_error(text)
    assert (line, column) == (5, "email")  # the blank line 4 still counts
    assert "lines 2 and 5" in message


def test_it_counts_lines_inside_quoted_multiline_cells(taxonomy):
    text = csv_text('ada@example.org,"Ada\nLovelace"', "bad,Bad", header="email,name")
    # A line break is no part of a name (lib.display_names), but the next row is still on line 4.
    assert [error[:2] for error in errors_of(text)] == [(2, "name"), (4, "email")]


def test_it_rejects_a_row_with_more_cells_than_the_header(taxonomy):
    line, _, message = only_error(csv_text("ada@example.org,Ada,Data,extra", header="email,name,team"))
    assert line == 2
    assert "4 cells" in message


def test_a_file_with_one_bad_row_changes_nothing(taxonomy):
    text = csv_text(ADA, GRACE, "broken@example.org,Broken,,,Nowhere/Place,,,")
    before = User.objects.count()
    with pytest.raises(ImportRejected) as caught:
        apply_import(text, actor=None)
    assert [(e.line, e.column) for e in caught.value.errors] == [(4, "timezone")]
    assert User.objects.count() == before
    assert not User.objects.filter(email="ada@example.org").exists()


@pytest.mark.parametrize("value", ["=1+1", "+49 30", "-x", "@here", "'=quoted", "''=twice", "plain", "it's"])
def test_formula_escaping_round_trips(value):
    escaped = parsing.escape_cell(value)
    assert not escaped.startswith(parsing.FORMULA_STARTS)
    assert parsing.unescape_cell(escaped) == value


def test_a_row_with_a_bad_address_still_has_its_other_cells_checked(taxonomy):
    """One preview lists every error of the file: fixing the address must not reveal the next error."""
    text = csv_text(
        "bob@example,Bob,,nobody@example.org,Mars/Base,xx,Python:9;Nosuchskill:2,Unknownskill",
    )
    assert errors_of(text) == [
        (2, "email", "“bob@example” is not a valid e-mail address."),
        (2, "languages", "“xx” is not a known language; use a code such as en or pt-BR, or its name."),
        (
            2,
            "manager_email",
            "The manager nobody@example.org is neither in this file nor an existing person.",
        ),
        (2, "skills_offered", "“Python:9”: the level must be a whole number from 1 to 5."),
        (
            2,
            "skills_offered",
            "“Nosuchskill” is not a skill in the taxonomy (nor an alias of one). Add it there first.",
        ),
        (
            2,
            "skills_wanted",
            "“Unknownskill” is not a skill in the taxonomy (nor an alias of one). Add it there first.",
        ),
        (2, "timezone", "“Mars/Base” is not a known time zone. Use an IANA name such as Europe/Berlin."),
    ]
    assert not User.objects.filter(email="bob@example").exists()
