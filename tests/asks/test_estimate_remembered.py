"""The API's estimated wait: the same figure as estimated_wait, remembered a few minutes per urgency and
skills (as on Today), so writing and publishing asks do not read every recent similar ask each time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.help.asks.estimates import WAIT_SECONDS, estimated_wait
from openhelp.help.asks.models import Urgency
from tests.factories_asks import AskFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def _accepted(skill, hours: float) -> None:
    accepted_at = NOW - dt.timedelta(days=1)
    AskFactory(
        skills=[skill],
        urgency=Urgency.THIS_WEEK,
        state="accepted",
        published_at=accepted_at - dt.timedelta(hours=hours),
        accepted_at=accepted_at,
    )


def _wait(api, ask_id: int) -> dict:
    response = api.get(reverse("api:asks-detail", args=[ask_id]))
    assert response.status_code == 200, response.content
    return response.json()["estimated_wait"]


def test_the_api_gives_the_estimate_and_refreshes_it_after_a_few_minutes(mentee, skills):
    api = APIClient()
    api.force_authenticate(mentee)
    with time_machine.travel(NOW, tick=False) as clock:
        for hours in (1, 2, 3, 10, 20):
            _accepted(skills["python"], hours)
        ask = AskFactory(mentee=mentee, skills=[skills["python"]], urgency=Urgency.THIS_WEEK, state="draft")
        expected = estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK)

        first = _wait(api, ask.pk)
        assert first == {
            "seconds": int(expected.median.total_seconds()),
            "sample_size": 5,
            "basis": "similar",
            "text": expected.text,
        }

        for hours in (30, 40):  # two more similar asks move the median
            _accepted(skills["python"], hours)
        assert _wait(api, ask.pk) == first, "remembered for a few minutes"

        clock.shift(dt.timedelta(seconds=WAIT_SECONDS + 1))
        later = estimated_wait(skill_ids=[skills["python"].pk], urgency=Urgency.THIS_WEEK)
        assert _wait(api, ask.pk)["sample_size"] == later.sample_size == 7
