"""Keyset pages of the directory and the people API: the same order as sorting everybody, a page at a
time, with no one shown twice or skipped; availability read from today's date; a capped count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.people import keyset
from openhelp.directory.people.directory import DirectoryFilters, directory_page, search_profiles
from openhelp.directory.people.keyset import Key, capped_count
from openhelp.directory.people.models import Profile
from openhelp.directory.people.services import update_open_to_help
from tests.factories import OpenToHelpProfileFactory, ProfileFactory, UserFactory, make_access_token
from tests.factories_people import make_people

DAY = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)
TODAY = DAY.date()


@pytest.fixture
def crowd(db, owner):
    """Open, paused (ending tomorrow, ended yesterday, ending today) and closed people, with name ties."""
    with time_machine.travel(DAY, tick=False):
        for _ in range(4):
            OpenToHelpProfileFactory(display_name="Sam Same")
            ProfileFactory(display_name="Sam Same")
        OpenToHelpProfileFactory(display_name="Paula Paused", paused_until=TODAY + dt.timedelta(days=1))
        OpenToHelpProfileFactory(display_name="Ended Yesterday", paused_until=TODAY - dt.timedelta(days=1))
        OpenToHelpProfileFactory(display_name="Ends Today", paused_until=TODAY)
        for name in ("Ava", "Bo", "Cy", "Zed"):
            OpenToHelpProfileFactory(display_name=name)
            ProfileFactory(display_name=f"{name} Closed")
        gone = UserFactory(is_active=False, with_profile=False)
        ProfileFactory(user=gone, display_name="Aaron Gone", open_to_help=True)


def everyone_sorted() -> list[int]:
    """The oracle: the directory's order by sorting every match (the old way)."""
    return [p.pk for p in search_profiles(DirectoryFilters(), moment=DAY)]


def walk_forward(size: int, filters: DirectoryFilters | None = None) -> list[list[int]]:
    filters = filters or DirectoryFilters()
    pages, after = [], ""
    while True:
        page = directory_page(filters, size=size, after=after, moment=DAY)
        pages.append([p.pk for p in page.people])
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


@pytest.mark.parametrize("size", [1, 3, 4, 7, 50])
def test_forward_pages_follow_the_full_order_without_repeats_or_gaps(crowd, size):
    pages = walk_forward(size)
    assert [pk for page in pages for pk in page] == everyone_sorted()
    assert all(len(page) == size for page in pages[:-1])


@pytest.mark.parametrize("size", [2, 5])
def test_backward_pages_from_the_end_read_the_same_order(crowd, size):
    last_pk = everyone_sorted()[-1]
    last = Profile.objects.get(pk=last_pk)
    before = Key.of(last, TODAY).encode()
    seen = [last_pk]
    while before:
        page = directory_page(DirectoryFilters(), size=size, before=before, moment=DAY)
        seen[:0] = [p.pk for p in page.people]
        before = page.previous_cursor
        if before:
            assert page.next_cursor  # something always follows a page read backwards
    assert seen == everyone_sorted()


def test_a_previous_link_returns_the_page_that_led_here(crowd):
    first = directory_page(DirectoryFilters(), size=4, moment=DAY)
    second = directory_page(DirectoryFilters(), size=4, after=first.next_cursor, moment=DAY)
    back = directory_page(DirectoryFilters(), size=4, before=second.previous_cursor, moment=DAY)
    assert [p.pk for p in back.people] == [p.pk for p in first.people]
    assert first.previous_cursor is None
    assert back.previous_cursor is None  # the first page has nothing before it


def test_ties_on_name_are_broken_by_id_across_a_page_edge(crowd):
    sams = list(Profile.objects.filter(display_name="Sam Same", open_to_help=True).order_by("pk"))
    first = directory_page(DirectoryFilters(q="Sam"), size=2, moment=DAY)
    second = directory_page(DirectoryFilters(q="Sam"), size=2, after=first.next_cursor, moment=DAY)
    assert [p.pk for p in first.people + second.people] == [p.pk for p in sams]


def test_pauses_are_read_from_todays_date(crowd):
    order = [Profile.objects.get(pk=pk).display_name for pk in everyone_sorted()]
    available = order[: order.index("Zed") + 1]
    assert "Ended Yesterday" in available and "Ends Today" in available
    assert "Paula Paused" not in available
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):  # her pause ends by itself
        tomorrow = [p.display_name for p in directory_page(DirectoryFilters(), size=100).people]
    assert tomorrow.index("Paula Paused") < tomorrow.index("Zed")


@time_machine.travel(DAY, tick=False)
def test_pausing_and_resuming_moves_a_person_between_the_segments(crowd):
    ava = Profile.objects.get(display_name="Ava")

    def position() -> tuple[int, int]:
        names = [p.display_name for p in directory_page(DirectoryFilters(), size=100).people]
        return names.index("Ava"), names.index("Zed")

    ava_at, zed_at = position()
    assert ava_at < zed_at
    fields = {
        "formats": ava.formats,
        "sessions_per_week": 3,
        "minutes_per_week": None,
        "skills_offered": None,
    }
    update_open_to_help(profile=ava, open_to_help=True, paused_until=TODAY + dt.timedelta(days=3), **fields)
    ava_at, zed_at = position()
    assert ava_at > zed_at
    update_open_to_help(profile=ava, open_to_help=True, paused_until=None, **fields)
    assert position()[0] < position()[1]
    update_open_to_help(profile=ava, open_to_help=False, paused_until=None, **fields)
    ava_at, zed_at = position()
    assert ava_at > zed_at


