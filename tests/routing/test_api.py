"""The routing API: my offers, accept (409 when taken), decline, pause, suggestions for my ask."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from rest_framework.test import APIClient

from openhelp.help.asks.models import AskState
from openhelp.help.routing import services
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.platform.lib.clock import now
from tests.factories import make_access_token
from tests.factories_routing import OfferFactory, make_mentor, make_offers, open_ask, profile_of
from tests.harness.access import Row, assert_access_matrix
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    _token, key = make_access_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def offered(skills, owner):
    """An ask offered to the owner and to one more mentor."""
    profile = profile_of(owner)
    profile.skills_offered.create(skill=skills["django"], level=4)
    type(profile).objects.filter(pk=profile.pk).update(open_to_help=True, sessions_per_week=3)
    other = make_mentor(skills["django"], name="Other mentor")
    ask = open_ask(skills=[skills["django"]], title="Tune my query")
    services.route_ask(ask=ask)
    return SimpleNamespace(
        ask=ask,
        mine=Offer.objects.get(ask=ask, mentor=owner),
        theirs=Offer.objects.get(ask=ask, mentor=other),
        other=other,
    )


def test_it_lists_my_offers_with_the_ask_and_why_me(owner, offered):
    response = api_for(owner).get("/api/v1/offers/")

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == offered.mine.pk and item["state"] == "pending" and item["is_open"] is True
    assert item["ask"]["title"] == "Tune my query" and item["ask"]["skills"] == ["Django"]
    assert item["reasons"]


def test_it_filters_by_state_and_rejects_unknown_states(owner, offered):
    api = api_for(owner)

    assert api.get("/api/v1/offers/", {"state": "declined"}).json()["results"] == []
    assert len(api.get("/api/v1/offers/", {"state": "pending"}).json()["results"]) == 1
    bad = api.get("/api/v1/offers/", {"state": "sleeping"})
    assert bad.status_code == 400 and "state" in bad.json()["error"]["fields"]


def test_accepting_returns_the_accepted_offer(owner, offered):
    response = api_for(owner).post(f"/api/v1/offers/{offered.mine.pk}/accept/")

    assert response.status_code == 200 and response.json()["state"] == "accepted"
    offered.ask.refresh_from_db()
    assert offered.ask.state == AskState.ACCEPTED and offered.ask.helper == owner


def test_a_lost_race_is_a_409_with_a_message(owner, offered):
    services.accept_offer(offer=offered.theirs, mentor=offered.other)

    response = api_for(owner).post(f"/api/v1/offers/{offered.mine.pk}/accept/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "offer_taken"
    assert "Someone else accepted" in response.json()["error"]["message"]


def test_accepting_again_is_a_harmless_retry(owner, offered):
    """A client that lost the first answer (a timeout, a dropped connection) sends the accept again: it
    learns that it has the ask, as the first answer said, instead of a 409 it must read the words of."""
    api = api_for(owner)
    first = api.post(f"/api/v1/offers/{offered.mine.pk}/accept/")

    again = api.post(f"/api/v1/offers/{offered.mine.pk}/accept/")

    assert again.status_code == 200 and again.json() == first.json()
    offered.ask.refresh_from_db()
    assert offered.ask.events.filter(kind="accepted").count() == 1


def test_an_offer_that_can_no_longer_be_answered_says_so_in_its_code(owner, offered):
    api = api_for(owner)
    api.post(f"/api/v1/offers/{offered.mine.pk}/decline/", {"reason": "no_time"}, format="json")

    accept = api.post(f"/api/v1/offers/{offered.mine.pk}/accept/")
    decline = api.post(f"/api/v1/offers/{offered.mine.pk}/decline/", {"reason": "no_time"}, format="json")

    assert accept.status_code == 409 and accept.json()["error"]["code"] == "offer_closed"
    assert decline.status_code == 409 and decline.json()["error"]["code"] == "offer_closed"


def test_declining_needs_a_valid_reason(owner, offered):
    api = api_for(owner)

    missing = api.post(f"/api/v1/offers/{offered.mine.pk}/decline/", {}, format="json")
    other = api.post(f"/api/v1/offers/{offered.mine.pk}/decline/", {"reason": "other"}, format="json")
    paused = api.post(f"/api/v1/offers/{offered.mine.pk}/decline/", {"reason": "paused"}, format="json")
    long = api.post(
        f"/api/v1/offers/{offered.mine.pk}/decline/", {"reason": "no_time", "note": "x" * 301}, format="json"
    )

    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    assert other.status_code == 400 and "note" in other.json()["error"]["fields"]
    assert paused.status_code == 400 and "reason" in paused.json()["error"]["fields"]
    assert long.status_code == 400 and "note" in long.json()["error"]["fields"]
    assert Offer.objects.get(pk=offered.mine.pk).state == OfferState.PENDING


def test_declining_then_declining_again_is_a_409(owner, offered):
    api = api_for(owner)
    body = {"reason": "not_my_area", "note": "I only do Flask"}

    first = api.post(f"/api/v1/offers/{offered.mine.pk}/decline/", body, format="json")
    again = api.post(f"/api/v1/offers/{offered.mine.pk}/decline/", body, format="json")

    assert first.status_code == 200 and first.json()["decline_reason"] == DeclineReason.NOT_MY_AREA
    assert again.status_code == 409 and "already declined" in again.json()["error"]["message"]


def test_pause_me_through_the_api(owner, offered):
    until = now().date() + dt.timedelta(days=5)

    response = api_for(owner).post("/api/v1/offers/pause/", {"until": until.isoformat()}, format="json")
    past = api_for(owner).post("/api/v1/offers/pause/", {"until": "2001-01-01"}, format="json")

    assert response.status_code == 200 and response.json() == {
        "paused_until": until.isoformat(),
        "passed_on": 1,
    }
    assert past.status_code == 400 and "until" in past.json()["error"]["fields"]


def test_end_my_pause_early_through_the_api(owner):
    until = now().date() + dt.timedelta(days=5)
    api_for(owner).post("/api/v1/offers/pause/", {"until": until.isoformat()}, format="json")
    assert profile_of(owner).paused_until == until

    response = api_for(owner).delete("/api/v1/offers/pause/")
    again = api_for(owner).delete("/api/v1/offers/pause/")

    assert response.status_code == 204 and again.status_code == 204
    assert profile_of(owner).paused_until is None
    assert APIClient().delete("/api/v1/offers/pause/").status_code == 401


def test_suggestions_for_my_ask_have_names_scores_and_reasons(owner, skills):
    make_mentor((skills["django"], 5), name="Dana Django")
    ask = open_ask(skills=[skills["django"]], mentee=owner)

    response = api_for(owner).get(f"/api/v1/asks/{ask.pk}/suggestions/")

    assert response.status_code == 200
    [suggestion] = response.json()
    assert suggestion["name"] == "Dana Django" and suggestion["reasons"] and "score" in suggestion


def test_the_offers_list_costs_the_same_queries_for_ten_or_many(skills, owner):
    api = api_for(owner)
    api.get("/api/v1/offers/")  # the token's first use records last_used_at: one query, once
    assert_constant_queries(
        grow=lambda n: make_offers(n, mentor=owner, skills=[skills["django"], skills["flask"]]),
        action=lambda: api.get("/api/v1/offers/", {"page_size": 100}),
        large=150,
    )


def test_the_access_matrix(skills, owner, outsider, offered):
    own_ask = open_ask(skills=[skills["django"]], mentee=owner)
    world = SimpleNamespace(
        offer=offered.mine,
        second=OfferFactory(mentor=owner),
        third=OfferFactory(mentor=owner),
        ask=own_ask,
        clients={"anonymous": Client(), "owner": api_for(owner), "outsider": api_for(outsider)},
    )
    rows = [
        Row("GET", lambda w: "/api/v1/offers/", {"anonymous": 401, "owner": 200, "outsider": 200}),
        Row(
            "GET",
            lambda w: f"/api/v1/offers/{w.offer.pk}/",
            {"anonymous": 401, "owner": 200, "outsider": 404},
        ),
        Row(
            "POST",
            lambda w: f"/api/v1/offers/{w.second.pk}/accept/",
            {"anonymous": 401, "outsider": 404, "owner": 200},
        ),
        Row(
            "POST",
            lambda w: f"/api/v1/offers/{w.third.pk}/decline/",
            {"anonymous": 401, "outsider": 404, "owner": 200},
            data={"reason": "no_time"},
            json=True,
        ),
        Row(
            "POST", lambda w: "/api/v1/offers/pause/", {"anonymous": 401, "outsider": 400}, data={}, json=True
        ),
        Row(
            "GET",
            lambda w: f"/api/v1/asks/{w.ask.pk}/suggestions/",
            {"anonymous": 401, "owner": 200, "outsider": 404},
        ),
        Row("GET", lambda w: "/api/v1/offers/999999/", {"owner": 404}),
    ]
    assert_access_matrix(rows, world)


def test_the_schema_documents_the_routing_endpoints():
    paths = openapi_schema()["paths"]  # validated against the OpenAPI specification
    for path in [
        "/api/v1/offers/",
        "/api/v1/offers/{id}/",
        "/api/v1/offers/{id}/accept/",
        "/api/v1/offers/{id}/decline/",
        "/api/v1/offers/pause/",
        "/api/v1/asks/{id}/suggestions/",
    ]:
        assert path in paths, path
    assert "409" in paths["/api/v1/offers/{id}/accept/"]["post"]["responses"]
    assert "state" in {p["name"] for p in paths["/api/v1/offers/"]["get"]["parameters"]}
