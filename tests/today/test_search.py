"""The one search from the header (today:search) and the app shell around every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.directory.skills.models import Skill
from openhelp.help.asks.models import AskState
from openhelp.today.search import MAX_QUERY, PER_GROUP, clean_query
from tests.factories import NotificationFactory, ProfileFactory, SkillFactory, SkillOfferFactory, UserFactory
from tests.factories_asks import AskFactory, ask_in_state
from tests.factories_library import LibraryEntryFactory, make_entries
from tests.factories_people import make_people
from tests.factories_routing import OfferFactory
from tests.factories_skills import ProposedSkillFactory
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
URL = reverse("today:search")


def _search(client, q: str):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response


def _group(response, key: str):
    return next(group for group in response.context["groups"] if group.key == key)


def _titles(response, key: str) -> list[str]:
    return [hit.title for hit in _group(response, key).hits]


# --- Access ---------------------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login(anonymous_client):
    response = anonymous_client.get(URL, {"q": "python"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_answers_only_get(owner_client):
    assert owner_client.post(URL, {"q": "python"}).status_code == 405


# --- The query --------------------------------------------------------------------------------------------


def test_it_trims_and_bounds_the_query():
    assert clean_query("   pandas   merge \n ") == "pandas merge"
    assert len(clean_query("x" * 5000)) == MAX_QUERY


def test_it_shows_a_helpful_empty_state_without_a_query(owner_client):
    response = _search(owner_client, "   ")
    assert response.context["groups"] == []
    html = response.content.decode()
    assert "Find help, people and answers" in html
    assert reverse("people:directory") in html


def test_it_says_when_nothing_matches(owner_client):
    html = _search(owner_client, "zzzz-nothing").content.decode()
    assert "Nothing found for “zzzz-nothing”" in html
    assert reverse("asks:new") in html


def test_a_long_query_is_cut_not_refused(owner_client):
    ProfileFactory(display_name="Ada Lovelace")
    response = _search(owner_client, "Ada" + " " * 200 + "x" * 300)
    assert len(response.context["query"]) == MAX_QUERY


def test_it_escapes_the_query(owner_client):
    html = _search(owner_client, "<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Groups -----------------------------------------------------------------------------------------------


def test_it_finds_people_skills_asks_and_library_entries(owner, owner_client):
    postgres = SkillFactory(name="PostgreSQL")
    SkillOfferFactory(skill=postgres, profile__display_name="Priya Raman")
    AskFactory(mentee=owner, title="Slow PostgreSQL query", skills=[postgres])
    LibraryEntryFactory(title="Reading PostgreSQL plans", skills=[postgres])

    response = _search(owner_client, "postgresql")
    assert [group.key for group in response.context["groups"]] == ["people", "skills", "asks", "library"]
    assert _titles(response, "people") == ["Priya Raman"]
    assert _titles(response, "skills") == ["PostgreSQL"]
    assert _titles(response, "asks") == ["Slow PostgreSQL query"]
    assert _titles(response, "library") == ["Reading PostgreSQL plans"]
    assert response.context["total"] == 4
    html = response.content.decode()
    assert reverse("skills:detail", args=[postgres.slug]) in html
    assert "4 results for “postgresql”" in html


def test_it_shows_five_per_group_with_counts_and_see_all_links(owner_client):
    skill = SkillFactory(name="Kubernetes")
    make_people(7, skills=[skill])
    make_entries(6, skills=[skill], text="kubernetes")

    response = _search(owner_client, "kubernetes")
    people, library = _group(response, "people"), _group(response, "library")
    assert (people.count, len(people.hits)) == (7, PER_GROUP)
    assert (library.count, len(library.hits)) == (6, PER_GROUP)
    html = response.content.decode()
    assert f'href="{reverse("people:directory")}?q=kubernetes"' in html
    assert f'href="{reverse("library:list")}?q=kubernetes"' in html
    assert "See all people (7)" in html
    # The skills group has one hit: no "see all" for it.
    assert "See all skills" not in html


def test_an_outsiders_ask_never_appears(owner, owner_client, outsider):
    AskFactory(mentee=outsider, title="Secret salary negotiation", state=AskState.OPEN)
    AskFactory(mentee=outsider, title="Secret draft", state=AskState.DRAFT)
    response = _search(owner_client, "secret")
    assert _group(response, "asks").count == 0
    assert "Secret" not in response.content.decode()


def test_asks_i_take_part_in_or_was_offered_appear_with_the_right_link(owner, owner_client, outsider):
    helped = ask_in_state(AskState.ACCEPTED, mentee=outsider, helper=owner, title="Terraform state help")
    co_asked = AskFactory(mentee=outsider, title="Terraform modules", co_askers=[owner])
    offer = OfferFactory(mentor=owner, ask__mentee=outsider, ask__title="Terraform drift")
    declined_elsewhere = OfferFactory(ask__mentee=outsider, ask__title="Terraform for someone else")

    response = _search(owner_client, "terraform")
    hits = {hit.title: hit for hit in _group(response, "asks").hits}
    assert set(hits) == {"Terraform state help", "Terraform modules", "Terraform drift"}
    assert hits["Terraform state help"].url == reverse("asks:detail", args=[helped.pk])
    assert hits["Terraform modules"].url == reverse("asks:detail", args=[co_asked.pk])
    # A mentor who was only offered the ask reads it on the offer page (the ask itself answers 404).
    assert hits["Terraform drift"].url == reverse("routing:offer", args=[offer.pk])
    assert hits["Terraform drift"].badge == "Offered to you"
    assert declined_elsewhere.ask.title not in response.content.decode()


def test_asks_are_found_by_their_skills(owner, owner_client):
    rust = SkillFactory(name="Rust")
    AskFactory(mentee=owner, title="Ownership puzzles", skills=[rust])
    assert _titles(_search(owner_client, "rust"), "asks") == ["Ownership puzzles"]


def test_someone_elses_proposed_skill_never_appears(owner, owner_client, outsider):
    ProposedSkillFactory(name="Quantum basket weaving", proposed_by=outsider)
    ProposedSkillFactory(name="Quantum knitting", proposed_by=owner)
    SkillFactory(name="Quantum computing")
    assert _titles(_search(owner_client, "quantum"), "skills") == ["Quantum computing", "Quantum knitting"]


def test_inactive_people_are_not_found(owner_client):
    gone = UserFactory(is_active=False, with_profile=False)
    ProfileFactory(user=gone, display_name="Gone Person")
    assert _group(_search(owner_client, "gone person"), "people").count == 0


def test_an_htmx_request_gets_only_the_results(owner_client):
    ProfileFactory(display_name="Ada Lovelace")
    response = owner_client.get(URL, {"q": "ada"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Ada Lovelace" in html
    assert "<html" not in html
    assert [t.name for t in response.templates][0] == "today/_search_results.html"


def test_the_number_of_queries_does_not_grow_with_the_data(owner_client, grow_search_data):
    skill = SkillFactory(name="Observability")

    assert_constant_queries(
        grow=lambda n: grow_search_data(skill, n),
        action=lambda: _search(owner_client, "observability"),
        large=60,
    )


# --- The shell ----------------------------------------------------------------------------------------------


def _home_html(client) -> str:
    return client.get(reverse("library:list")).content.decode()


def test_the_organise_group_shows_only_to_organisers(owner_client, organiser_client):
    html = _home_html(owner_client)
    assert "Organise" not in html
    assert reverse("insights:dashboard") not in html
    assert reverse("imports:upload") not in html
    for label in ("Get help", "Help others", "Learn", "New ask", "My sessions", "Open to help settings"):
        assert label in html

    html = _home_html(organiser_client)
    assert "Organise" in html
    for name in (
        "insights:dashboard",
        "network:flow",
        "programmes:list",
        "imports:upload",
        "skills:moderation",
    ):
        assert f'href="{reverse(name)}"' in html


def test_the_bell_shows_the_unread_count(owner, owner_client):
    html = _home_html(owner_client)
    assert 'aria-label="Notifications, 0 unread"' in html
    assert "data-unread-count" not in html

    NotificationFactory.create_batch(3, recipient=owner, event="account.welcome")
    NotificationFactory(recipient=owner, event="account.welcome", read_at="2026-01-01T00:00:00Z")
    html = _home_html(owner_client)
    assert 'aria-label="Notifications, 3 unread"' in html
    assert '<span class="count" data-unread-count>3</span>' in html


def test_the_current_page_is_marked_in_the_navigation(owner_client):
    html = owner_client.get(reverse("asks:new")).content.decode()
    assert f'href="{reverse("asks:new")}" aria-current="page"' in html
    assert f'href="{reverse("asks:list")}" aria-current="page"' not in html
    assert html.count('aria-current="page"') == 1

    html = owner_client.get(reverse("skills:list")).content.decode()
    assert f'href="{reverse("skills:list")}" aria-current="page"' in html
    assert html.count('aria-current="page"') == 1


def test_the_shell_has_landmarks_a_skip_link_and_the_user_menu(owner, owner_client):
    html = _home_html(owner_client)
    assert 'href="#main"' in html
    for landmark in ("<header", '<nav class="app-nav" aria-label="Main"', '<main id="main"', "<footer"):
        assert landmark in html
    assert 'role="search"' in html
    assert f'action="{URL}"' in html
    assert "Olivia Owner" in html
    assert reverse("people:me") in html
    assert reverse("account_logout") in html


def test_anonymous_visitors_get_log_in_and_sign_up_only(anonymous_client):
    html = anonymous_client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") in html
    assert "Get help" not in html
    assert 'role="search"' not in html


def test_the_header_search_keeps_the_query_on_the_results_page(owner_client):
    html = _search(owner_client, "pandas").content.decode()
    assert 'id="header-search-q"' in html
    assert 'value="pandas"' in html


def test_a_skill_result_links_to_its_page_even_for_an_organiser(organiser, organiser_client):
    proposed = ProposedSkillFactory(name="Zig", proposed_by=UserFactory())
    response = _search(organiser_client, "zig")
    hit = _group(response, "skills").hits[0]
    assert hit.url == reverse("skills:detail", args=[proposed.slug])
    assert proposed.status == Skill.Status.PROPOSED
    assert hit.detail.startswith("Waiting for approval")
