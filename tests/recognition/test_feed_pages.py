"""The public feed reads a page at a time from the newest (a keyset on (created_at, id)), no count."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from openhelp.community.recognition import services
from openhelp.community.recognition.views import PER_PAGE
from tests.factories_recognition import make_kudos

MOMENT = dt.datetime(2027, 4, 1, 12, 0, tzinfo=dt.UTC)


def ids(response) -> list[int]:
    return [kudos.pk for kudos in response.context["kudos_list"]]


def test_the_feed_walks_older_pages_without_repeats_or_gaps(stranger_client, mentee, mentor):
    with time_machine.travel(MOMENT, tick=False):  # all at one instant: ties broken by id
        make_kudos(PER_PAGE * 2 + 4, giver=mentee, receiver=mentor)
    make_kudos(3, giver=mentor, receiver=mentee, public=False)  # never in the feed
    expected = list(services.recognition_feed().order_by("-created_at", "-pk").values_list("pk", flat=True))
    seen, before = [], ""
    pages = 0
    while True:
        response = stranger_client.get(reverse("recognition:feed"), {"before": before} if before else {})
        seen += ids(response)
        pages += 1
        older = response.context["older"]
        if older is None:
            break
        assert f'href="?before={older}"' in response.content.decode()
        before = str(older)
    assert seen == expected and len(seen) == PER_PAGE * 2 + 4
    assert pages == 3
    assert "Newest" in response.content.decode()


def test_the_feed_keeps_the_skill_filter_in_its_older_link(stranger_client, mentee, mentor, skill):
    make_kudos(PER_PAGE + 1, giver=mentee, receiver=mentor, skill=skill)
    html = stranger_client.get(reverse("recognition:feed"), {"skill": "postgres"}).content.decode()
    assert "?skill=postgres&amp;before=" in html


def test_a_bad_cursor_reads_the_newest_page(stranger_client, mentee, mentor):
    make_kudos(2, giver=mentee, receiver=mentor)
    response = stranger_client.get(reverse("recognition:feed"), {"before": "x' or 1=1"})
    assert response.status_code == 200 and len(ids(response)) == 2


def test_the_feed_costs_the_same_queries_at_any_size(
    stranger_client, mentee, mentor, django_assert_max_num_queries
):
    make_kudos(5, giver=mentee, receiver=mentor)
    stranger_client.get(reverse("recognition:feed"))
    from tests.harness.queries import count_queries

    small = count_queries(lambda: stranger_client.get(reverse("recognition:feed")))
    make_kudos(200, giver=mentee, receiver=mentor)
    with django_assert_max_num_queries(small):
        stranger_client.get(reverse("recognition:feed"))
