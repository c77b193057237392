"""Builders for the Matrix bot: its account row and people's links."""

from __future__ import annotations

import itertools

import factory
from factory.django import DjangoModelFactory

from openhelp.integrations.matrix.models import MatrixBot, MatrixLink
from tests.factories import UserFactory

_n = itertools.count()


class MatrixBotFactory(DjangoModelFactory):
    class Meta:
        model = MatrixBot
        django_get_or_create = ("id",)

    id = 1
    homeserver_url = "http://127.0.0.1:9"
    user_id = "@bot:localhost"
    access_token = "syt_bot_token_1234"


class MatrixLinkFactory(DjangoModelFactory):
    class Meta:
        model = MatrixLink

    user = factory.SubFactory(UserFactory)
    matrix_id = factory.LazyFunction(lambda: f"@person{next(_n)}:localhost")
    room_id = factory.LazyFunction(lambda: f"!room{next(_n)}:localhost")
