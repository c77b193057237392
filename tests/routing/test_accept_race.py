"""The first-accept race, through a live HTTP server: several experts accept the same ask at the same instant.

Each expert accepts their own offer of one ask, from their own thread and connection, released together
by a barrier. Exactly one must win (200) and every other one must lose cleanly (409), with one accepted
offer in the database — on SQLite (WAL, BEGIN IMMEDIATE) and on PostgreSQL alike.

The negative control replaces ``openhelp.help.routing.services.accept_offer`` with an unprotected accept (below): it
checks the ask's state in one transaction and writes in another, with a pause in between. The same requests
then produce more than one winner, which shows the test can see the race it guards against. On SQLite
the check has to sit outside the write transaction: BEGIN IMMEDIATE makes writers queue one behind the
other, and a check inside it would re-read the winner's commit and hide the race.
"""

from __future__ import annotations

import threading
import time

import pytest
import requests
from django.db import transaction

from openhelp.help.asks.models import Ask, AskState
from openhelp.help.routing import services
from openhelp.help.routing.models import Offer, OfferState
from openhelp.platform.lib.clock import now
from tests.factories import UserFactory, make_access_token
from tests.factories_routing import OfferFactory, open_ask

# Bursts of concurrent requests hold up to 50 database connections each: one worker runs them all
# (make test uses --dist loadgroup), so two bursts never exceed PostgreSQL's 100 connections together.
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bursts")]

EXPERTS = 5


@pytest.fixture
def contested(skills):
    """One offered ask and five pending offers, each with its mentor's API token."""
    ask = open_ask(skills=[skills["django"]], state=AskState.OFFERED, routing_round=1)
    contenders = []
    for i in range(EXPERTS):
        mentor = UserFactory(email=f"racer{i}@example.org")
        offer = OfferFactory(ask=ask, mentor=mentor)
        _token, key = make_access_token(mentor)
        contenders.append((offer, key))
    return ask, contenders


def accept_all_at_once(base_url: str, contenders) -> list[int]:
    barrier = threading.Barrier(len(contenders))
    statuses: list[int] = []
    lock = threading.Lock()

    def accept(offer_id: int, key: str) -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {key}"
            # Warm the connection and the token's last-used stamp first, so the accepts start together.
            session.get(f"{base_url}/api/v1/offers/{offer_id}/", timeout=30)
            barrier.wait(timeout=30)
            response = session.post(f"{base_url}/api/v1/offers/{offer_id}/accept/", timeout=60)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=accept, args=(offer.pk, key)) for offer, key in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return statuses


def test_exactly_one_of_several_simultaneous_accepts_wins(live_server, contested):
    ask, contenders = contested

    statuses = accept_all_at_once(live_server.url, contenders)

    assert sorted(statuses) == [200] + [409] * (EXPERTS - 1)
    accepted = Offer.objects.filter(ask=ask, state=OfferState.ACCEPTED)
    assert accepted.count() == 1
    assert Offer.objects.filter(ask=ask, state=OfferState.WITHDRAWN).count() == EXPERTS - 1
    ask.refresh_from_db()
    assert ask.state == AskState.ACCEPTED and ask.helper_id == accepted.get().mentor_id
    assert ask.events.filter(kind="accepted").count() == 1


def accept_without_protection(*, offer: Offer, mentor) -> Offer:
    """accept_offer without its conditional UPDATE: check in one transaction, write in another.

    Nothing stops a second accept between the two. On SQLite the check must stay outside the write
    transaction, because BEGIN IMMEDIATE would queue the writers and hide the race this control shows.
    """
    fresh = Offer.objects.select_related("ask").get(pk=offer.pk)
    if fresh.ask.state != AskState.OFFERED or not fresh.can_accept():
        raise services.OfferTaken("Someone else accepted this ask a moment ago.")
    time.sleep(0.5)  # widens the window the protection closes; the barrier already lines the accepts up
    with transaction.atomic():
        moment = now()
        Ask.objects.filter(pk=fresh.ask_id).update(state=AskState.ACCEPTED, helper=mentor, accepted_at=moment)
        Offer.objects.filter(pk=fresh.pk).update(state=OfferState.ACCEPTED, responded_at=moment)
    offer.refresh_from_db()
    return offer


def test_negative_control_without_the_protection_several_accepts_win(live_server, contested, monkeypatch):
    ask, contenders = contested
    monkeypatch.setattr(services, "accept_offer", accept_without_protection)

    statuses = accept_all_at_once(live_server.url, contenders)

    assert statuses.count(200) > 1, statuses
    assert Offer.objects.filter(ask=ask, state=OfferState.ACCEPTED).count() > 1
