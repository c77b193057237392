"""Moments fixtures: people in different time zones, and their clients."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories_mentoring import person


@pytest.fixture
def author(db):
    return person("Ada Author", timezone="Asia/Tokyo")


@pytest.fixture
def friend(db):
    return person("Finn Friend")


@pytest.fixture
def third(db):
    return person("Tess Third", timezone="America/New_York")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def author_client(author):
    return client_for(author)


@pytest.fixture
def friend_client(friend):
    return client_for(friend)


@pytest.fixture
def third_client(third):
    return client_for(third)
