"""The access matrix: every ask page and endpoint from every side.

Only the mentee, the co-askers and the accepted helper see an ask; everyone else gets 404 (never 403, so
an ask's existence does not leak). Steps for another role on a visible ask are a notice on the web (302)
and a 403 in the API; steps the state does not allow are a 409.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openhelp.help.asks.models import AskState, CoAskerInvitation
from tests.factories_asks import AskFactory, ask_in_state
from tests.harness.access import Row, assert_access_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


ROLES = ("anonymous", "mentee", "co_asker", "helper", "outsider")


class World:
    def __init__(self, *, mentee, co_asker, helper, outsider, skills):
        self.mentee, self.co_asker, self.helper, self.skills = mentee, co_asker, helper, skills
        self.outsider = outsider
        self.clients = {"anonymous": Client()}
        for role, user in (
            ("mentee", mentee),
            ("co_asker", co_asker),
            ("helper", helper),
            ("outsider", outsider),
        ):
            client = Client()
            client.force_login(user)
            self.clients[role] = client

    # A fresh ask for every request, so one role's step never changes what the next role sees.
    def draft(self):
        return AskFactory(mentee=self.mentee, co_askers=[self.co_asker], skills=[self.skills["python"]])

    def accepted(self):
        return ask_in_state(
            AskState.ACCEPTED, mentee=self.mentee, helper=self.helper, co_askers=[self.co_asker]
        )

    def invited(self):
        """An accepted ask on which the outsider is asked to co-ask and has not answered."""
        ask = self.accepted()
        CoAskerInvitation.objects.create(ask=ask, invitee=self.outsider, invited_by=self.mentee)
        return ask

    def answered(self):
        return ask_in_state(
            AskState.ANSWERED, mentee=self.mentee, helper=self.helper, co_askers=[self.co_asker]
        )


@pytest.fixture
def world(mentee, co_asker, helper, outsider, skills):
    return World(mentee=mentee, co_asker=co_asker, helper=helper, outsider=outsider, skills=skills)


def web(anonymous=302, mentee=200, co_asker=200, helper=200, outsider=200):
    return {
        "anonymous": anonymous,
        "mentee": mentee,
        "co_asker": co_asker,
        "helper": helper,
        "outsider": outsider,
    }


PRIVATE_PAGE = web(outsider=404)
MENTEE_ONLY_PAGE = web(co_asker=404, helper=404, outsider=404)
STEP = web(mentee=302, co_asker=302, helper=302, outsider=404)
MENTEE_ONLY_STEP = web(mentee=302, co_asker=404, helper=404, outsider=404)
# The rows are built at import, so "tomorrow" is a fixed day and every test runs on the day before it.
TODAY = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
TOMORROW = "2026-12-03T10:00"

WEB = [
    Row("GET", lambda w: reverse("asks:list"), web()),
    Row("GET", lambda w: reverse("asks:new"), web()),
    Row("GET", lambda w: reverse("asks:new") + f"?directed_to={w.helper.pk}", web()),
    Row("GET", lambda w: reverse("asks:preview") + "?skill=Python", web()),
    Row("POST", lambda w: reverse("asks:suggest-skills"), web(), data={"text": "Python"}),
    Row("GET", lambda w: reverse("asks:detail", args=[w.accepted().pk]), PRIVATE_PAGE),
    Row("GET", lambda w: reverse("asks:detail", args=[w.draft().pk]), web(helper=404, outsider=404)),
    Row("GET", lambda w: reverse("asks:edit", args=[w.draft().pk]), MENTEE_ONLY_PAGE),
    Row(
        "POST",
        lambda w: reverse("asks:edit", args=[w.draft().pk]),
        MENTEE_ONLY_STEP,
        data={
            "title": "T",
            "objective": "O",
            "question_1": "Q",
            "skill_1": "Python",
            "format": "async",
            "urgency": "flexible",
            "save": "",
        },
    ),
    Row("GET", lambda w: reverse("asks:cancel", args=[w.draft().pk]), MENTEE_ONLY_PAGE),
    Row(
        "POST",
        lambda w: reverse("asks:cancel", args=[w.draft().pk]),
        MENTEE_ONLY_STEP,
        data={"reason": "done"},
    ),
    Row("POST", lambda w: reverse("asks:publish", args=[w.draft().pk]), MENTEE_ONLY_STEP),
    Row("POST", lambda w: reverse("asks:reroute", args=[w.accepted().pk]), MENTEE_ONLY_STEP),
    Row(
        "POST",
        lambda w: reverse("asks:co-askers", args=[w.accepted().pk]),
        MENTEE_ONLY_STEP,
        data={"co_askers": "coasker@example.org"},
    ),
    # Someone asked to co-ask (here the outsider) sees the invitation and answers it; people on the ask
    # are sent to the ask itself, and nobody else has an invitation to answer.
    Row(
        "GET",
        lambda w: reverse("asks:invitation", args=[w.invited().pk]),
        web(mentee=302, co_asker=302, helper=302),
    ),
    Row(
        "POST",
        lambda w: reverse("asks:invitation-answer", args=[w.invited().pk]),
        web(mentee=404, co_asker=404, helper=404, outsider=302),
        data={"answer": "accept"},
    ),
    Row("POST", lambda w: reverse("asks:leave", args=[w.accepted().pk]), STEP),
    Row("POST", lambda w: reverse("asks:message", args=[w.accepted().pk]), STEP, data={"body": "Hello"}),
    Row("POST", lambda w: reverse("asks:answered", args=[w.accepted().pk]), STEP, data={"body": ""}),
    Row("POST", lambda w: reverse("asks:complete", args=[w.accepted().pk]), STEP),
    Row("POST", lambda w: reverse("asks:follow-up", args=[w.answered().pk]), STEP, data={"body": "And?"}),
    Row(
        "POST",
        lambda w: reverse("asks:schedule", args=[w.accepted().pk]),
        STEP,
        data={"scheduled_for": TOMORROW, "place": "Room 1"},
    ),
]


def api(anonymous=401, mentee=200, co_asker=200, helper=200, outsider=200):
    return {
        "anonymous": anonymous,
        "mentee": mentee,
        "co_asker": co_asker,
        "helper": helper,
        "outsider": outsider,
    }


def v1(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


NEW_ASK = {"title": "T", "objective": "O", "preparation_questions": ["Q"], "skills": ["Python"]}

API = [
    Row("GET", lambda w: v1("asks-list"), api()),
    Row(
        "POST",
        lambda w: v1("asks-list"),
        api(mentee=201, co_asker=201, helper=201, outsider=201),
        data=NEW_ASK,
        json=True,
    ),
    Row("POST", lambda w: v1("asks-suggest-skills"), api(), data={"text": "Python"}, json=True),
    Row("GET", lambda w: v1("asks-detail", w.accepted().pk), api(outsider=404)),
    Row(
        "PATCH",
        lambda w: v1("asks-detail", w.draft().pk),
        api(co_asker=403, helper=404, outsider=404),
        data={"title": "New"},
        json=True,
    ),
    Row(
        "PATCH",
        lambda w: v1("asks-detail", w.accepted().pk),
        api(mentee=409, co_asker=403, helper=403, outsider=404),
        data={"title": "New"},
        json=True,
    ),
    Row("POST", lambda w: v1("asks-publish", w.draft().pk), api(co_asker=403, helper=404, outsider=404)),
    Row(
        "POST",
        lambda w: v1("asks-cancel", w.accepted().pk),
        api(co_asker=403, helper=403, outsider=404),
        data={"reason": "done"},
        json=True,
    ),
    Row("GET", lambda w: v1("asks-messages", w.accepted().pk), api(outsider=404)),
    Row(
        "POST",
        lambda w: v1("asks-messages", w.accepted().pk),
        api(mentee=201, co_asker=201, helper=201, outsider=404),
        data={"body": "Hi"},
        json=True,
    ),
    Row(
        "POST",
        lambda w: v1("asks-messages", w.draft().pk),
        api(mentee=409, co_asker=409, helper=404, outsider=404),
        data={"body": "Hi"},
        json=True,
    ),
    Row(
        "POST",
        lambda w: v1("asks-answered", w.accepted().pk),
        api(mentee=403, co_asker=403, outsider=404),
        data={},
        json=True,
    ),
    Row("POST", lambda w: v1("asks-complete", w.accepted().pk), api(co_asker=403, helper=403, outsider=404)),
    Row(
        "POST",
        lambda w: v1("asks-follow-up", w.answered().pk),
        api(co_asker=403, helper=403, outsider=404),
        data={"body": "And?"},
        json=True,
    ),
    Row(
        "POST",
        lambda w: v1("asks-follow-up", w.accepted().pk),
        api(mentee=409, co_asker=403, helper=403, outsider=404),
        data={"body": "And?"},
        json=True,
    ),
    Row(
        "POST",
        lambda w: v1("asks-schedule", w.accepted().pk),
        api(co_asker=403, outsider=404),
        data={"scheduled_for": (TODAY + dt.timedelta(days=1)).isoformat(), "place": "Room 1"},
        json=True,
    ),
    Row(
        "POST",
        lambda w: v1("asks-reroute", w.accepted().pk),
        api(mentee=409, co_asker=403, helper=403, outsider=404),
    ),
    Row(
        "POST",
        lambda w: v1("asks-co-askers", w.accepted().pk),
        api(co_asker=403, helper=403, outsider=404),
        data={"co_askers": []},
        json=True,
    ),
    Row("GET", lambda w: v1("asks-timeline", w.accepted().pk), api(outsider=404)),
    Row("GET", lambda w: v1("asks-invitations"), api()),
    Row(
        "POST",
        lambda w: v1("asks-invitation-accept", w.invited().pk),
        api(mentee=404, co_asker=404, helper=404, outsider=200),
    ),
    Row(
        "POST",
        lambda w: v1("asks-invitation-decline", w.invited().pk),
        api(mentee=404, co_asker=404, helper=404, outsider=204),
    ),
    Row(
        "POST",
        lambda w: v1("asks-leave", w.accepted().pk),
        api(mentee=403, co_asker=204, helper=403, outsider=404),
    ),
]


def test_it_enforces_the_access_matrix_on_every_page(world):
    assert_access_matrix(WEB, world)


def test_it_enforces_the_access_matrix_on_every_endpoint(world):
    assert_access_matrix(API, world)


def _names_in(rows: list[Row]) -> str:
    return " ".join(str(const) for row in rows for const in row.url.__code__.co_consts)


def test_it_covers_every_ask_url():
    from openhelp.help.asks import api_urls, urls

    web_names, api_names = _names_in(WEB), _names_in(API)
    assert [p.name for p in urls.urlpatterns if f"asks:{p.name}" not in web_names] == []
    assert [p.name for p in api_urls.urlpatterns if p.name not in api_names] == []
