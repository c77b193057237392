"""The double opt-in race, through a live HTTP server: both people accept the same introduction at the
same instant, from their own threads and connections, released together by a barrier.

Both must succeed and the introduction must end connected — never stuck with two acceptances and no
connection — on SQLite (BEGIN IMMEDIATE) and PostgreSQL (row lock) alike. The negative control replaces
``openhelp.community.moments.introductions.answer`` with an unlocked answer (below): each answer reads and writes in separate
transactions with a pause in between, and the same requests leave the introduction unconnected, which
shows the test can see the race it guards against.
"""

from __future__ import annotations

import threading
import time

import pytest
import requests
from django.db import transaction

from openhelp.community.moments import introductions as intros
from openhelp.community.moments.models import Answer, Introduction, IntroductionState
from openhelp.platform.notifications.models import Notification
from tests.factories import make_access_token

# Bursts of concurrent requests hold up to 50 database connections each: one worker runs them all
# (make test uses --dist loadgroup), so two bursts never exceed PostgreSQL's 100 connections together.
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bursts")]


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


def answer_without_the_lock(*, introduction: Introduction, person, accept: bool) -> Introduction:
    """answer() reading outside its transaction: each side sees the other still pending."""
    stale = Introduction.objects.get(pk=introduction.pk)
    time.sleep(0.5)  # widens the window the lock closes; the barrier already lines the answers up
    with transaction.atomic():
        return intros._record_answer(stale, person=person, accept=accept)


def test_negative_control_without_the_lock_nobody_is_connected(live_server, pending, monkeypatch):
    intro, keys = pending
    monkeypatch.setattr(intros, "answer", answer_without_the_lock)

    statuses = accept_both_at_once(live_server.url, intro.pk, keys)

    assert statuses == [200, 200]
    intro = Introduction.objects.get(pk=intro.pk)
    assert (intro.first_answer, intro.second_answer) == (Answer.ACCEPTED, Answer.ACCEPTED)
    assert intro.state == IntroductionState.PENDING