@time_machine.travel(DAY, tick=False)
def test_open_now_reads_the_available_segment_only(crowd):
    pages = walk_forward(3, DirectoryFilters(open_now=True))
    names = [Profile.objects.get(pk=pk).display_name for page in pages for pk in page]
    assert "Paula Paused" not in names and "Ava Closed" not in names
    assert names[-1] == "Zed"


def test_a_cursor_that_does_not_decode_is_a_clear_error(db):
    for token in ("nonsense", "e30", Key(True, "x" * 300, 1).encode(), "W1siYSJdXQ"):
        with pytest.raises(ValueError, match="not valid"):
            Key.decode(token)


def test_the_count_stops_at_the_cap_and_says_so(db, monkeypatch):
    make_people(6, open_to_help=False)
    assert str(capped_count(Profile.objects.all(), cap=10)) == "6 people"
    assert str(capped_count(Profile.objects.all(), cap=5)) == "More than 5 people"
    assert str(capped_count(Profile.objects.filter(pk=Profile.objects.first().pk))) == "1 person"
    monkeypatch.setattr(keyset, "COUNT_CAP", 4)
    assert capped_count(Profile.objects.all()).capped


@pytest.fixture
def api(owner):
    _token, key = make_access_token(owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


# --- The page and the API --------------------------------------------------------------------------


def test_the_directory_says_more_than_the_cap_instead_of_counting_everybody(owner_client, monkeypatch):
    make_people(6)
    monkeypatch.setattr(keyset, "COUNT_CAP", 5)
    page = owner_client.get(reverse("people:directory")).content.decode()
    assert "More than 5 people." in page
    page = owner_client.get(reverse("people:directory"), {"q": "Bulk"}).content.decode()
    assert "More than 5 people match." in page
    monkeypatch.setattr(keyset, "COUNT_CAP", 1000)
    assert "6 people match." in owner_client.get(reverse("people:directory"), {"q": "Bulk"}).content.decode()


def test_the_directory_pages_by_cursor_and_old_page_links_still_work(owner_client):
    make_people(30)
    first = owner_client.get(reverse("people:directory"))
    second = owner_client.get(reverse("people:directory"), {"after": first.context["page"].next_cursor})
    legacy = owner_client.get(reverse("people:directory"), {"page": "2"})
    assert [p.pk for p, _ in second.context["people"]] == [p.pk for p, _ in legacy.context["people"]]
    assert len(second.context["people"]) == 6  # 30 + the viewer, 25 a page
    html = second.content.decode()
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_a_broken_page_link_shows_the_first_page_and_why(owner_client):
    make_people(3)
    response = owner_client.get(reverse("people:directory"), {"after": "garbage!"})
    assert response.status_code == 200
    assert "This page link is not valid" in response.content.decode()
    assert len(response.context["people"]) == 4


def test_the_api_follows_next_links_through_everybody(api, owner):
    make_people(12)
    url, seen = "/api/v1/people/?page_size=5", []
    while url:
        body = api.get(url).json()
        assert set(body) == {"count", "count_capped", "next", "previous", "results"}
        assert body["count"] == 13 and body["count_capped"] is False
        seen += [person["id"] for person in body["results"]]
        url = body["next"]
    assert seen == [p.pk for p in search_profiles(DirectoryFilters())]


def test_the_api_keeps_page_numbers_and_rejects_bad_positions(api, owner):
    make_people(12)
    by_page = api.get("/api/v1/people/", {"page_size": 5, "page": 3}).json()
    assert len(by_page["results"]) == 3 and by_page["next"] is None
    assert "before=" in by_page["previous"] and "page=" not in by_page["previous"]
    assert api.get("/api/v1/people/", {"page": 9}).json()["results"] == []
    for params, field in (({"page": "0"}, "page"), ({"page": "x"}, "page"), ({"after": "nope"}, "after")):
        response = api.get("/api/v1/people/", params)
        assert response.status_code == 400
        assert field in response.json()["error"]["fields"]


def test_the_api_count_is_capped(api, owner, monkeypatch):
    make_people(6)
    monkeypatch.setattr(keyset, "COUNT_CAP", 5)
    body = api.get("/api/v1/people/").json()
    assert (body["count"], body["count_capped"]) == (5, True)


# --- Query counts: a page costs the same whatever the size of the organisation ---------------------


def test_directory_page_queries_are_bounded(owner_client, django_assert_max_num_queries):
    make_people(60)
    owner_client.get(reverse("people:directory"))
    with django_assert_max_num_queries(14):
        owner_client.get(reverse("people:directory"), {"open_now": "1"})
    with django_assert_max_num_queries(14):
        owner_client.get(reverse("people:directory"))


def test_people_api_page_queries_are_bounded(api, owner, django_assert_max_num_queries):
    make_people(60)
    api.get("/api/v1/me/")
    with django_assert_max_num_queries(14):
        api.get("/api/v1/people/", {"page_size": 50})
