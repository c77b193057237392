"""Today's estimated wait (``asks.estimates.remembered_waits``) is computed once per (urgency, skills) and
reused for ten minutes: the estimate reads every recent ask sharing a skill, and a few minutes of new asks
do not move a 90-day median."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from openhelp.help.asks import estimates
from openhelp.help.asks.models import AskState, Urgency
from tests.factories import SkillFactory
from tests.factories_asks import AskFactory
from tests.factories_routing import open_ask

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)
HOME = "/"


def accepted_after(hours: list[int], *, skill) -> None:
    published = MOMENT - dt.timedelta(days=3)
    for value in hours:
        AskFactory(
            skills=[skill],
            urgency=Urgency.THIS_WEEK,
            state=AskState.COMPLETED,
            published_at=published,
            accepted_at=published + dt.timedelta(hours=value),
        )


@pytest.fixture
def clock():
    """A frozen clock, started before the signed-in client is made (its session must not expire)."""
    with time_machine.travel(MOMENT, tick=False) as traveller:
        yield traveller


def test_the_estimate_is_reused_until_it_expires(clock, owner, owner_client):
    skill = SkillFactory(name="Django", slug="django")
    accepted_after([1, 2, 3, 4, 5], skill=skill)
    open_ask(skills=[skill], mentee=owner, title="Speed up my queries", urgency=Urgency.THIS_WEEK)
    first = owner_client.get(HOME).content.decode()
    assert "within about 3 hours (from 5 recent asks)" in first
    accepted_after([40, 40, 40, 40, 40, 40], skill=skill)
    clock.shift(dt.timedelta(seconds=estimates.WAIT_SECONDS - 60))
    assert "within about 3 hours (from 5 recent asks)" in owner_client.get(HOME).content.decode()
    clock.shift(dt.timedelta(seconds=120))
    assert "within about 40 hours (from 11 recent asks)" in owner_client.get(HOME).content.decode()


def test_a_fallback_estimate_is_remembered_too_and_asks_with_other_skills_get_their_own(
    clock, owner, owner_client
):
    rare, common = SkillFactory(name="Rare", slug="rare"), SkillFactory(name="Common", slug="common")
    accepted_after([1, 1, 1, 1, 1], skill=common)
    open_ask(skills=[rare], mentee=owner, title="A rare question", urgency=Urgency.THIS_WEEK)
    across = "Across the organisation, asks were usually accepted within about 1 hour (from 5 recent asks)."
    assert across in owner_client.get(HOME).content.decode()
    accepted_after([2, 2, 2, 2, 2], skill=rare)  # not seen until the remembered answer expires
    open_ask(skills=[common], mentee=owner, title="A common question", urgency=Urgency.THIS_WEEK)
    html = owner_client.get(HOME).content.decode()
    assert across in html
    assert "Similar asks were usually accepted within about 1 hour (from 5 recent asks)." in html
