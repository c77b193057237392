"""Copies of one create sent at the same instant with the same ``Idempotency-Key`` (a client that retried
before its first request was answered) make one object: the key is claimed, a row unique per person and
key, before the view runs, and the copies that meet the claim answer 409 ``idempotency_key_in_use`` (or,
once it is answered, the first answer again).

Through a live HTTP server, each copy from its own thread and connection, released together by a barrier.
The negative control claims nothing first — it only looks for an answer already kept, as a check before
the write would — and the same copies then give the kudos more than once."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from openhelp.community.recognition.models import Kudos
from openhelp.platform.api import idempotency
from openhelp.platform.api.models import IdempotentRequest
from tests.factories import UserFactory, make_access_token

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bursts")]

COPIES = 5


def send_all_at_once(base_url: str, raw_key: str, receiver_id: int) -> list[int]:
    barrier = threading.Barrier(COPIES)
    statuses: list[int] = []
    lock = threading.Lock()

    def send() -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {raw_key}"
            session.get(f"{base_url}/api/v1/kudos/", timeout=30)  # warm the connection and the token
            barrier.wait(timeout=30)
            response = session.post(
                f"{base_url}/api/v1/kudos/",
                json={"receiver": receiver_id, "message": "Thanks!"},
                headers={"Idempotency-Key": "retry-1"},
                timeout=60,
            )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return statuses


@pytest.fixture
def giver_and_receiver():
    giver, receiver = UserFactory(), UserFactory()
    return giver, make_access_token(giver)[1], receiver


def test_copies_sent_together_give_the_kudos_once(live_server, giver_and_receiver):
    giver, raw_key, receiver = giver_and_receiver

    statuses = send_all_at_once(live_server.url, raw_key, receiver.pk)

    assert len(statuses) == COPIES and set(statuses) <= {201, 409}, statuses
    assert statuses.count(201) >= 1
    assert Kudos.objects.filter(giver=giver).count() == 1


def claim_nothing_first(*, user, key: str, fingerprint: str):
    """claim without its row: look for a kept answer, then let the view run (and keep nothing)."""
    answered = IdempotentRequest.objects.filter(user=user, key=key, status__isnull=False).first()
    if answered is not None:
        raise idempotency._Replay(answered)
    time.sleep(0.3)  # widens the window the claim closes; the barrier already lines the copies up
    return None


def test_negative_control_without_the_claim_the_copies_give_it_several_times(
    live_server, giver_and_receiver, monkeypatch
):
    giver, raw_key, receiver = giver_and_receiver
    monkeypatch.setattr(idempotency, "claim", claim_nothing_first)

    statuses = send_all_at_once(live_server.url, raw_key, receiver.pk)

    assert statuses.count(201) > 1, statuses
    assert Kudos.objects.filter(giver=giver).count() > 1
