"""Publishing hands the ask to routing: offered at once to the one person asked, or routed to the best experts
by the worker moments later (and, should its task be lost, by the periodic catch-up)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.help.asks import services
from openhelp.help.asks.lifecycle import AskConflict, IllegalTransition
from openhelp.help.asks.models import AskEvent, AskMode, AskState
from openhelp.help.routing.models import Offer, OfferState
from openhelp.help.routing.services import route_forgotten_asks, route_published_ask
from openhelp.help.routing.tasks import route_ask_task
from tests.factories import SkillOfferFactory, make_access_token
from tests.factories_asks import AskFactory, ask_in_state, publish_and_route
from tests.harness.tasks import queued_task_names, run_pending_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(skills):
    return [SkillOfferFactory(skill=skills["python"], level=4).profile.user for _ in range(2)]


def test_it_publishes_a_routed_ask_and_the_worker_offers_it_to_experts(mentee, skills, experts, committed):
    ask = AskFactory(mentee=mentee, skills=[skills["python"]])

    with committed():
        ask = services.publish_ask(ask=ask, actor=mentee)

    # Publishing answers at once: the ask is open and waits for the worker, which has its task.
    assert ask.state == AskState.OPEN
    assert ask.published_at is not None
    assert not Offer.objects.filter(ask=ask).exists()
    assert route_ask_task.module_path in queued_task_names()
    assert AskEvent.objects.filter(ask=ask, kind="published", to_state=AskState.OPEN).exists()

    with committed():
        assert run_pending_tasks() >= 1

    ask.refresh_from_db()
    assert ask.state == AskState.OFFERED
    assert set(Offer.objects.filter(ask=ask).values_list("mentor", flat=True)) == {u.pk for u in experts}
    offered = AskEvent.objects.get(ask=ask, kind="offered")
    assert offered.actor_id == mentee.pk  # the click that started it, as when routing ran in the request


def test_the_first_round_happens_once_however_often_the_task_runs(mentee, skills, experts):
    ask = services.publish_ask(ask=AskFactory(mentee=mentee, skills=[skills["python"]]), actor=mentee)

    assert route_published_ask(ask_id=ask.pk, actor_id=mentee.pk) == "offered to 2"
    assert route_published_ask(ask_id=ask.pk, actor_id=mentee.pk) == "nothing to do"
    assert route_forgotten_asks() == 0

    assert Offer.objects.filter(ask=ask).count() == 2
    assert AskEvent.objects.filter(ask=ask, kind="offered").count() == 1


def test_a_cancelled_ask_is_not_offered_when_its_task_runs_late(mentee, skills, experts):
    ask = services.publish_ask(ask=AskFactory(mentee=mentee, skills=[skills["python"]]), actor=mentee)
    services.cancel_ask(ask=ask, actor=mentee, reason="Found the answer myself.")

    assert route_published_ask(ask_id=ask.pk, actor_id=mentee.pk) == "nothing to do"
    assert not Offer.objects.filter(ask=ask).exists()


def test_an_ask_whose_task_was_lost_is_routed_minutes_later(mentee, skills, experts, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False)
    # Published without its task ever reaching the queue (no commit callbacks run here).
    ask = services.publish_ask(ask=AskFactory(mentee=mentee, skills=[skills["python"]]), actor=mentee)
    assert not queued_task_names()

    time_machine.shift(dt.timedelta(minutes=1))
    assert route_forgotten_asks() == 0  # the worker may simply be busy
    time_machine.shift(dt.timedelta(minutes=2))
    assert route_forgotten_asks() == 1

    ask.refresh_from_db()
    assert ask.state == AskState.OFFERED
    assert Offer.objects.filter(ask=ask).count() == 2


def test_it_marks_an_ask_nobody_fits_unmatched(mentee, skills):
    ask = AskFactory(mentee=mentee, skills=[skills["kubernetes"]])

    assert publish_and_route(ask, actor=mentee).state == AskState.UNMATCHED


def test_it_offers_a_directed_ask_only_to_the_person_asked(mentee, skills, experts):
    chosen = experts[0]
    ask = AskFactory(mentee=mentee, skills=[skills["python"]], mode=AskMode.DIRECTED, directed_to=chosen)

    ask = services.publish_ask(ask=ask, actor=mentee)

    assert ask.state == AskState.OFFERED
    assert list(Offer.objects.filter(ask=ask).values_list("mentor", flat=True)) == [chosen.pk]


def test_it_publishes_only_a_draft_and_only_for_the_mentee(mentee, co_asker, skills):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(IllegalTransition):
        services.publish_ask(ask=ask_in_state(AskState.OPEN, mentee=mentee), actor=mentee)
    with pytest.raises(PermissionDenied):
        services.publish_ask(ask=AskFactory(mentee=mentee, co_askers=[co_asker]), actor=co_asker)


def test_it_routes_a_declined_directed_ask_to_others_in_one_click(mentee, skills, experts, mentee_client):
    chosen, other = experts
    ask = AskFactory(mentee=mentee, skills=[skills["python"]], mode=AskMode.DIRECTED, directed_to=chosen)
    services.publish_ask(ask=ask, actor=mentee)
    from openhelp.help.routing.services import decline_offer

    decline_offer(offer=Offer.objects.get(ask=ask), mentor=chosen, reason="no_time")
    ask.refresh_from_db()
    assert ask.state == AskState.OPEN

    response = mentee_client.post(reverse("asks:reroute", args=[ask.pk]), follow=True)

    assert "finding other experts" in response.content.decode()
    ask.refresh_from_db()
    assert ask.mode == AskMode.ROUTED
    assert ask.state == AskState.OFFERED
    pending = Offer.objects.filter(ask=ask, state=OfferState.PENDING)
    assert list(pending.values_list("mentor", flat=True)) == [other.pk]
    assert AskEvent.objects.filter(ask=ask, kind="rerouted").exists()


def test_it_refuses_rerouting_an_ask_that_was_not_declined(mentee, skills, experts):
    ask = AskFactory(mentee=mentee, skills=[skills["python"]], mode=AskMode.DIRECTED, directed_to=experts[0])
    services.publish_ask(ask=ask, actor=mentee)

    with pytest.raises(AskConflict):
        services.reroute_declined_directed(ask=ask, actor=mentee)
    ask.refresh_from_db()
    assert ask.mode == AskMode.DIRECTED


def test_it_publishes_from_the_form_in_one_step(mentee_client, mentee, skills, experts):
    response = mentee_client.post(
        reverse("asks:new"),
        {
            "title": "Python packaging",
            "objective": "publish my first package",
            "question_1": "setuptools or hatch?",
            "skill_1": "Python",
            "format": "async",
            "urgency": "today",
            "publish": "",
        },
        follow=True,
    )

    ask = mentee.asks.get()
    assert ask.state == AskState.OPEN
    page = response.content.decode()
    assert "Published: we are finding the right experts." in page
    assert "asks/finding.js" in page  # the page looks again by itself while the worker routes it

    route_published_ask(ask_id=ask.pk, actor_id=mentee.pk)
    page = mentee_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert "Offered to 2 experts" in page
    assert "asks/finding.js" not in page


def _new_ask_form(**extra: str) -> dict[str, str]:
    return {
        "title": "Python packaging",
        "objective": "publish my first package",
        "question_1": "setuptools or hatch?",
        "skill_1": "Python",
        "format": "async",
        "urgency": "today",
        **extra,
    }


def test_save_and_publish_tells_one_step_in_the_timeline_not_a_draft(mentee_client, mentee, skills, experts):
    mentee_client.post(reverse("asks:new"), _new_ask_form(publish=""))

    ask = mentee.asks.get()
    assert list(ask.events.values_list("kind", flat=True)) == ["published"]
    page = mentee_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert "You published it." in page
    assert "draft" not in page.lower()
    _, raw_key = make_access_token(mentee)
    api = Client(headers={"Authorization": f"Bearer {raw_key}"})
    timeline = api.get(reverse("api:asks-timeline", args=[ask.pk])).json()
    assert [(entry["kind"], entry["who"]) for entry in timeline["results"]] == [("published", "You")]


def test_saving_a_draft_says_so_in_the_timeline(mentee_client, mentee, skills):
    mentee_client.post(reverse("asks:new"), _new_ask_form(save=""))

    ask = mentee.asks.get()
    assert ask.state == AskState.DRAFT
    page = mentee_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert "You saved it as a draft." in page


def test_a_refused_save_and_publish_keeps_the_draft_and_says_why(mentee_client, mentee, skills, settings):
    settings.ASKS_PUBLISHED_PER_DAY = 0

    response = mentee_client.post(reverse("asks:new"), _new_ask_form(publish=""), follow=True)

    ask = mentee.asks.get()
    assert ask.state == AskState.DRAFT
    assert list(ask.events.values_list("kind", flat=True)) == ["created"]
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("asks:detail", args=[ask.pk])
    assert "You saved it as a draft." in page
    assert "publish it tomorrow" in page
