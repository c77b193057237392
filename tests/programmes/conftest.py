"""Programme fixtures: a fixed clock, a programme organised by the site organiser, a member, clients."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from openhelp.directory.programmes import services
from openhelp.directory.programmes.models import Membership, MembershipRole

# Monday 2 June 2025, 06:00 UTC (08:00 in Berlin).
START = dt.datetime(2025, 6, 2, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def programme(organiser):
    return services.create_programme(
        actor=organiser,
        name="Data Guild",
        description="Analysts helping analysts.",
        code_of_conduct="Be kind.",
        allowed_email_domain="guild.example",
    )


@pytest.fixture
def member(programme, owner):
    Membership.objects.create(programme=programme, user=owner, role=MembershipRole.MEMBER)
    return owner


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
