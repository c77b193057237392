"""The double opt-in race, through a live HTTP server: both people accept the same introduction at the
same instant, from their own threads and connections, released together by a barrier.

Both must succeed and the introduction must end connected — never stuck with two acceptances and no
connection — on SQLite (BEGIN IMMEDIATE) and PostgreSQL (row lock) alike. The negative control switches
the protection off (moments.introductions.RACE_PROTECTION): each answer then reads and writes in separate
transactions with a pause in between, and the same requests leave the introduction unconnected, which
shows the test can see the race it guards against.
"""

from __future__ import annotations

import threading

import pytest
import requests

from moments import introductions as intros
from moments.models import Answer, Introduction, IntroductionState
from notifications.models import Notification
from tests.factories import make_access_token

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pending(author, friend, third):
    intro = intros.introduce(introducer=author, first=friend, second=third, note="Meet!")
    keys = [make_access_token(friend)[1], make_access_token(third)[1]]
    return intro, keys


def accept_both_at_once(base_url: str, intro_id: int, keys: list[str]) -> list[int]:
    barrier = threading.Barrier(len(keys))
    statuses: list[int] = []
    lock = threading.Lock()

    def accept(key: str) -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {key}"
            session.get(f"{base_url}/api/v1/introductions/{intro_id}/", timeout=30)  # warm up first
            barrier.wait(timeout=30)
            response = session.post(
                f"{base_url}/api/v1/introductions/{intro_id}/answer/", json={"answer": "accept"}, timeout=60
            )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=accept, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return statuses


def test_two_simultaneous_accepts_always_connect(live_server, pending, author):
    intro, keys = pending

    statuses = accept_both_at_once(live_server.url, intro.pk, keys)

    assert statuses == [200, 200]
    intro.refresh_from_db()
    assert intro.state == IntroductionState.CONNECTED
    assert Notification.objects.filter(recipient=author, event="introduction.accepted").count() == 1


def test_negative_control_without_the_lock_nobody_is_connected(live_server, pending, monkeypatch):
    intro, keys = pending
    monkeypatch.setattr(intros, "RACE_PROTECTION", False)
    monkeypatch.setattr(intros, "UNPROTECTED_PAUSE_SECONDS", 0.5)

    statuses = accept_both_at_once(live_server.url, intro.pk, keys)

    assert statuses == [200, 200]
    intro = Introduction.objects.get(pk=intro.pk)
    assert (intro.first_answer, intro.second_answer) == (Answer.ACCEPTED, Answer.ACCEPTED)
    assert intro.state == IntroductionState.PENDING
