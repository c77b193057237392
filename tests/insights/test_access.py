"""Who sees insights (organisers; programme organisers for their programmes), CSV downloads, and what is
never shown (private notes, feedback text)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client

from openhelp.organisers.insights import rollup
from openhelp.organisers.insights.tables import TABLES
from openhelp.organisers.insights.views import duration_text
from tests.harness.openapi import openapi_schema
from tests.insights.conftest import END, START

pytestmark = pytest.mark.django_db

RANGE = f"?start={START}&end={END}"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def built(org):
    rollup.rebuild()
    return org


@pytest.fixture
def programme(built):
    from openhelp.directory.programmes.models import Membership, MembershipRole, Programme

    guild = Programme.objects.create(name="Data guild", slug="data-guild")
    other = Programme.objects.create(name="Design guild", slug="design-guild")
    Membership.objects.create(programme=guild, user=built["mia"], role=MembershipRole.ORGANISER)
    return guild, other


def test_members_and_strangers_get_404_everywhere(built, owner_client, anonymous_client):
    for url in ("/insights/", "/insights/skills.csv", "/api/v1/insights/"):
        assert owner_client.get(url).status_code == 404
    assert client_for(built["mentees"][0]).get("/insights/").status_code == 404
    assert anonymous_client.get("/insights/").status_code == 302  # to the login page, like every page
    assert anonymous_client.get("/api/v1/insights/").status_code in (401, 403)


def test_organiser_sees_dashboard_with_charts_tables_and_network_link(built, organiser_client):
    response = organiser_client.get("/insights/" + RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 4 and "<table>" in html and 'href="/insights/network/"' in html
    assert "Max" in html and "Suggest a pause" in html
    # Nothing loaded from elsewhere (a CDN): every script, style sheet and image is served by us.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)


def test_page_and_api_show_the_same_figures(built, organiser_client):
    data = organiser_client.get("/api/v1/insights/" + RANGE).json()
    assert data["participation"]["sessions_completed"] == 4 and data["speed"]["ratings"]["count"] == 3
    assert data["skills"][0]["skill"] == "SQL"


def test_the_answer_names_its_dates_as_the_parameters_do(built, organiser_client):
    """``start`` and ``end`` in, ``start`` and ``end`` out; ``from`` and ``to``, their old names, for one
    release, marked deprecated in the schema."""
    filters = organiser_client.get("/api/v1/insights/" + RANGE).json()["filters"]

    assert (filters["start"], filters["end"]) == (str(START), str(END))
    assert (filters["from"], filters["to"]) == (str(START), str(END))
    properties = openapi_schema()["components"]["schemas"]["InsightsFilters"]["properties"]
    assert properties["from"]["deprecated"] and properties["to"]["deprecated"]
    assert not properties["start"].get("deprecated")


def test_bad_filters_are_field_errors(built, organiser_client):
    response = organiser_client.get("/api/v1/insights/?start=2026-03-10&end=2026-03-01")
    assert response.status_code == 400 and "end" in response.content.decode()
    page = organiser_client.get("/insights/?start=nonsense")
    assert page.status_code == 200 and "Enter a valid date" in page.content.decode()
    assert 'value="nonsense"' in page.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "start=0001-01-01",
        "end=0001-01-01",
        "end=0001-03-01",
        "start=9999-12-31",
        "start=1899-12-31&end=1900-01-31",
    ],
)
def test_dates_outside_the_product_range_are_field_errors(organiser_client, query):
    """Found by probing on PostgreSQL: the default range counted back from year 1 (or on from year 9999)
    overflowed, a 500 on the page, the CSV downloads and the API (``lib.dates`` bounds them now)."""
    field = "start" if query.startswith("start") else "end"
    response = organiser_client.get(f"/api/v1/insights/?{query}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    page = organiser_client.get(f"/insights/?{query}")
    assert (
        page.status_code == 200 and "Choose a date between 1900-01-01 and 2199-12-31" in page.content.decode()
    )
    assert organiser_client.get(f"/insights/skills.csv?{query}").status_code == 404


def test_programme_organisers_see_only_their_programmes(built, programme):
    guild, other = programme
    mia = client_for(built["mia"])
    assert mia.get("/insights/").status_code == 200  # defaults to her programme
    assert mia.get(f"/insights/?programme={guild.pk}").status_code == 200
    assert mia.get(f"/api/v1/insights/?programme={guild.pk}").json()["filters"]["programme"] == guild.pk
    assert mia.get("/api/v1/insights/").json()["filters"]["programme"] == guild.pk  # never the whole org
    assert mia.get(f"/insights/?programme={other.pk}").status_code == 404
    assert mia.get(f"/api/v1/insights/?programme={other.pk}").status_code == 404
    assert mia.get(f"/insights/skills.csv?programme={other.pk}").status_code == 404


@pytest.mark.parametrize("name", TABLES)
def test_csv_downloads(built, organiser_client, name):
    response = organiser_client.get(f"/insights/{name}.csv" + RANGE)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] and len(rows) >= 2


def test_csv_content_matches_the_figures(built, organiser_client):
    rows = list(csv.reader(io.StringIO(organiser_client.get("/insights/teams.csv" + RANGE).content.decode())))
    assert rows == [
        ["Team", "People", "Active people", "Sessions completed"],
        ["Team A", "6", "6", "4"],
        ["Other", "8", "0", "0"],
    ]
    assert organiser_client.get("/insights/unknown.csv").status_code == 404


def test_private_notes_and_feedback_text_never_reach_organisers(built, organiser_client):
    outputs = [
        organiser_client.get("/insights/" + RANGE).content,
        organiser_client.get("/api/v1/insights/" + RANGE).content,
    ]
    outputs += [organiser_client.get(f"/insights/{name}.csv" + RANGE).content for name in TABLES]
    for body in outputs:
        assert b"PRIVATE-NOTE-XYZ" not in body and b"FEEDBACK-TEXT-XYZ" not in body


def test_a_small_team_filter_hides_figures(built, organiser_client):
    team_b = built["teams"][1]
    html = organiser_client.get(f"/insights/{RANGE}&team={team_b.pk}").content.decode()
    assert "fewer than 5 people" in html and '<svg class="chart"' not in html  # the shell has icons
    assert organiser_client.get(f"/insights/skills.csv{RANGE}&team={team_b.pk}").status_code == 404


def test_an_organisation_under_the_minimum_shows_no_figures(organiser_client):
    # The organisation is a set of people too: under five (here, the organiser alone), nothing is shown.
    response = organiser_client.get("/insights/")
    assert response.status_code == 200 and "fewer than 5 people" in response.content.decode()
    data = organiser_client.get("/api/v1/insights/").json()
    assert data["people"] is None and "speed" not in data and "fewer than 5 people" in data["hidden"]
    assert organiser_client.get("/insights/skills.csv").status_code == 404


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (None, "—"),
        (0, "0 min"),
        (45, "45 min"),
        (60, "1 h"),
        (512, "8 h 32 min"),
        (3444, "2 days 9 h"),
        (2880, "2 days"),
    ],
)
def test_durations_read_in_hours_and_days_not_thousands_of_minutes(minutes, text):
    assert duration_text(minutes) == text


def test_the_dashboard_says_how_long_in_hours_and_lines_up_its_filters(built, organiser_client):
    response = organiser_client.get("/insights/" + RANGE)

    speed = response.context["report"]["speed"]
    html = response.content.decode()
    accept = f"{duration_text(speed['accept_p50_minutes'])} / {duration_text(speed['accept_p90_minutes'])}"
    assert f"<dd>{accept}</dd>" in html
    assert " minutes</dd>" not in html and "{#" not in html
    # Each filter in the design system's .field box, the button too: boxes and button share their bottom edge.
    form = re.search(r'<form method="get" class="filters card".*?</form>', html, re.S)
    assert form and form.group(0).count('<div class="field">') == 5 and "<p><label" not in form.group(0)


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [("", "2026-01-05", "2026-03-29"), ("?end=2026-03-01", "2025-12-08", "2026-03-01")],
)
def test_the_date_boxes_show_the_range_the_figures_are_for(built, organiser_client, query, start, end):
    response = organiser_client.get("/insights/" + query)

    html = response.content.decode()
    filters = response.context["report"]["filters"]
    assert (filters["from"], filters["to"]) == (start, end)
    assert f'name="start" value="{start}"' in html and f'name="end" value="{end}"' in html


def test_the_skill_chart_shows_what_it_is_sorted_by(built, organiser_client):
    response = organiser_client.get("/insights/" + RANGE)
    skills = response.context["report"]["skills"]
    section = response.content.decode().split('id="skills-heading"')[1].split("</section>")[0]
    chart = section.split("<svg")[1].split("</svg>")[0]

    # Both sides of the gap, for every skill in the chart, in the ledger's order.
    assert "Asks per week" in chart and "Sessions offered per week" in chart
    first = skills[0]
    values = re.findall(r">([\d.]+)</text>", chart)
    assert values[:2] == [f"{first['asks_per_week']:g}", f"{first['capacity_per_week']:g}"]
    assert len(values) == 2 * min(len(skills), 12)
    assert "Sorted by the gap" in section.split("<figcaption")[1]
