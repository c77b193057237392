"""The ask page shows the latest messages of a long thread, with a link back to earlier ones; "my asks"
reads the asks a person wrote or co-asks through an id list (index-served), at a bounded query cost."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from openhelp.help.asks.models import Ask, AskState, Message
from openhelp.help.asks.views import THREAD_SHOWN
from tests.factories_asks import AskFactory, MessageFactory, ask_in_state, make_asks

START = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)  # threads written in the past; requests run now


def long_thread(ask, n: int, *, same_time: bool = False) -> list[Message]:
    """``n`` messages, alternating authors, one a minute (or all at one instant: ties broken by id)."""
    messages = []
    for i in range(n):
        moment = START if same_time else START + dt.timedelta(minutes=i)
        with time_machine.travel(moment, tick=False):
            author = ask.mentee if i % 2 == 0 else ask.helper
            messages.append(MessageFactory(ask=ask, author=author, body=f"Message number {i:03d}"))
    return messages


def shown(response) -> list[str]:
    return [message.body for message in response.context["thread"]]


def test_a_long_thread_shows_the_latest_messages_and_links_to_earlier_ones(mentee_client, mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    messages = long_thread(ask, THREAD_SHOWN + 12)
    response = mentee_client.get(reverse("asks:detail", args=[ask.pk]))
    assert shown(response) == [m.body for m in messages[-THREAD_SHOWN:]]  # oldest of them first
    html = response.content.decode()
    first_shown = messages[-THREAD_SHOWN]
    assert f'href="?before={first_shown.pk}#thread"' in html
    assert "Latest messages" not in html

    earlier = mentee_client.get(reverse("asks:detail", args=[ask.pk]), {"before": first_shown.pk})
    assert shown(earlier) == [m.body for m in messages[:12]]
    assert earlier.context["earlier_messages"] is None
    assert "Latest messages" in earlier.content.decode()


def test_messages_at_the_same_instant_are_neither_repeated_nor_skipped(mentee_client, mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    messages = long_thread(ask, THREAD_SHOWN * 2 + 3, same_time=True)
    seen, before = [], ""
    while True:
        params = {"before": before} if before else {}
        response = mentee_client.get(reverse("asks:detail", args=[ask.pk]), params)
        seen[:0] = shown(response)
        earlier = response.context["earlier_messages"]
        if earlier is None:
            break
        before = earlier.pk
    assert seen == [m.body for m in messages]


def test_a_short_thread_has_no_earlier_link_and_a_bad_cursor_shows_the_latest(mentee_client, mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    long_thread(ask, 3)
    other = MessageFactory(ask=AskFactory(), body="Someone else's thread")
    for params in ({}, {"before": "x"}, {"before": other.pk}):  # another ask's message is no anchor
        response = mentee_client.get(reverse("asks:detail", args=[ask.pk]), params)
        assert response.status_code == 200
        assert len(shown(response)) == 3
        assert "Earlier messages" not in response.content.decode()


def test_posting_a_message_shows_it_at_the_end_of_a_long_thread(mentee_client, mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    long_thread(ask, THREAD_SHOWN + 5)
    response = mentee_client.post(
        reverse("asks:message", args=[ask.pk]), {"body": "The newest word"}, follow=True
    )
    assert shown(response)[-1] == "The newest word"
    assert len(shown(response)) == THREAD_SHOWN


def test_the_ask_page_costs_the_same_queries_for_a_short_or_long_thread(
    mentee_client, mentee, helper, django_assert_max_num_queries
):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    long_thread(ask, 2)
    url = reverse("asks:detail", args=[ask.pk])
    mentee_client.get(url)
    from tests.harness.queries import count_queries

    short = count_queries(lambda: mentee_client.get(url))
    long_thread(ask, THREAD_SHOWN + 20)
    with django_assert_max_num_queries(short):
        mentee_client.get(url)


def test_my_asks_lists_written_and_co_asked_asks_only(mentee_client, mentee, co_asker, skills):
    mine = make_asks(3, mentee=mentee, skills=[skills["python"]])
    co_asked = AskFactory(co_askers=[mentee], state=AskState.OPEN)
    AskFactory(state=AskState.OPEN)  # someone else's
    assert set(Ask.objects.asked_by(mentee)) == {*mine, co_asked}
    response = mentee_client.get(reverse("asks:list"))
    listed = {ask.pk for _slug, _heading, asks in response.context["groups"] for ask in asks}
    assert listed == {a.pk for a in mine} | {co_asked.pk}


def test_my_asks_costs_a_bounded_number_of_queries(
    mentee_client, mentee, co_asker, skills, django_assert_max_num_queries
):
    make_asks(40, mentee=mentee, skills=[skills["python"], skills["ab"]], co_asker=co_asker)
    mentee_client.get(reverse("asks:list"))
    with django_assert_max_num_queries(14):
        mentee_client.get(reverse("asks:list"))
