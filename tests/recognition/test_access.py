"""The access matrix for recognition pages and endpoints, from every side."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.community.recognition import services
from tests.harness.access import Row, assert_access_matrix

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, *, mentee, mentor, stranger, organiser, session, skill):
        self.mentee, self.mentor, self.session = mentee, mentor, session
        self.private = services.give_kudos(giver=mentee, receiver=mentor, public=False)
        self.public = services.give_kudos(giver=mentee, receiver=mentor, public=True)
        self.endorsement = services.endorse(session=session, mentor=mentor, mentee=mentee, skill=skill)
        self.clients = {"anonymous": Client()}
        for role, user in (
            ("mentee", mentee),
            ("mentor", mentor),
            ("stranger", stranger),
            ("organiser", organiser),
        ):
            client = APIClient()
            client.force_login(user)
            self.clients[role] = client


@pytest.fixture
def world(mentee, mentor, stranger, organiser, session, skill):
    return World(
        mentee=mentee, mentor=mentor, stranger=stranger, organiser=organiser, session=session, skill=skill
    )


def roles(anonymous=302, mentee=200, mentor=200, stranger=200, organiser=200):
    return {
        "anonymous": anonymous,
        "mentee": mentee,
        "mentor": mentor,
        "stranger": stranger,
        "organiser": organiser,
    }


API = dict(anonymous=401)

ACCESS = [
    Row("GET", lambda w: reverse("recognition:feed"), roles()),
    Row("GET", lambda w: reverse("recognition:mine"), roles()),
    Row("GET", lambda w: reverse("recognition:given"), roles()),
    Row("GET", lambda w: reverse("recognition:give", args=[w.mentor.pk]), roles()),
    Row(
        "GET",
        lambda w: reverse("recognition:give", args=[999999]),
        roles(mentee=404, mentor=404, stranger=404, organiser=404),
    ),
    Row(
        "GET",
        lambda w: reverse("recognition:give", args=[w.mentor.pk]) + f"?session={w.session.pk}",
        roles(stranger=404, organiser=404),
    ),
    Row(
        "GET",
        lambda w: reverse("recognition:give", args=[w.mentor.pk]) + "?session=abc",
        roles(mentee=404, mentor=404, stranger=404, organiser=404),
    ),
    Row("GET", lambda w: "/api/v1/kudos/", roles(**API)),
    Row("GET", lambda w: "/api/v1/kudos/feed/", roles(**API)),
    Row("GET", lambda w: f"/api/v1/kudos/{w.public.pk}/", roles(**API)),
    Row("GET", lambda w: f"/api/v1/kudos/{w.private.pk}/", roles(**API, stranger=404, organiser=404)),
    Row("GET", lambda w: "/api/v1/endorsements/", roles(**API)),
    Row("GET", lambda w: f"/api/v1/endorsements/{w.endorsement.pk}/", roles(**API)),
    Row("GET", lambda w: f"/api/v1/people/{w.mentor.profile.pk}/recognition/", roles(**API)),
    Row(
        "GET",
        lambda w: "/api/v1/people/999999/recognition/",
        roles(anonymous=401, mentee=404, mentor=404, stranger=404, organiser=404),
    ),
    Row(
        "DELETE",
        lambda w: f"/api/v1/endorsements/{w.endorsement.pk}/",
        {"anonymous": 401, "mentee": 403, "stranger": 403, "organiser": 403},
    ),
    Row(
        "POST",
        lambda w: "/api/v1/endorsements/",
        {"anonymous": 401, "mentee": 403, "stranger": 404, "organiser": 404},
        data={"session": 0, "skill": "PostgreSQL"},
        json=True,
    ),
]


def test_it_enforces_the_access_matrix(world):
    # The POST row needs the real session id; it is filled in here because rows are module-level.
    rows = [
        Row(r.method, r.url, r.expected, data={**r.data, "session": world.session.pk}, json=r.json)
        if r.data is not None
        else r
        for r in ACCESS
    ]
    assert_access_matrix(rows, world)
