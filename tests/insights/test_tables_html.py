"""The dashboard's data tables are written in Python (``tables.rows_html``) exactly as the template loop
over every cell wrote them: same localised, escaped text, the first cell of a row as its header."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from openhelp.organisers.insights import figures
from openhelp.organisers.insights.figures import Filters
from openhelp.organisers.insights.tables import TABLES, rows_html, tables
from tests.harness.tasks import run_pending_tasks

# The loop _table.html had before the rows were written in Python.
CELL_BY_CELL = Template(
    "{% for row in table.rows %}<tr>{% for cell in row %}{% if forloop.first %}"
    '<th scope="row">{{ cell }}</th>{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}</tr>'
    '{% empty %}<tr><td colspan="{{ table.headers|length }}">Nothing in this range.</td></tr>{% endfor %}'
)


def _by_template(table: dict) -> str:
    return CELL_BY_CELL.render(Context({"table": table}))


@pytest.mark.parametrize("grouped", [False, True])
def test_rows_of_every_kind_of_cell_come_out_as_the_template_wrote_them(settings, grouped):
    settings.USE_THOUSAND_SEPARATOR = grouped  # numbers formatted by the locale either way
    table = {
        "headers": ["Skill", "a", "b", "c", "d", "e", "f", "g"],
        "rows": [
            ['C# & <script>"x"</script>', 3, 0.1, 12.345, 1e-05, 2.0, "", Decimal("1234.50")],
            ["Ünïcode ’quotes’", -4, 1234567, 0, None, "Nobody offers it: invite people.", 99.95, -0.5],
            [7, True, 1e22, -1234567.25, "2026-03-02", 3.0, 10, 0.0],
        ],
    }
    assert rows_html(table) == _by_template(table)
    assert "&lt;script&gt;" in rows_html(table)


def test_an_empty_table_says_so_across_every_column():
    table = {"headers": ["Week", "Active mentees", "Active mentors"], "rows": []}
    assert rows_html(table) == _by_template(table)


@pytest.mark.django_db(transaction=True)
def test_every_table_of_a_real_report_comes_out_as_the_template_wrote_it(org):
    run_pending_tasks()
    found = tables(figures.report(Filters.default()))
    assert set(found) == set(TABLES)
    assert any(table["rows"] for table in found.values())
    for table in found.values():
        assert rows_html(table) == _by_template(table)
