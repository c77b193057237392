"""The header search and the home page over the API (GET /api/v1/search/, GET /api/v1/today/): the same
groups and sections the pages show, only what the caller may see, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.people.models import Profile
from openhelp.help.asks.models import AskState, Urgency
from openhelp.platform.lib.clock import now
from openhelp.today.search import MAX_QUERY, PER_GROUP
from tests.factories import SkillFactory, SkillOfferFactory
from tests.factories_asks import AskFactory, ask_in_state
from tests.factories_library import LibraryEntryFactory, make_entries
from tests.factories_mentoring import SessionFactory, past_session
from tests.factories_moments import make_moments
from tests.factories_officehours import OfficeHoursFactory, book
from tests.factories_people import make_people
from tests.factories_routing import OfferFactory, make_mentor, make_offers, open_ask, profile_of
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/search/"
TODAY = "/api/v1/today/"
HOURS_48 = dt.timedelta(days=2)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def api(owner):
    return _api(owner)


def _search(api, q: str) -> dict:
    response = api.get(SEARCH, {"q": q})
    assert response.status_code == 200, response.content
    return response.json()


def _group(body: dict, key: str) -> dict:
    return next(group for group in body["groups"] if group["key"] == key)


def _titles(body: dict, key: str) -> list[str]:
    return [hit["title"] for hit in _group(body, key)["hits"]]


# --- Search ---------------------------------------------------------------------------------------------


def test_search_needs_a_signed_in_caller(anonymous_client):
    response = anonymous_client.get(SEARCH, {"q": "python"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   \n "}, {"q": "x" * (MAX_QUERY + 1)}])
def test_search_without_q_or_with_a_too_long_q_is_a_400_naming_q(api, params):
    response = api.get(SEARCH, params)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["q"]


def test_search_reads_q_as_the_page_does(api):
    """White space is collapsed before the length is measured, as ``clean_query`` does on the page."""
    body = _search(api, "  ada" + " " * 200 + "lovelace  ")
    assert body["query"] == "ada lovelace"
    assert _search(api, "x" * MAX_QUERY)["query"] == "x" * MAX_QUERY


def test_search_returns_the_groups_the_page_shows(owner, owner_client, api):
    postgres = SkillFactory(name="PostgreSQL")
    offer = SkillOfferFactory(skill=postgres, profile__display_name="Priya Raman")
    ask = AskFactory(mentee=owner, title="Slow PostgreSQL query", skills=[postgres])
    entry = LibraryEntryFactory(title="Reading PostgreSQL plans", skills=[postgres])

    body = _search(api, "postgresql")
    assert [group["key"] for group in body["groups"]] == ["people", "skills", "asks", "library"]
    assert body["total"] == 4
    assert _group(body, "people")["hits"][0]["api_url"] == f"/api/v1/people/{offer.profile.pk}/"
    assert _group(body, "skills")["hits"][0]["api_url"] == f"/api/v1/skills/{postgres.slug}/"
    assert _group(body, "asks")["hits"][0]["api_url"] == f"/api/v1/asks/{ask.pk}/"
    assert _group(body, "library")["hits"][0]["api_url"] == f"/api/v1/library/{entry.pk}/"
    # Every hit of every group, as the page has it.
    page = owner_client.get(reverse("today:search"), {"q": "postgresql"}).context["groups"]
    for group in page:
        api_group = _group(body, group.key)
        assert api_group["count"] == group.count
        assert api_group["see_all_url"] == group.see_all_url
        assert [(hit["title"], hit["url"], hit["detail"], hit["badge"]) for hit in api_group["hits"]] == [
            (hit.title, hit.url, hit.detail, hit.badge) for hit in group.hits
        ]
    for hit in (hit for group in body["groups"] for hit in group["hits"]):
        assert api.get(hit["api_url"]).status_code == 200


def test_search_shows_five_per_group_with_the_count(api):
    skill = SkillFactory(name="Kubernetes")
    make_people(7, skills=[skill])
    make_entries(6, skills=[skill], text="kubernetes")
    body = _search(api, "kubernetes")
    people = _group(body, "people")
    assert (people["count"], len(people["hits"]), people["has_more"]) == (7, PER_GROUP, True)
    assert _group(body, "skills")["has_more"] is False


def test_search_never_shows_someone_elses_private_ask(owner, api, outsider):
    AskFactory(mentee=outsider, title="Secret salary negotiation", state=AskState.OPEN)
    AskFactory(mentee=outsider, title="Secret draft", state=AskState.DRAFT)
    OfferFactory(ask__mentee=outsider, ask__title="Secret offered to someone else")
    body = _search(api, "secret")
    assert _group(body, "asks") == {**_group(body, "asks"), "count": 0, "hits": []}


def test_search_links_an_ask_only_offered_to_me_to_the_offer(owner, api, outsider):
    helped = ask_in_state(AskState.ACCEPTED, mentee=outsider, helper=owner, title="Terraform state help")
    offer = OfferFactory(mentor=owner, ask__mentee=outsider, ask__title="Terraform drift")
    hits = {hit["title"]: hit for hit in _group(_search(api, "terraform"), "asks")["hits"]}
    assert hits["Terraform state help"]["api_url"] == f"/api/v1/asks/{helped.pk}/"
    assert hits["Terraform drift"]["badge"] == "Offered to you"
    assert hits["Terraform drift"]["url"] == reverse("routing:offer", args=[offer.pk])
    assert hits["Terraform drift"]["api_url"] == f"/api/v1/offers/{offer.pk}/"
    assert api.get(hits["Terraform drift"]["api_url"]).status_code == 200


def test_search_costs_the_same_queries_for_any_data_size(api, grow_search_data):
    skill = SkillFactory(name="Observability")

    assert_constant_queries(
        grow=lambda n: grow_search_data(skill, n),
        action=lambda: _search(api, "observability"),
        large=60,
    )


def test_search_is_documented_with_its_response_and_the_q_parameter():
    operation = openapi_schema()["paths"][SEARCH]["get"]
    (q,) = [parameter for parameter in operation["parameters"] if parameter["name"] == "q"]
    assert q["required"] is True
    assert q["schema"]["maxLength"] == MAX_QUERY
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SearchResult"
    }
    assert "400" in operation["responses"]


# --- Today ----------------------------------------------------------------------------------------------


def _today(api) -> dict:
    response = api.get(TODAY)
    assert response.status_code == 200, response.content
    return response.json()


def test_today_needs_a_signed_in_caller(anonymous_client):
    assert anonymous_client.get(TODAY).status_code == 401


def test_today_is_empty_for_someone_new(api):
    body = _today(api)
    for section in ("offers", "helping", "asks", "upcoming", "debriefs", "to_thank"):
        assert body[section] == []
    assert body["alerts"] is None
    assert body["helper_first"] is False
    assert body["challenge"]["this_week"] == 0


def test_today_lists_the_offers_waiting_for_my_answer(api, offer_to_owner):
    body = _today(api)
    assert body["helper_first"] is True
    (offer,) = body["offers"]
    assert offer["id"] == offer_to_owner.pk
    assert offer["ask_id"] == offer_to_owner.ask_id
    assert offer["title"] == "Read my migration plan"
    assert offer["objective"] == "ship the migration"
    assert offer["skills"] == ["Django"]
    assert offer["why_you"]
    assert offer["url"] == reverse("routing:offer", args=[offer_to_owner.pk])
    assert offer["api_url"] == f"/api/v1/offers/{offer_to_owner.pk}/"


def test_an_open_mentor_without_offers_hears_how_many_skills_they_offer(owner, api, django_skill):
    profile_of(owner).skills_offered.create(skill=django_skill, level=4)
    Profile.objects.filter(user=owner).update(open_to_help=True)
    body = _today(api)
    assert (body["open_to_help"], body["skills_offered"], body["helper_first"]) == (True, 1, True)


def test_my_open_asks_come_with_their_state_and_estimated_wait(owner, api, django_skill):
    published = now() - dt.timedelta(days=3)
    for hours in (1, 2, 3, 4, 5):
        AskFactory(
            skills=[django_skill],
            urgency=Urgency.THIS_WEEK,
            state=AskState.COMPLETED,
            published_at=published,
            accepted_at=published + dt.timedelta(hours=hours),
        )
    ask = open_ask(skills=[django_skill], mentee=owner, title="Speed up my queries")
    expires = now() + dt.timedelta(hours=5)
    OfferFactory(ask=ask, mentor=make_mentor(django_skill), expires_at=expires)
    type(ask).objects.filter(pk=ask.pk).update(state=AskState.OFFERED)
    AskFactory(mentee=owner, title="A finished ask", state=AskState.COMPLETED)

    (row,) = _today(api)["asks"]
    assert (row["id"], row["title"], row["state"]) == (ask.pk, "Speed up my queries", "offered")
    assert row["status"] == "Offered to 1 expert; the first to accept takes it."
    assert row["estimated_wait"] == (
        "Similar asks were usually accepted within about 3 hours (from 5 recent asks)."
    )
    assert dt.datetime.fromisoformat(row["next_answer_due"]) == expires
    assert row["api_url"] == f"/api/v1/asks/{ask.pk}/"


def test_today_lists_upcoming_sessions_and_bookings_debriefs_and_people_to_thank(owner, api):
    mentor = make_mentor(name="Theo Helper")
    starts = now() + dt.timedelta(days=2)
    session = SessionFactory(mentee=owner, mentor=mentor, title="Query plans", starts_at=starts)
    SessionFactory(
        mentee=owner, mentor=mentor, title="Too far ahead", starts_at=now() + dt.timedelta(days=20)
    )
    booking = book(OfficeHoursFactory(title="SQL drop-in"), owner, topic="Index design")
    held = past_session(mentee=owner, mentor=mentor, title="Held last week")
    make_moments(2, author=owner)

    body = _today(api)
    upcoming = {item["title"]: item for item in body["upcoming"]}
    assert set(upcoming) == {"Query plans", "Index design"}
    assert upcoming["Query plans"]["url"] == reverse("mentoring:detail", args=[session.pk])
    assert dt.datetime.fromisoformat(upcoming["Query plans"]["starts_at"]) == starts
    assert upcoming["Query plans"]["with_whom"] == "Theo Helper"
    assert upcoming["Index design"]["calendar_url"] == reverse("officehours:booking-ics", args=[booking.pk])
    (debrief,) = body["debriefs"]
    assert (debrief["session_id"], debrief["title"]) == (held.pk, "Held last week")
    assert debrief["debrief_url"] == reverse("mentoring:debrief", args=[held.pk])
    (person,) = body["to_thank"]
    assert (person["user_id"], person["name"], person["session_id"]) == (mentor.pk, "Theo Helper", held.pk)
    assert person["thank_url"] == f"{reverse('recognition:give', args=[mentor.pk])}?session={held.pk}"
    assert body["challenge"]["this_week"] == 2


def test_every_item_of_today_names_its_object_and_where_the_api_reads_it(owner, api):
    """A client follows each item to its object: upcoming items say their kind and id, debriefs and people
    to thank where the API reads them."""
    mentor = make_mentor(name="Theo Helper")
    session = SessionFactory(mentee=owner, mentor=mentor, title="Query plans", starts_at=now() + HOURS_48)
    booking = book(OfficeHoursFactory(title="SQL drop-in"), owner, topic="Index design")
    held = past_session(mentee=owner, mentor=mentor, title="Held last week")

    body = _today(api)

    upcoming = {item["title"]: item for item in body["upcoming"]}
    assert {k: upcoming["Query plans"][k] for k in ("kind", "id", "booking_id")} == {
        "kind": "session",
        "id": session.pk,
        "booking_id": None,
    }
    assert {k: upcoming["Index design"][k] for k in ("kind", "id", "booking_id")} == {
        "kind": "booking",
        "id": booking.pk,
        "booking_id": booking.pk,
    }
    (debrief,) = body["debriefs"]
    (person,) = body["to_thank"]
    followed = {
        upcoming["Query plans"]["api_url"]: session.pk,
        upcoming["Index design"]["api_url"]: booking.pk,
        debrief["api_url"]: held.pk,
        person["session_api_url"]: held.pk,
    }
    for url, pk in followed.items():
        response = api.get(url)
        assert response.status_code == 200 and response.json()["id"] == pk, url
    assert debrief["id"] == held.pk and api.get(debrief["debrief_api_url"]).status_code == 200
    assert api.get(person["api_url"]).json()["display_name"] == "Theo Helper"


def test_today_never_shows_someone_elses_offer_ask_or_session(api, outsider, django_skill):
    stranger = make_mentor(django_skill, name="Stranger")
    OfferFactory(mentor=stranger, ask__title="Not for the owner", ask__mentee=outsider)
    AskFactory(mentee=outsider, title="The outsider's own ask", state=AskState.OPEN, published_at=now())
    SessionFactory(mentee=outsider, mentor=stranger, title="The outsider's session")
    past_session(mentee=outsider, mentor=stranger, title="The outsider's past session")
    body = _today(api)
    for section in ("offers", "helping", "asks", "upcoming", "debriefs", "to_thank"):
        assert body[section] == [], section


def test_only_organisers_get_this_weeks_alerts(organiser, api):
    assert _today(api)["alerts"] is None
    alerts = _today(_api(organiser))["alerts"]
    assert set(alerts) == {"items", "hidden", "programme_id"}


def test_today_costs_a_bounded_number_of_queries(owner, api, django_skill, django_assert_max_num_queries):
    profile_of(owner).skills_offered.create(skill=django_skill, level=4)
    Profile.objects.filter(user=owner).update(open_to_help=True, sessions_per_week=5)
    make_offers(8, mentor=owner, skills=[django_skill])
    mentor = make_mentor(django_skill, name="Theo")
    for i in range(6):
        open_ask(skills=[django_skill], mentee=owner, title=f"My ask {i}")
        SessionFactory(mentee=owner, mentor=mentor, starts_at=now() + dt.timedelta(days=1, hours=i))
        past_session(mentee=owner, mentor=make_mentor(name=f"Helper {i}"), hours_ago=3 + i)
    make_moments(2, author=owner)
    _today(api)  # warm the session and the caches a first call fills
    with django_assert_max_num_queries(25):
        body = _today(api)
    assert len(body["offers"]) == 5 and len(body["asks"]) == 5


def test_today_reads_no_column_per_row(owner, api):
    """Each section loads what the API shows with it: one row, then more than a section shows, cost the
    same queries (a column left out of ``only`` but serialised would cost one query per row)."""
    mentor = make_mentor(name="Theo")
    hours = OfficeHoursFactory(title="SQL drop-in")
    skill = SkillFactory(name="Django")
    profile_of(owner).skills_offered.create(skill=skill, level=4)
    Profile.objects.filter(user=owner).update(open_to_help=True, sessions_per_week=5)

    def grow(n: int) -> None:
        make_offers(n, mentor=owner, skills=[skill])
        for _ in range(n):
            start = now() + dt.timedelta(days=1, hours=SessionFactory._meta.model.objects.count())
            SessionFactory(mentee=owner, mentor=mentor, starts_at=start, place="Room 4")
            past_session(mentee=owner, mentor=make_mentor(), hours_ago=5)
            AskFactory(mentee=make_mentor(), helper=owner, state=AskState.ACCEPTED, title="Helping")
            open_ask(skills=[skill], mentee=owner, title="My open ask")
        for skip in range(n):
            book(hours, owner, skip=skip, topic="Index design")

    def today() -> dict:
        cache.clear()  # the wait estimates computed at both sizes, not remembered at the second
        return _today(api)

    _today(api)
    assert_constant_queries(grow=grow, action=today, small=1, large=7)
    body = today()
    for section in ("offers", "helping", "asks", "upcoming", "debriefs", "to_thank"):
        assert body[section], section
