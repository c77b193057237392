"""Routing workflows: offering to the top k, first accept wins, declines move on, pause me, directed asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from openhelp.directory.people.capacity import capacity_for
from openhelp.help.asks.models import AskMode, AskState
from openhelp.help.routing import services
from openhelp.help.routing.models import DeclineReason, Offer, OfferState
from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories_routing import make_mentor, open_ask, profile_of

pytestmark = pytest.mark.django_db


def told(user, event: str) -> int:
    return Notification.objects.filter(recipient=user, event=event).count()


@pytest.fixture
def five_mentors(skills):
    return [make_mentor((skills["django"], 5 - i % 3), name=f"Mentor {i}") for i in range(5)]


def test_it_offers_a_routed_ask_to_the_top_three_at_once(skills, mentee, five_mentors):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert services.route_ask(ask=ask, actor=mentee) == 3

    ask.refresh_from_db()
    offers = list(Offer.objects.filter(ask=ask))
    assert ask.state == AskState.OFFERED and ask.routing_round == 1
    assert len(offers) == 3 and {o.state for o in offers} == {OfferState.PENDING}
    assert all(o.reasons for o in offers)
    assert all(o.expires_at - o.created_at == dt.timedelta(hours=24) for o in offers)
    assert sum(told(o.mentor, "ask.offer.received") for o in offers) == 3
    assert ask.events.filter(kind="offered").count() == 1


def test_the_offer_window_follows_urgency(skills, mentee, five_mentors, settings):
    settings.ROUTING = {**settings.ROUTING, "OFFERS_PER_ROUND": 1, "OFFER_WINDOW": {"today": 2}}
    ask = open_ask(skills=[skills["django"]], mentee=mentee, urgency="today")

    services.route_ask(ask=ask)

    offer = Offer.objects.get(ask=ask)
    assert offer.expires_at - offer.created_at == dt.timedelta(hours=2)


def test_routing_again_while_offers_are_pending_does_nothing(skills, mentee, five_mentors):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)

    assert services.route_ask(ask=ask) == 0
    assert Offer.objects.filter(ask=ask).count() == 3


def test_an_ask_nobody_can_take_is_unmatched_and_the_mentee_is_told_honestly(skills, mentee):
    ask = open_ask(skills=[skills["negotiation"]], mentee=mentee)

    assert services.route_ask(ask=ask, actor=mentee) == 0

    ask.refresh_from_db()
    assert ask.state == AskState.UNMATCHED
    note = Notification.objects.get(recipient=mentee, event="ask.unmatched")
    assert "broader or related skill" in note.body
    assert "/office-hours/week/" in note.body
    assert not Offer.objects.filter(ask=ask).exists()


def test_when_no_exact_match_is_left_it_escalates_to_related_skills(skills, mentee, organiser):
    make_mentor(skills["flask"], name="Sibling")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)

    assert services.route_ask(ask=ask) == 1

    ask.refresh_from_db()
    assert ask.escalated_at is not None
    assert Offer.objects.get(ask=ask).mentor.display_name == "Sibling"
    assert told(organiser, "ask.escalated") == 1
    assert ask.events.filter(kind="escalated").exists()


def test_declining_the_last_pending_offer_sends_it_to_the_next_experts(skills, mentee, five_mentors):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)
    first_round = list(Offer.objects.filter(ask=ask).select_related("mentor"))

    services.decline_offer(
        offer=first_round[0], mentor=first_round[0].mentor, reason=DeclineReason.NOT_MY_AREA
    )
    services.decline_offer(offer=first_round[1], mentor=first_round[1].mentor, reason=DeclineReason.NO_TIME)
    assert Offer.objects.filter(ask=ask).count() == 3  # one is still pending: wait for it
    services.decline_offer(
        offer=first_round[2], mentor=first_round[2].mentor, reason=DeclineReason.OTHER, note="On holiday"
    )

    ask.refresh_from_db()
    second_round = Offer.objects.filter(ask=ask, round=2)
    assert ask.state == AskState.OFFERED and ask.routing_round == 2
    assert second_round.count() == 2  # the two mentors nobody asked yet
    assert not {o.mentor_id for o in second_round} & {o.mentor_id for o in first_round}
    assert told(mentee, "ask.rerouted") == 1
    declined = Offer.objects.get(pk=first_round[2].pk)
    assert (declined.decline_reason, declined.decline_note) == (DeclineReason.OTHER, "On holiday")


def test_a_decline_needs_a_reason_and_other_needs_a_note(skills, mentee, five_mentors):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)
    offer = Offer.objects.filter(ask=ask).first()

    with pytest.raises(ValidationError) as no_reason:
        services.decline_offer(offer=offer, mentor=offer.mentor, reason="")
    with pytest.raises(ValidationError) as no_note:
        services.decline_offer(offer=offer, mentor=offer.mentor, reason=DeclineReason.OTHER, note="  ")
    with pytest.raises(ValidationError) as system_reason:
        services.decline_offer(offer=offer, mentor=offer.mentor, reason=DeclineReason.PAUSED)

    assert "reason" in no_reason.value.message_dict
    assert "note" in no_note.value.message_dict
    assert "reason" in system_reason.value.message_dict
    assert Offer.objects.get(pk=offer.pk).state == OfferState.PENDING


def test_the_first_accept_wins_and_the_others_are_told_politely(skills, mentee, five_mentors):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)
    winner, *others = Offer.objects.filter(ask=ask).select_related("mentor")

    services.accept_offer(offer=winner, mentor=winner.mentor)

    ask.refresh_from_db()
    assert ask.state == AskState.ACCEPTED and ask.helper == winner.mentor and ask.accepted_at
    assert Offer.objects.get(pk=winner.pk).state == OfferState.ACCEPTED
    assert {o.state for o in Offer.objects.filter(pk__in=[o.pk for o in others])} == {OfferState.WITHDRAWN}
    assert [told(o.mentor, "ask.offer.taken") for o in others] == [1, 1]
    assert told(winner.mentor, "ask.offer.taken") == 0
    assert told(mentee, "ask.accepted") == 1
    with pytest.raises(services.OfferTaken, match="Someone else accepted"):
        services.accept_offer(offer=others[0], mentor=others[0].mentor)
    with pytest.raises(services.RoutingConflict, match="already accepted"):
        services.accept_offer(offer=winner, mentor=winner.mentor)
    assert capacity_for(profile_of(winner.mentor)).sessions_used == 1


def test_an_offer_past_its_window_cannot_be_accepted(skills, mentee, five_mentors):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)
    offer = Offer.objects.filter(ask=ask).first()
    Offer.objects.filter(pk=offer.pk).update(expires_at=now() - dt.timedelta(minutes=1))

    with pytest.raises(services.RoutingConflict, match="expired"):
        services.accept_offer(offer=offer, mentor=offer.mentor)

    ask.refresh_from_db()
    assert ask.state == AskState.OFFERED and ask.helper is None


def test_only_the_offers_mentor_can_answer_it(skills, mentee, five_mentors):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)
    offer = Offer.objects.filter(ask=ask).first()
    stranger = UserFactory()

    with pytest.raises(Offer.DoesNotExist):
        services.accept_offer(offer=offer, mentor=stranger)
    with pytest.raises(Offer.DoesNotExist):
        services.decline_offer(offer=offer, mentor=stranger, reason=DeclineReason.NO_TIME)


def test_after_the_configured_rounds_it_escalates_and_widens(skills, mentee, organiser, settings):
    settings.ROUTING = {**settings.ROUTING, "OFFERS_PER_ROUND": 1, "ESCALATE_AFTER_ROUNDS": 2}
    make_mentor((skills["django"], 5), name="A")
    make_mentor((skills["django"], 4), name="B")
    make_mentor((skills["django"], 3), name="C")
    make_mentor(skills["flask"], name="Sibling")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)

    for _ in range(2):
        offer = Offer.objects.get(ask=ask, state=OfferState.PENDING)
        services.decline_offer(offer=offer, mentor=offer.mentor, reason=DeclineReason.NO_TIME)

    ask.refresh_from_db()
    assert ask.routing_round == 3 and ask.escalated_at is not None
    assert told(organiser, "ask.escalated") == 1
    assert Offer.objects.get(ask=ask, round=3).mentor.display_name in {"C", "Sibling"}


def test_it_gives_up_honestly_after_the_last_round(skills, mentee, settings):
    settings.ROUTING = {
        **settings.ROUTING,
        "OFFERS_PER_ROUND": 1,
        "MAX_ROUNDS": 2,
        "ESCALATE_AFTER_ROUNDS": 9,
    }
    for i in range(4):
        make_mentor(skills["django"], name=f"M{i}")
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)

    for _ in range(2):
        offer = Offer.objects.get(ask=ask, state=OfferState.PENDING)
        services.decline_offer(offer=offer, mentor=offer.mentor, reason=DeclineReason.NO_TIME)

    ask.refresh_from_db()
    assert ask.state == AskState.UNMATCHED
    assert told(mentee, "ask.unmatched") == 1


def test_a_directed_ask_goes_to_the_chosen_person_only(skills, mentee, five_mentors):
    chosen = five_mentors[4]
    ask = open_ask(skills=[skills["django"]], mentee=mentee, mode=AskMode.DIRECTED, directed_to=chosen)

    offer = services.offer_directly(ask=ask, mentor=chosen, actor=mentee)

    ask.refresh_from_db()
    assert ask.state == AskState.OFFERED
    assert list(Offer.objects.filter(ask=ask)) == [offer]
    assert offer.reasons[0] == f"{mentee.display_name} asked you personally."
    assert told(chosen, "ask.offer.received") == 1
    assert services.route_ask(ask=ask) == 0  # routing never adds others to a directed ask


def test_a_declined_directed_ask_goes_back_to_its_mentee(skills, mentee, five_mentors):
    chosen = five_mentors[0]
    ask = open_ask(skills=[skills["django"]], mentee=mentee, mode=AskMode.DIRECTED, directed_to=chosen)
    offer = services.offer_directly(ask=ask, mentor=chosen, actor=mentee)

    services.decline_offer(offer=offer, mentor=chosen, reason=DeclineReason.NOT_MY_AREA)

    ask.refresh_from_db()
    assert ask.state == AskState.OPEN
    assert Offer.objects.filter(ask=ask).count() == 1
    assert told(mentee, "ask.declined") == 1


def test_a_directed_ask_to_a_paused_person_is_declined_for_them_without_bothering_them(skills, mentee):
    away = make_mentor(skills["django"], name="Away", paused_until=now().date() + dt.timedelta(days=5))
    ask = open_ask(skills=[skills["django"]], mentee=mentee, mode=AskMode.DIRECTED, directed_to=away)

    offer = services.offer_directly(ask=ask, mentor=away, actor=mentee)

    ask.refresh_from_db()
    assert ask.state == AskState.OPEN
    assert (offer.state, offer.decline_reason) == (OfferState.DECLINED, DeclineReason.UNAVAILABLE)
    assert "is away until" in offer.decline_note
    assert told(away, "ask.offer.received") == 0
    assert told(mentee, "ask.declined") == 1


def test_a_directed_ask_refuses_the_mentee_themself(skills, mentee):
    ask = open_ask(skills=[skills["django"]], mentee=mentee, mode=AskMode.DIRECTED)

    with pytest.raises(ValidationError):
        services.offer_directly(ask=ask, mentor=mentee, actor=mentee)


def test_pause_me_declines_pending_offers_politely_and_reroutes_them(skills, mentee, settings):
    settings.ROUTING = {**settings.ROUTING, "OFFERS_PER_ROUND": 1}
    pausing = make_mentor((skills["django"], 5), name="Pausing")
    make_mentor((skills["django"], 2), name="Next")
    asks = [open_ask(skills=[skills["django"]], mentee=mentee) for _ in range(2)]
    for ask in asks:
        services.route_ask(ask=ask)
    assert Offer.objects.filter(mentor=pausing, state=OfferState.PENDING).count() == 2

    until = now().date() + dt.timedelta(days=7)
    assert services.pause_mentor(mentor=pausing, until=until) == 2

    assert profile_of(pausing).paused_until == until
    paused_offers = Offer.objects.filter(mentor=pausing)
    assert {(o.state, o.decline_reason) for o in paused_offers} == {
        (OfferState.DECLINED, DeclineReason.PAUSED)
    }
    for ask in asks:
        assert Offer.objects.get(ask=ask, state=OfferState.PENDING).mentor.display_name == "Next"
    assert told(pausing, "ask.offer.taken") == 0


def test_pause_me_refuses_a_day_in_the_past_or_too_far_ahead(skills):
    mentor = make_mentor(skills["django"])

    with pytest.raises(ValidationError) as past:
        services.pause_mentor(mentor=mentor, until=now().date())
    with pytest.raises(ValidationError) as far:
        services.pause_mentor(mentor=mentor, until=now().date() + dt.timedelta(days=400))

    assert "until" in past.value.message_dict and "until" in far.value.message_dict
    assert profile_of(mentor).paused_until is None


def test_cancelling_withdraws_pending_offers_and_tells_the_experts_once(skills, mentee, five_mentors):
    ask = open_ask(skills=[skills["django"]], mentee=mentee)
    services.route_ask(ask=ask)
    mentors = [o.mentor for o in Offer.objects.filter(ask=ask).select_related("mentor")]

    assert services.withdraw_offers(ask=ask) == 3
    assert services.withdraw_offers(ask=ask) == 0

    assert set(Offer.objects.filter(ask=ask).values_list("state", flat=True)) == {OfferState.WITHDRAWN}
    assert [told(m, "ask.offer.withdrawn") for m in mentors] == [1, 1, 1]


def test_the_offer_email_carries_what_is_needed_to_decide(skills, mentee, five_mentors):
    from openhelp.platform.notifications.emails import build_email

    ask = open_ask(skills=[skills["django"]], mentee=mentee, objective="ship the migration safely")
    services.route_ask(ask=ask)
    notification = Notification.objects.filter(event="ask.offer.received").first()

    email = build_email(notification)

    assert email.subject == f"Can you help with “{ask.title}”?"
    assert "ship the migration safely" in email.body
    assert "Which test fits conversion rates?" in email.body
    assert "Why you:" in email.body and "24 hours" in email.body
    assert "/inbox/offers/" in email.body


def test_the_offer_email_names_who_asks_and_the_skill_and_says_the_objective_once(
    skills, mentee, five_mentors
):
    from openhelp.platform.notifications.emails import build_email

    # The title was left empty, so it is the objective's first sentence: the e-mail says it once.
    ask = open_ask(
        skills=[skills["django"]],
        mentee=mentee,
        objective="ship the migration safely",
        title="Ship the migration safely",
    )
    services.route_ask(ask=ask)
    notification = Notification.objects.filter(event="ask.offer.received").first()

    email = build_email(notification)

    assert f"{mentee.display_name} needs help with Django: “Ship the migration safely”." in email.body
    assert "By the end they want to" not in email.body
    assert "By the end they want to" not in email.alternatives[0][0]
    assert "By the end they want to" not in notification.body
