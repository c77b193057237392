"""Introductions: A introduces B to C with a note; both must accept; then they are connected and a thread
opens. A decline is quiet: the introducer hears "not this time", never who declined."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openhelp.community.moments import introductions as intros
from openhelp.community.moments.models import Answer, Introduction, IntroductionState, Moment, MomentKind
from openhelp.platform.notifications.models import Notification
from tests.factories_moments import IntroductionFactory, IntroductionMessageFactory
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(author, friend, third):
    return intros.introduce(introducer=author, first=friend, second=third, note="You both love Rust.")


def events(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("event", flat=True))


def test_an_introduction_asks_both_and_counts_as_a_moment_for_the_introducer(intro, author, friend, third):
    assert intro.state == IntroductionState.PENDING
    assert events(friend) == ["introduction.received"] and events(third) == ["introduction.received"]
    moment = Moment.objects.get(author=author)
    assert moment.kind == MomentKind.INTRODUCTION and moment.introduction == intro and not moment.is_public
    assert moment.note == "Introduced Finn Friend to Tess Third"


def test_both_accepting_connects_them_and_tells_all_three(intro, author, friend, third):
    intros.answer(introduction=intro, person=friend, accept=True)
    intro.refresh_from_db()
    assert intro.state == IntroductionState.PENDING
    intros.answer(introduction=intro, person=third, accept=True)
    intro.refresh_from_db()
    assert intro.state == IntroductionState.CONNECTED and intro.connected_at
    for person in (author, friend, third):
        assert "introduction.accepted" in events(person)


def test_a_decline_is_quiet_and_never_says_who(intro, author, friend, third, author_client):
    intros.answer(introduction=intro, person=friend, accept=True)
    intros.answer(introduction=intro, person=third, accept=False)
    intro.refresh_from_db()
    assert intro.state == IntroductionState.NOT_THIS_TIME
    told = Notification.objects.get(recipient=author, event="introduction.not_this_time")
    assert told.body == intros.NOT_THIS_TIME
    assert "declin" not in (told.title + told.body).lower()
    assert "introduction.not_this_time" not in events(third)  # the decliner is not told anything
    page = author_client.get(reverse("moments:introduction", args=[intro.pk])).content.decode()
    assert "Not this time" in page
    assert "declin" not in page.lower()
    listing = author_client.get(reverse("moments:introductions")).content.decode()
    assert "Not this time" in listing


def test_the_introducer_never_sees_individual_answers(intro, author, friend, author_client):
    intros.answer(introduction=intro, person=friend, accept=True)
    assert intros.status_for(intro, author) == "Waiting for both to accept"
    page = author_client.get(reverse("moments:introduction", args=[intro.pk])).content.decode()
    assert "Waiting for both to accept" in page and "accepted" not in page.lower()


def test_nobody_answers_twice_or_for_someone_else(intro, author, friend):
    intros.answer(introduction=intro, person=friend, accept=True)
    with pytest.raises(intros.IntroductionConflict):
        intros.answer(introduction=intro, person=friend, accept=False)
    with pytest.raises(PermissionDenied):
        intros.answer(introduction=intro, person=author, accept=True)


@pytest.mark.parametrize(
    ("who", "field", "words"),
    [
        ("self_first", "first", "not yourself"),
        ("same", "second", "two different people"),
        ("no_note", "note", "why should these two meet"),
    ],
)
def test_it_refuses_bad_introductions_with_a_field_error(author, friend, third, who, field, words):
    first, second, note = friend, third, "Meet!"
    if who == "self_first":
        first = author
    elif who == "same":
        second = friend
    elif who == "no_note":
        note = "  "
    with pytest.raises(ValidationError) as error:
        intros.introduce(introducer=author, first=first, second=second, note=note)
    assert words in error.value.message_dict[field][0]


def test_two_people_are_not_introduced_twice_while_one_is_open(intro, author, friend, third):
    with pytest.raises(ValidationError) as error:
        intros.introduce(introducer=author, first=third, second=friend, note="Again")
    assert "already" in error.value.message_dict["second"][0]
    intros.answer(introduction=intro, person=friend, accept=False)
    again = intros.introduce(introducer=author, first=friend, second=third, note="Maybe now?")
    assert again.pk != intro.pk


def test_introductions_are_rate_limited(author, friend, third):
    from tests.factories_mentoring import person

    others = [person(f"Other {i}") for i in range(intros.introductions_per_day() + 1)]
    for other in others[: intros.introductions_per_day()]:
        intros.introduce(introducer=author, first=friend, second=other, note="Meet")
    with pytest.raises(intros.IntroductionsRateLimited):
        intros.introduce(introducer=author, first=third, second=others[-1], note="Meet")


def test_the_thread_opens_once_connected_for_the_two_introduced_only(
    intro, author, friend, third, friend_client, author_client
):
    url = reverse("moments:introduction-message", args=[intro.pk])
    assert friend_client.post(url, {"body": "Too early"}).status_code == 302
    assert not intro.messages.exists()
    intros.answer(introduction=intro, person=friend, accept=True)
    intros.answer(introduction=intro, person=third, accept=True)
    assert friend_client.post(url, {"body": "Hello Tess!"}).status_code == 302
    assert "introduction.message" in events(third)
    assert author_client.post(url, {"body": "Me too"}).status_code == 404
    page = author_client.get(reverse("moments:introduction", args=[intro.pk])).content.decode()
    assert "Hello Tess!" not in page and "Connected" in page
    assert (
        "Hello Tess!" in friend_client.get(reverse("moments:introduction", args=[intro.pk])).content.decode()
    )


def test_an_empty_message_keeps_the_page_with_an_error(intro, friend, third, friend_client):
    intros.answer(introduction=intro, person=friend, accept=True)
    intros.answer(introduction=intro, person=third, accept=True)
    response = friend_client.post(reverse("moments:introduction-message", args=[intro.pk]), {"body": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_the_pages_make_and_answer_an_introduction(author_client, friend_client, friend, third):
    response = author_client.post(
        reverse("moments:introductions"), {"first": "Finn Friend", "second": third.email, "note": "Meet!"}
    )
    intro = Introduction.objects.get()
    assert response["Location"] == reverse("moments:introduction", args=[intro.pk])
    page = friend_client.get(reverse("moments:introduction", args=[intro.pk])).content.decode()
    assert "Ada Author would like you to meet Tess Third" in page and "Accept" in page
    friend_client.post(reverse("moments:introduction-answer", args=[intro.pk]), {"answer": "decline"})
    intro.refresh_from_db()
    assert intro.first_answer == Answer.DECLINED and intro.state == IntroductionState.NOT_THIS_TIME


def test_the_form_keeps_what_was_typed_on_errors(author_client):
    page = author_client.post(
        reverse("moments:introductions"), {"first": "Nobody Here", "second": "", "note": "Because reasons"}
    ).content.decode()
    assert "We don&#x27;t know anyone called “Nobody Here”" in page and "Because reasons" in page


def test_the_list_costs_the_same_queries_at_any_size(author, friend, third, author_client):
    def grow(n):
        Introduction.objects.bulk_create(
            [Introduction(introducer=author, first=friend, second=third, note=f"n{i}") for i in range(n)]
        )

    assert_constant_queries(grow=grow, action=lambda: author_client.get(reverse("moments:introductions")))


def test_the_thread_costs_the_same_queries_at_any_size(friend, third, friend_client):
    intro = IntroductionFactory(first=friend, second=third, state=IntroductionState.CONNECTED)

    def grow(n):
        for _ in range(n):
            IntroductionMessageFactory(introduction=intro)

    assert_constant_queries(
        grow=grow,
        action=lambda: friend_client.get(reverse("moments:introduction", args=[intro.pk])),
        large=60,
    )
