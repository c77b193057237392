"""The kudos feed API pages by keyset cursors (before= older, after= newer) in the usual response shape."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from rest_framework.test import APIClient

from openhelp.community.recognition import feed, services
from tests.factories import make_access_token
from tests.factories_recognition import make_kudos

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2027, 4, 1, 12, 0, tzinfo=dt.UTC)
URL = "/api/v1/kudos/feed/"


def api_for(user) -> APIClient:
    _token, key = make_access_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def query(link: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}


def newest_first() -> list[int]:
    return list(services.recognition_feed().order_by("-created_at", "-pk").values_list("pk", flat=True))


def test_it_walks_to_the_oldest_and_back_without_repeats_or_gaps(stranger, mentee, mentor):
    with time_machine.travel(MOMENT, tick=False):  # all at one instant: ties broken by id
        make_kudos(7, giver=mentee, receiver=mentor)
    with time_machine.travel(MOMENT + dt.timedelta(hours=1), tick=False):
        make_kudos(4, giver=mentor, receiver=mentee)
    make_kudos(2, giver=mentor, receiver=mentee, public=False)  # never in the feed
    client = api_for(stranger)
    pages, params = [], {"page_size": 3}
    while True:
        body = client.get(URL, params).json()
        pages.append([row["id"] for row in body["results"]])
        assert body["count"] == 11 and body["count_capped"] is False
        if body["next"] is None:
            break
        params = query(body["next"])
        assert set(params) == {"page_size", "before"}
    assert [pk for page in pages for pk in page] == newest_first()
    assert len(pages) == 4 and body["previous"] is not None
    back = []
    while body["previous"] is not None:
        params = query(body["previous"])
        assert set(params) == {"page_size", "after"}
        body = client.get(URL, params).json()
        back.insert(0, [row["id"] for row in body["results"]])
    assert back == pages[:-1]


def test_the_newest_page_has_no_previous_link_and_the_oldest_no_next(stranger, mentee, mentor):
    make_kudos(2, giver=mentee, receiver=mentor)
    body = api_for(stranger).get(URL).json()
    assert body["previous"] is None and body["next"] is None and len(body["results"]) == 2


def test_a_cursor_survives_the_deletion_of_the_kudos_it_came_from(stranger, mentee, mentor):
    make_kudos(5, giver=mentee, receiver=mentor)
    client = api_for(stranger)
    first = client.get(URL, {"page_size": 2}).json()
    services.recognition_feed().filter(pk=first["results"][-1]["id"]).delete()
    rest = client.get(URL, query(first["next"])).json()
    assert [row["id"] for row in rest["results"]] == newest_first()[1:3]


def test_the_skill_filter_stays_in_the_links(stranger, mentee, mentor, skill):
    make_kudos(3, giver=mentee, receiver=mentor, skill=skill)
    make_kudos(3, giver=mentee, receiver=mentor)
    body = api_for(stranger).get(URL, {"skill": "postgres", "page_size": 2}).json()
    assert body["count"] == 3 and query(body["next"])["skill"] == "postgres"


@pytest.mark.parametrize("name", ["before", "after"])
def test_a_made_up_cursor_is_a_400_naming_the_parameter(stranger, name):
    response = api_for(stranger).get(URL, {name: "x' or 1=1"})
    assert response.status_code == 400
    assert name in response.json()["error"]["fields"]


def test_page_numbers_still_work_and_past_the_end_is_empty(stranger, mentee, mentor):
    make_kudos(5, giver=mentee, receiver=mentor)
    client = api_for(stranger)
    second = client.get(URL, {"page_size": 2, "page": 2}).json()
    assert [row["id"] for row in second["results"]] == newest_first()[2:4]
    assert second["previous"] is not None and second["next"] is not None
    assert client.get(URL, {"page_size": 2, "page": 9}).json()["results"] == []
    assert client.get(URL, {"page": "0"}).status_code == 400


def test_the_count_stops_at_the_cap(stranger, mentee, mentor, monkeypatch):
    monkeypatch.setattr(feed, "COUNT_CAP", 3)
    make_kudos(4, giver=mentee, receiver=mentor)
    body = api_for(stranger).get(URL).json()
    assert body["count"] == 3 and body["count_capped"] is True


def test_the_key_round_trips_and_refuses_a_naive_time():
    key = feed.FeedKey(MOMENT, 12)
    assert feed.FeedKey.decode(key.encode()) == key
    naive = feed.FeedKey(MOMENT.replace(tzinfo=None), 12).encode()
    with pytest.raises(ValueError):
        feed.FeedKey.decode(naive)
