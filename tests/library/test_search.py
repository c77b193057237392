"""Finding takeaways: by text and skill (aliases and children included), on skill pages, and as
suggestions while a mentee writes an ask."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.library import services
from openhelp.directory.library.templatetags.library_tags import library_for_skill
from tests.factories import SkillFactory
from tests.factories_library import LibraryEntryFactory, make_entries
from tests.factories_skills import ProposedSkillFactory
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(skills):
    return {
        "plans": LibraryEntryFactory(
            title="Takeaways on PostgreSQL",
            takeaways=["Read the query plan before adding an index."],
            skills=[skills["postgres"]],
        ),
        "orm": LibraryEntryFactory(
            title="Takeaways on Django",
            takeaways=["Use select_related for foreign keys in lists."],
            skills=[skills["django"]],
        ),
    }


def titles(queryset) -> set[str]:
    return {entry.title for entry in queryset}


def test_it_finds_entries_by_every_word_of_the_text(reader, entries):
    assert titles(services.search_library(user=reader, text="QUERY plan")) == {"Takeaways on PostgreSQL"}
    assert titles(services.search_library(user=reader, text="query lists")) == set()


def test_a_skill_alias_in_the_text_finds_its_entries(reader, entries):
    assert titles(services.search_library(user=reader, text="postgres")) == {"Takeaways on PostgreSQL"}


def test_a_parent_skill_finds_its_childrens_entries(reader, entries, skills):
    assert titles(services.search_library(user=reader, skill=skills["python"])) == {"Takeaways on Django"}
    assert titles(services.search_library(user=reader, text="python")) == {"Takeaways on Django"}


def test_the_library_page_searches_and_keeps_the_query(reader_client, entries):
    response = reader_client.get(reverse("library:list"), {"q": "index"})
    page = response.content.decode()
    assert "Read the query plan" in page and "select_related" not in page
    assert 'value="index"' in page


def test_the_library_page_shows_an_unknown_skill_next_to_its_field(reader_client, entries):
    page = reader_client.get(reverse("library:list"), {"skill": "Klingon", "q": "plan"}).content.decode()
    assert "We don&#x27;t know the skill “Klingon”" in page
    assert "Read the query plan" in page  # the text search still applies


def test_the_library_page_has_an_empty_state(reader_client, skills):
    assert "The library is empty so far" in reader_client.get(reverse("library:list")).content.decode()
    page = reader_client.get(reverse("library:list"), {"q": "nothing"}).content.decode()
    assert "Nothing in the library matches" in page


def test_the_skill_page_shows_its_library_entries(reader_client, entries):
    page = reader_client.get(reverse("skills:detail", args=["python"])).content.decode()
    assert "From the library (1)" in page and "select_related" in page
    SkillFactory(name="Go", slug="go")
    empty = reader_client.get(reverse("skills:detail", args=["go"])).content.decode()
    assert "From the library (0)" in empty and "No takeaways on Go in the library yet." in empty


def test_the_ask_form_suggests_entries_for_its_skills(reader_client, entries):
    fresh = reader_client.get(reverse("asks:new")).content.decode()
    assert 'id="library-suggestions"' in fresh and "These may already answer it" not in fresh
    checked = reader_client.post(
        reverse("asks:new"),
        {"title": "Slow query", "objective": "make it fast", "skill_1": "postgres", "check": "1"},
    ).content.decode()
    assert "These may already answer it" in checked and "Takeaways on PostgreSQL" in checked


def test_the_suggestions_json_ranks_entries_sharing_more_skills_first(reader_client, skills, entries):
    both = LibraryEntryFactory(title="Both", skills=[skills["postgres"], skills["django"]])
    data = reader_client.get(reverse("library:suggestions"), {"skill": ["postgres", "Django"]}).json()
    assert data["results"][0]["id"] == both.pk
    assert {r["title"] for r in data["results"]} == {"Both", "Takeaways on PostgreSQL", "Takeaways on Django"}
    assert reader_client.get(reverse("library:suggestions"), {"skill": "Klingon"}).json() == {"results": []}


def test_skills_others_proposed_are_not_shown_on_entries(reader_client, mentor, skills):
    hidden = ProposedSkillFactory(name="Secret project", proposed_by=mentor)
    entry = LibraryEntryFactory(title="Mixed", skills=[skills["postgres"], hidden])
    page = reader_client.get(reverse("library:detail", args=[entry.pk])).content.decode()
    assert "PostgreSQL" in page and "Secret project" not in page


def test_the_api_searches_and_answers_an_unknown_skill_with_a_field_error(reader, entries):
    api = APIClient()
    api.force_login(reader)
    found = api.get("/api/v1/library/", {"q": "postgres"}).json()["results"]
    assert [e["title"] for e in found] == ["Takeaways on PostgreSQL"]
    bad = api.get("/api/v1/library/", {"skill": "Klingon"})
    assert bad.status_code == 400 and "skill" in bad.json()["error"]["fields"]


def test_lists_cost_the_same_queries_at_any_size(reader, reader_client, mentor, skills):
    api = APIClient()
    api.force_login(reader)

    def grow(n):
        make_entries(n, skills=[skills["postgres"], skills["django"]], mentor=mentor)

    assert_constant_queries(grow=grow, action=lambda: reader_client.get(reverse("library:list")))
    assert_constant_queries(
        grow=grow, action=lambda: reader_client.get(reverse("library:list"), {"q": "indexes"})
    )
    assert_constant_queries(grow=grow, action=lambda: api.get("/api/v1/library/"))
    assert_constant_queries(
        grow=grow, action=lambda: reader_client.get(reverse("skills:detail", args=["python"]))
    )
    assert_constant_queries(
        grow=grow, action=lambda: reader_client.get(reverse("library:suggestions"), {"skill": "postgres"})
    )


def test_the_schema_documents_the_library_endpoints():
    paths = openapi_schema()["paths"]
    for path in ("/api/v1/library/", "/api/v1/library/{id}/", "/api/v1/library/suggestions/"):
        assert path in paths


@pytest.mark.parametrize(("entries_on_skill", "shown"), [(0, 0), (2, 2), (5, 5), (8, 5)])
def test_the_skill_page_counts_its_entries_and_shows_the_newest_five(
    reader, mentor, skills, entries_on_skill, shown
):
    """Fewer than five entries are all of them (no count is read); more are counted, children's included."""
    make_entries(entries_on_skill, skills=[skills["django"]], mentor=mentor)
    LibraryEntryFactory(title="On another skill", skills=[skills["postgres"]])
    request = RequestFactory().get("/")
    request.user = reader
    library = library_for_skill({"request": request}, skills["python"])
    assert library["count"] == entries_on_skill
    assert len(library["entries"]) == shown
    for entry in library["entries"]:
        assert entry.mentor.display_name == "Mira Mentor" and entry.title != "On another skill"
