"""The ask pages: my asks (grouped, empty state, no N+1), the ask itself (status, offers, wait, timeline)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openhelp.help.asks.lifecycle import record_event
from openhelp.help.asks.models import AskState
from openhelp.help.routing.models import Offer, OfferState
from openhelp.platform.lib.clock import now
from tests.factories import UserFactory
from tests.factories_asks import AskFactory, MessageFactory, ask_in_state, make_asks
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_it_explains_what_an_ask_is_when_there_are_none(mentee_client):
    page = mentee_client.get(reverse("asks:list")).content.decode()

    assert "You have no asks yet" in page
    assert "short, focused request for help" in page
    assert reverse("asks:new") in page


def test_it_groups_my_asks_by_what_they_need(mentee_client, mentee, co_asker):
    AskFactory(mentee=mentee, title="My draft")
    ask_in_state(AskState.OFFERED, mentee=mentee, title="Waiting one")
    ask_in_state(AskState.COMPLETED, mentee=mentee, title="Done one")
    AskFactory(mentee=co_asker, co_askers=[mentee], title="Team ask")
    AskFactory(title="Not mine")

    response = mentee_client.get(reverse("asks:list"))

    groups = {heading: [a.title for a in asks] for _, heading, asks in response.context["groups"]}
    assert groups == {
        "Waiting for you": ["Team ask", "My draft"],
        "Looking for an expert": ["Waiting one"],
    }
    assert "you are a co-asker" in response.content.decode()
    closed = mentee_client.get(reverse("asks:list"), {"show": "closed"})
    groups = {heading: [a.title for a in asks] for _, heading, asks in closed.context["groups"]}
    assert groups == {"Closed": ["Done one"]}


def test_it_lists_asks_in_constant_queries(mentee_client, mentee, co_asker, skills):
    def grow(n):
        make_asks(n, mentee=mentee, skills=[skills["python"]])
        make_asks(n, mentee=co_asker, skills=[skills["django"]], co_asker=mentee, state=AskState.DRAFT)

    assert_constant_queries(grow=grow, action=lambda: mentee_client.get(reverse("asks:list")), large=200)


def test_it_shows_the_status_the_offer_count_and_an_honest_wait(mentee_client, mentee, helper):
    ask = ask_in_state(AskState.OFFERED, mentee=mentee)
    for mentor in (helper, UserFactory()):
        Offer.objects.create(ask=ask, mentor=mentor, expires_at=ask.published_at + dt.timedelta(days=1))
    record_event(ask, kind="declined", note="One expert could not take it (no time).")

    page = mentee_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()

    assert "Offered to 2 experts" in page
    assert "Hana Helper" not in page  # how many, never who
    assert "No asks have been accepted here yet, so we cannot estimate the wait." in page
    assert "One expert could not take it" in page


def test_it_says_by_when_the_experts_answer_before_the_ask_moves_on(mentee_client, mentee, helper):
    # The promise that nothing waits forever, on the ask itself and not only on Today.
    ask = ask_in_state(AskState.OFFERED, mentee=mentee)
    soon, later = now() + dt.timedelta(hours=5), now() + dt.timedelta(hours=9)
    Offer.objects.create(ask=ask, mentor=helper, expires_at=later)
    Offer.objects.create(ask=ask, mentor=UserFactory(), expires_at=soon)
    Offer.objects.create(
        ask=ask, mentor=UserFactory(), expires_at=now() + dt.timedelta(hours=1), state=OfferState.DECLINED
    )

    response = mentee_client.get(reverse("asks:detail", args=[ask.pk]))

    assert response.context["answer_due"] == soon
    assert "The experts answer by" in response.content.decode()
    assert "or it moves on to the next ones." in response.content.decode()


def test_an_ask_not_offered_to_anyone_promises_no_answer_time(mentee_client, mentee):
    ask = ask_in_state(AskState.OPEN, mentee=mentee)

    response = mentee_client.get(reverse("asks:detail", args=[ask.pk]))

    assert response.context["answer_due"] is None
    assert "The experts answer by" not in response.content.decode()


def test_it_shows_the_timeline_with_who_and_why(mentee_client, mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)
    record_event(ask, kind="accepted", actor=helper, note="Accepted by Hana Helper.")
    record_event(ask, kind="offered", actor=UserFactory(), note="something")

    response = mentee_client.get(reverse("asks:detail", args=[ask.pk]))

    rows = [(row.what, row.who, row.text) for row in response.context["timeline"]]
    assert rows == [
        ("Accepted", "Hana Helper", "Hana Helper accepted it."),
        ("Offered to experts", "Open to Help", "Something."),  # the platform offers, whoever clicked
    ]


def test_it_shows_each_role_only_its_own_buttons(
    mentee_client, helper_client, co_asker_client, mentee, helper, co_asker
):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper, co_askers=[co_asker])
    MessageFactory(ask=ask, author=helper, body="<script>alert(1)</script>**hi**")
    pages = {
        role: client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
        for role, client in (("mentee", mentee_client), ("helper", helper_client), ("co", co_asker_client))
    }

    assert "It helped" in pages["mentee"] and "Mark as answered" not in pages["mentee"]
    assert "Mark as answered" in pages["helper"] and "It helped" not in pages["helper"]
    assert "Mark as answered" not in pages["co"] and "It helped" not in pages["co"]
    assert all("Send message" in page for page in pages.values())
    assert "<strong>hi</strong>" in pages["co"] and "<script>alert" not in pages["co"]


def test_it_offers_route_it_to_others_after_a_directed_decline(mentee_client, mentee, helper):
    ask = ask_in_state(AskState.OPEN, mentee=mentee, mode="directed", directed_to=helper)
    Offer.objects.create(
        ask=ask,
        mentor=helper,
        state=OfferState.DECLINED,
        expires_at=ask.published_at,
        responded_at=ask.published_at,
    )

    page = mentee_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()

    assert "Route it to others" in page
    assert "Hana Helper could not take it" in page


def test_it_hides_route_it_to_others_while_the_person_asked_may_still_accept(mentee_client, mentee, helper):
    ask = ask_in_state(AskState.OFFERED, mentee=mentee, mode="directed", directed_to=helper)
    Offer.objects.create(ask=ask, mentor=helper, expires_at=ask.published_at + dt.timedelta(days=1))

    assert (
        "Route it to others" not in mentee_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    )


def test_it_serves_suggestions_and_the_preview_as_json(mentee_client, skills):
    suggested = mentee_client.post(
        reverse("asks:suggest-skills"), {"text": "Django on k8s", "chosen": ["Django"]}
    )
    assert suggested.json() == {
        "results": [{"id": skills["kubernetes"].pk, "name": "Kubernetes", "slug": "kubernetes"}]
    }

    preview = mentee_client.get(
        reverse("asks:preview"), {"skill": ["Python", "nonsense"], "urgency": "today"}
    )
    body = preview.json()
    assert body["count"] == 0
    assert "No expert" in body["text"]
    assert body["estimated_wait_text"].startswith("No asks have been accepted here yet")
    assert "if nobody accepts within 3 hours, more experts are asked" in body["estimated_wait_text"]


def test_asking_one_person_says_who_gets_it_on_the_button(mentee_client, helper):
    # "Save and publish" and "we find the experts by them" spoke of routing, when the mentee chose the person.
    directed = mentee_client.get(reverse("asks:new"), {"directed_to": helper.pk}).content.decode()
    routed = mentee_client.get(reverse("asks:new")).content.decode()

    name = helper.profile.display_name
    assert f'<button type="submit" name="publish" class="btn btn-primary">Send to {name}</button>' in directed
    assert "One to five: what it is about." in directed and "Who else could help" in directed
    assert "Save and publish" not in directed
    assert '<button type="submit" name="publish" class="btn btn-primary">Save and publish</button>' in routed
    assert "One to five: we find the experts by them." in routed and "Who could help" in routed


def test_it_offers_ask_this_person_on_the_profile_of_someone_open_to_help(mentee_client, mentee, helper):
    page = mentee_client.get(reverse("people:detail", args=[helper.profile.pk])).content.decode()
    assert f"{reverse('asks:new')}?directed_to={helper.pk}" in page

    own = mentee_client.get(reverse("people:detail", args=[mentee.profile.pk])).content.decode()
    assert "?directed_to=" not in own
