"""The access matrix: every session page and endpoint from every side.

Only the mentee and the mentor of a session see it; everyone else — organisers included — gets a 404
(never 403, so a session's existence does not leak). Organisers have their own figures page.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.help.asks.models import AskState
from openhelp.help.mentoring import services
from tests.factories_asks import ask_in_state
from tests.factories_mentoring import past_session
from tests.factories_officehours import OfficeHoursFactory, book
from tests.harness.access import Row, assert_access_matrix

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, *, mentee, mentor, stranger, organiser, skill):
        self.mentee, self.mentor, self.skill = mentee, mentor, skill
        self.clients = {"anonymous": Client()}
        for role, user in (
            ("mentee", mentee),
            ("mentor", mentor),
            ("outsider", stranger),
            ("organiser", organiser),
        ):
            client = Client()
            client.force_login(user)
            self.clients[role] = client
        self.block = OfficeHoursFactory(mentor=mentor)

    # A fresh session for every request, so one role's step never changes what the next role sees.
    def session(self):
        session = past_session(mentee=self.mentee, mentor=self.mentor, skills=[self.skill])
        services.apply_agenda_template(session=session, actor=self.mentor, template="advice")
        return session

    def step(self):
        session = self.session()
        return session, session.steps.first()

    def tick_url(self, api: bool = False):
        session, step = self.step()
        if api:
            return reverse("api:sessions-agenda-step", args=[session.pk, step.pk])
        return reverse("mentoring:agenda-step-tick", args=[session.pk, step.pk])

    def ask(self):
        return ask_in_state(AskState.ACCEPTED, mentee=self.mentee, helper=self.mentor, skills=[self.skill])

    def booking(self):
        return book(self.block, self.mentee, skip=len(self.block.slots.all()))


@pytest.fixture
def world(mentee, mentor, stranger, organiser, skill):
    return World(mentee=mentee, mentor=mentor, stranger=stranger, organiser=organiser, skill=skill)


def web(anonymous=302, mentee=200, mentor=200, outsider=404, organiser=404):
    return {
        "anonymous": anonymous,
        "mentee": mentee,
        "mentor": mentor,
        "outsider": outsider,
        "organiser": organiser,
    }


def api(anonymous=401, mentee=200, mentor=200, outsider=404, organiser=404):
    return web(anonymous, mentee, mentor, outsider, organiser)


STEP = web(mentee=302, mentor=302)


def s(name, *rest):
    return lambda w: reverse(name, args=[w.session().pk, *rest])


def a(name):
    return lambda w: reverse(f"api:{name}", args=[w.session().pk])


def web_rows(world) -> list[Row]:
    return [
        Row("GET", lambda w: reverse("mentoring:list"), web(outsider=200, organiser=200)),
        Row("GET", lambda w: reverse("mentoring:export"), web(outsider=200, organiser=200)),
        Row("GET", s("mentoring:detail"), web()),
        Row("POST", s("mentoring:plan"), STEP, data={"objective": "x", "preparation_questions": "y"}),
        Row("POST", s("mentoring:agenda-template"), STEP, data={"template": "review"}),
        Row("POST", s("mentoring:agenda-step-add"), STEP, data={"title": "Try it"}),
        Row("POST", lambda w: w.tick_url(), STEP, data={"done": "1"}),
        Row("POST", s("mentoring:shared-notes"), STEP, data={"body": "hello", "version": "0"}),
        Row("POST", s("mentoring:private-notes"), STEP, data={"body": "mine"}),
        Row("POST", s("mentoring:attendance"), STEP, data={"kind": "happened"}),
        Row("GET", s("mentoring:debrief"), web()),
        Row("POST", s("mentoring:debrief"), STEP, data={"takeaways": "One thing", "outcome": "solved"}),
        Row(
            "POST",
            lambda w: reverse("recognition:endorse", args=[w.session().pk]),
            web(mentee=400, mentor=302),
            data={"skill": world.skill.pk},
        ),
        Row("GET", lambda w: reverse("mentoring:for-ask", args=[w.ask().pk]), STEP),
        Row("GET", lambda w: reverse("officehours:booking-session", args=[w.booking().pk]), STEP),
        Row("GET", lambda w: reverse("mentoring:organiser"), web(mentee=404, mentor=404, organiser=200)),
        Row(
            "POST",
            lambda w: reverse("mentoring:lift-pause", args=[w.mentee.pk]),
            web(mentee=404, mentor=404, organiser=302),
        ),
    ]


def api_rows(world) -> list[Row]:
    return [
        Row("GET", lambda w: reverse("api:sessions-list"), api(outsider=200, organiser=200)),
        Row("GET", lambda w: reverse("api:sessions-booking-pause"), api(outsider=200, organiser=200)),
        Row("GET", a("sessions-detail"), api()),
        Row("PATCH", a("sessions-detail"), api(), data={"objective": "x"}, json=True),
        Row("GET", a("sessions-agenda"), api()),
        Row("PUT", a("sessions-agenda"), api(), data={"template": "review"}, json=True),
        Row("POST", a("sessions-agenda"), api(mentee=201, mentor=201), data={"title": "Try"}, json=True),
        Row("PATCH", lambda w: w.tick_url(api=True), api(), data={"done": True}, json=True),
        Row("GET", a("sessions-shared-notes"), api()),
        Row("PUT", a("sessions-shared-notes"), api(), data={"body": "hi", "version": 0}, json=True),
        Row("GET", a("sessions-private-notes"), api()),
        Row("PUT", a("sessions-private-notes"), api(), data={"body": "mine"}, json=True),
        Row("GET", a("sessions-debrief"), api()),
        Row("PATCH", a("sessions-debrief"), api(), data={"takeaways": ["One"]}, json=True),
        Row(
            "POST",
            lambda w: reverse("api:sessions-endorse", args=[w.session().pk]),
            api(mentee=400, mentor=201),
            data={"skill": world.skill.pk},
            json=True,
        ),
        Row("GET", a("sessions-attendance"), api()),
        Row("POST", a("sessions-attendance"), api(), data={"kind": "happened"}, json=True),
        Row("GET", lambda w: reverse("api:sessions-export"), api(outsider=200, organiser=200)),
        Row("GET", lambda w: reverse("api:sessions-pauses"), api(mentee=404, mentor=404, organiser=200)),
        Row(
            "POST",
            lambda w: reverse("api:sessions-pause-lift", args=[w.mentee.pk]),
            api(mentee=404, mentor=404, organiser=200),
            data={"note": "Was ill"},
            json=True,
        ),
    ]


def test_it_enforces_the_web_access_matrix(world):
    assert_access_matrix(web_rows(world), world)


def test_it_enforces_the_api_access_matrix(world):
    assert_access_matrix(api_rows(world), world)
