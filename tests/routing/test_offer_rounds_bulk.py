"""A round of offers is written in bulk: its queries do not grow with the experts offered, and each offer,
its event, its notification and its timers are the same as when they were written one at a time."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from openhelp.help.routing import services
from openhelp.help.routing.models import Offer
from openhelp.platform.notifications.models import Notification
from openhelp.platform.outbox.models import Event
from tests.factories_routing import make_mentor, open_ask
from tests.harness.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_mentors(skills):
    return [make_mentor((skills["django"], 5 - i % 3), name=f"Mentor {i}") for i in range(6)]


def _route(skills, mentee, per_round: int, settings) -> int:
    settings.ROUTING = {**settings.ROUTING, "OFFERS_PER_ROUND": per_round}
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    return count_queries(lambda: services.route_ask(ask=ask, actor=mentee))


def test_offering_to_one_or_to_five_experts_costs_the_same_queries(skills, mentee, six_mentors, settings):
    one = _route(skills, mentee, 1, settings)
    five = _route(skills, mentee, 5, settings)

    assert Offer.objects.count() == 6
    assert one == five, f"{one} queries for one offer, {five} for five"


def test_each_offer_has_its_event_notification_and_timers_in_rank_order(
    skills, mentee, six_mentors, django_capture_on_commit_callbacks
):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    ranked = services.rank_candidates(ask, limit=3)

    with django_capture_on_commit_callbacks(execute=True):
        services.route_ask(ask=ask, actor=mentee)

    offers = list(Offer.objects.filter(ask=ask).order_by("pk"))
    assert [(o.mentor_id, o.score, o.reasons) for o in offers] == [
        (m.mentor_id, m.score, m.reasons) for m in ranked
    ]
    made = Event.objects.filter(kind="offer.made").order_by("pk")
    assert [e.payload for e in made] == [
        {"offer": o.pk, "ask": ask.pk, "mentor": o.mentor_id} for o in offers
    ]
    for offer in offers:
        [note] = Notification.objects.filter(recipient_id=offer.mentor_id, event="ask.offer.received")
        assert note.dedupe_key == f"offer:{offer.pk}"
        assert note.context["offer_id"] == offer.pk and note.context["reasons"] == offer.reasons
    timers = {
        (row["task_path"].rsplit(".", 1)[1], row["args_kwargs"]["args"][0])
        for row in DBTaskResult.objects.values("task_path", "args_kwargs")
        if row["task_path"].endswith(("expire_offer_task", "remind_offer_task"))
    }
    assert timers == {(name, o.pk) for o in offers for name in ("expire_offer_task", "remind_offer_task")}
