"""The access matrix for moments and introductions: a moment is its author's alone; an introduction is
seen by its three people; its thread by the two introduced."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.community.moments.models import IntroductionState
from tests.factories_moments import IntroductionFactory, MomentFactory
from tests.harness.access import Row, assert_access_matrix

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, *, author, friend, third, outsider, organiser):
        self.moment = MomentFactory(author=author, is_public=True)
        self.intro = IntroductionFactory(
            introducer=author, first=friend, second=third, state=IntroductionState.CONNECTED
        )
        self.clients = {"anonymous": Client()}
        for role, user in (
            ("author", author),
            ("friend", friend),
            ("third", third),
            ("outsider", outsider),
            ("organiser", organiser),
        ):
            client = Client()
            client.force_login(user)
            self.clients[role] = client


@pytest.fixture
def world(author, friend, third, outsider, organiser):
    return World(author=author, friend=friend, third=third, outsider=outsider, organiser=organiser)


def roles(anonymous=302, author=200, friend=200, third=200, outsider=200, organiser=200):
    return {
        "anonymous": anonymous,
        "author": author,
        "friend": friend,
        "third": third,
        "outsider": outsider,
        "organiser": organiser,
    }


OWN = roles(friend=404, third=404, outsider=404, organiser=404)
INTRO = roles(outsider=404, organiser=404)
THREAD_POST = roles(author=404, friend=302, third=302, outsider=404, organiser=404)
API = {"anonymous": 401}

ACCESS = [
    Row("GET", lambda w: reverse("moments:list"), roles()),
    Row("GET", lambda w: reverse("moments:edit", args=[w.moment.pk]), OWN),
    Row("GET", lambda w: reverse("moments:introductions"), roles()),
    Row("GET", lambda w: reverse("moments:introduction", args=[w.intro.pk]), INTRO),
    Row(
        "POST",
        lambda w: reverse("moments:introduction-message", args=[w.intro.pk]),
        THREAD_POST,
        data={"body": "Hi"},
    ),
    Row(
        "POST",
        lambda w: reverse("moments:introduction-answer", args=[w.intro.pk]),
        roles(author=404, friend=302, third=302, outsider=404, organiser=404),
        data={"answer": "accept"},
    ),
    Row("GET", lambda w: "/api/v1/moments/", roles(**API)),
    Row("GET", lambda w: "/api/v1/moments/challenge/", roles(**API)),
    Row(
        "GET",
        lambda w: f"/api/v1/moments/{w.moment.pk}/",
        roles(anonymous=401, friend=404, third=404, outsider=404, organiser=404),
    ),
    Row("GET", lambda w: "/api/v1/introductions/", roles(**API)),
    Row(
        "GET",
        lambda w: f"/api/v1/introductions/{w.intro.pk}/",
        roles(anonymous=401, outsider=404, organiser=404),
    ),
    Row(
        "GET",
        lambda w: f"/api/v1/introductions/{w.intro.pk}/messages/",
        roles(anonymous=401, author=403, outsider=404, organiser=404),
    ),
    # Last, because the author's request deletes the moment.
    Row("POST", lambda w: reverse("moments:delete", args=[w.moment.pk]), {**OWN, "author": 302}),
]


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)
