"""Publishing hands the ask to routing: routed to the best experts, or offered to the one person asked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.help.asks import services
from openhelp.help.asks.lifecycle import AskConflict, IllegalTransition
from openhelp.help.asks.models import AskEvent, AskMode, AskState
from openhelp.help.routing.models import Offer, OfferState
from tests.factories import SkillOfferFactory
from tests.factories_asks import AskFactory, ask_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(skills):
    return [SkillOfferFactory(skill=skills["python"], level=4).profile.user for _ in range(2)]


def test_it_publishes_a_routed_ask_and_offers_it_to_experts(mentee, skills, experts):
    ask = AskFactory(mentee=mentee, skills=[skills["python"]])

    ask = services.publish_ask(ask=ask, actor=mentee)

    assert ask.state == AskState.OFFERED
    assert ask.published_at is not None
    assert set(Offer.objects.filter(ask=ask).values_list("mentor", flat=True)) == {u.pk for u in experts}
    assert AskEvent.objects.filter(ask=ask, kind="published", to_state=AskState.OPEN).exists()


def test_it_marks_an_ask_nobody_fits_unmatched(mentee, skills):
    ask = AskFactory(mentee=mentee, skills=[skills["kubernetes"]])

    assert services.publish_ask(ask=ask, actor=mentee).state == AskState.UNMATCHED


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
    assert ask.state == AskState.OFFERED
    assert "Offered to 2 experts" in response.content.decode()
