"""The access matrix for library pages and endpoints."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories_library import LibraryEntryFactory
from tests.harness.access import Row, assert_access_matrix

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, *, mentee, mentor, reader, organiser, skills):
        self.entry = LibraryEntryFactory(mentor=mentor, mentee=mentee, skills=[skills["postgres"]])
        self.other = LibraryEntryFactory(mentor=mentor, mentee=mentee)
        self.clients = {"anonymous": Client()}
        for role, user in (
            ("mentee", mentee),
            ("mentor", mentor),
            ("reader", reader),
            ("organiser", organiser),
        ):
            client = Client()
            client.force_login(user)
            self.clients[role] = client


@pytest.fixture
def world(mentee, mentor, reader, organiser, skills):
    return World(mentee=mentee, mentor=mentor, reader=reader, organiser=organiser, skills=skills)


def roles(anonymous=302, mentee=200, mentor=200, reader=200, organiser=200):
    return {
        "anonymous": anonymous,
        "mentee": mentee,
        "mentor": mentor,
        "reader": reader,
        "organiser": organiser,
    }


ACCESS = [
    Row("GET", lambda w: reverse("library:list"), roles()),
    Row("GET", lambda w: reverse("library:detail", args=[w.entry.pk]), roles()),
    Row(
        "GET",
        lambda w: reverse("library:detail", args=[999999]),
        roles(mentee=404, mentor=404, reader=404, organiser=404),
    ),
    Row("GET", lambda w: reverse("library:suggestions") + "?skill=postgres", roles()),
    Row(
        "POST",
        lambda w: reverse("library:withdraw", args=[w.entry.pk]),
        {"anonymous": 302, "reader": 404, "organiser": 404},
    ),
    Row("GET", lambda w: reverse("library:withdraw", args=[w.entry.pk]), {"mentee": 405}),
    Row("GET", lambda w: "/api/v1/library/", roles(anonymous=401)),
    Row("GET", lambda w: f"/api/v1/library/{w.entry.pk}/", roles(anonymous=401)),
    Row("GET", lambda w: "/api/v1/library/suggestions/?skill=postgres", roles(anonymous=401)),
    Row(
        "DELETE",
        lambda w: f"/api/v1/library/{w.entry.pk}/",
        {"anonymous": 401, "reader": 403, "organiser": 403},
    ),
    Row("DELETE", lambda w: f"/api/v1/library/{w.other.pk}/", {"mentor": 204}),
]


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)
