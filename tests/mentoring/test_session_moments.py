"""What the session page offers at each moment of a session — one rule, ``lifecycle.available``: the call
link from ten minutes before the start, the timer while it is live, kudos once it has taken place, "Want
more?" once it is over; and the workflows refuse what the page hides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.community.recognition.models import Kudos
from openhelp.help.mentoring.lifecycle import JOIN_OPENS_BEFORE, Phase, available
from openhelp.help.mentoring.models import Session, SessionFormat, SessionState
from tests.factories_asks import AskFactory
from tests.factories_mentoring import SessionFactory

pytestmark = pytest.mark.django_db

# Tuesday 3 June 2025, 06:00–06:30 UTC: 02:00 in New York (the mentee), 08:00 in Berlin (the mentor).
CALL_START = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)
CALL_END = CALL_START + dt.timedelta(minutes=30)

BEFORE = CALL_START - dt.timedelta(hours=2)
OPENING = CALL_START - dt.timedelta(minutes=5)
DURING = CALL_START + dt.timedelta(minutes=10)
AFTER = CALL_END + dt.timedelta(hours=1)


@pytest.fixture
def call(mentee, mentor, skill):
    return SessionFactory(
        mentee=mentee, mentor=mentor, skills=[skill], starts_at=CALL_START, ends_at=CALL_END
    )


@pytest.fixture
def async_session(mentee, mentor, skill):
    return SessionFactory(
        mentee=mentee,
        mentor=mentor,
        skills=[skill],
        format=SessionFormat.ASYNC,
        starts_at=None,
        place="",
        ask=AskFactory(mentee=mentee),
    )


def offered(session: Session, moment: dt.datetime) -> dict:
    found = available(session, moment)
    keys = ("join", "timer", "edit_plan", "kudos", "follow_up", "attendance")
    return {
        "phase": found.phase,
        **{key: getattr(found, key) for key in keys},
        "debrief": found.debrief.is_open,
    }


def test_it_opens_the_call_link_ten_minutes_before_the_start(call):
    opens = CALL_START - JOIN_OPENS_BEFORE
    assert JOIN_OPENS_BEFORE == dt.timedelta(minutes=10)
    assert available(call, opens - dt.timedelta(seconds=1)).join is False
    assert available(call, opens - dt.timedelta(seconds=1)).join_opens_at == opens
    assert available(call, opens).join is True
    assert available(call, opens).join_opens_at is None


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (
            BEFORE,
            dict(phase=Phase.BEFORE, join=False, timer=False, edit_plan=True, kudos=False, follow_up=False),
        ),
        (
            OPENING,
            dict(phase=Phase.OPENING, join=True, timer=True, edit_plan=True, kudos=False, follow_up=False),
        ),
        (
            DURING,
            dict(phase=Phase.DURING, join=True, timer=True, edit_plan=True, kudos=True, follow_up=False),
        ),
        (
            CALL_END,
            dict(phase=Phase.OVER, join=False, timer=False, edit_plan=True, kudos=True, follow_up=True),
        ),
        (AFTER, dict(phase=Phase.OVER, join=False, timer=False, edit_plan=True, kudos=True, follow_up=True)),
    ],
    ids=["before", "opening", "during", "at-the-end", "after"],
)
def test_it_offers_what_fits_each_moment_of_a_call(call, moment, expected):
    found = offered(call, moment)
    assert {key: found[key] for key in expected} == expected
    assert found["debrief"] is (moment >= CALL_START)
    assert found["attendance"] is (moment >= CALL_END)


def test_a_completed_call_offers_the_aftermath_only(call):
    Session.objects.filter(pk=call.pk).update(state=SessionState.COMPLETED)
    call.refresh_from_db()
    found = offered(call, DURING)  # completed early, still inside its planned time
    assert found["phase"] == Phase.OVER
    assert not found["join"] and not found["timer"] and not found["edit_plan"]
    assert found["kudos"] and found["follow_up"] and found["debrief"]


def test_a_cancelled_call_offers_neither_the_call_nor_kudos(call):
    Session.objects.filter(pk=call.pk).update(state=SessionState.CANCELLED)
    call.refresh_from_db()
    for moment in (BEFORE, OPENING, DURING, AFTER):
        found = offered(call, moment)
        assert found["phase"] == Phase.OVER
        assert not (found["join"] or found["timer"] or found["edit_plan"] or found["kudos"])
        assert not (found["debrief"] or found["attendance"])
        assert found["follow_up"]


def test_an_async_session_has_no_call_but_can_be_thanked_and_debriefed(async_session):
    found = offered(async_session, AFTER)
    assert found["phase"] == Phase.ASYNC
    assert not (found["join"] or found["timer"] or found["attendance"] or found["follow_up"])
    assert found["edit_plan"] and found["kudos"] and found["debrief"]
    assert available(async_session, AFTER).join_opens_at is None
    Session.objects.filter(pk=async_session.pk).update(state=SessionState.COMPLETED)
    async_session.refresh_from_db()
    assert offered(async_session, AFTER)["follow_up"]


def test_a_call_with_no_time_yet_offers_the_plan_only(call):
    Session.objects.filter(pk=call.pk).update(starts_at=None, ends_at=None)
    call.refresh_from_db()
    found = offered(call, AFTER)
    assert found["phase"] == Phase.UNSCHEDULED
    assert found["edit_plan"]
    assert not (found["join"] or found["timer"] or found["kudos"] or found["follow_up"] or found["debrief"])


# --- The page -----------------------------------------------------------------------------------------


def page_at(client, session, moment, time_travel) -> str:
    time_travel.move_to(moment)
    return client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()


ASK_AGAIN = "Want more?"
KUDOS = "Give kudos to"


def test_before_the_window_the_page_says_when_the_link_opens_in_the_viewers_zone(
    call, mentee_client, mentor_client, time_travel
):
    page = page_at(mentee_client, call, BEFORE, time_travel)
    assert "The call link opens at" in page
    assert '<time datetime="2025-06-03T05:50:00+00:00">Tue 3 Jun, 01:50 EDT</time>' in page
    assert "Join the call" not in page and "data-session-timer" not in page
    assert "Edit the objective and questions" in page
    assert KUDOS not in page and ASK_AGAIN not in page and 'href="#debrief"' not in page
    assert "Tue 3 Jun, 07:50 CEST" in page_at(mentor_client, call, BEFORE, time_travel)


def test_inside_the_window_and_during_the_call_join_and_timer_come_first(call, mentee_client, time_travel):
    page = page_at(mentee_client, call, OPENING, time_travel)
    assert "Join the call" in page and "data-session-timer" in page
    assert "The call link opens at" not in page
    assert KUDOS not in page and ASK_AGAIN not in page
    page = page_at(mentee_client, call, DURING, time_travel)
    assert page.index("Join the call") < page.index("data-session-timer") < page.index("By the end I can")
    assert KUDOS in page  # it has started: the debrief and kudos are open
    assert ASK_AGAIN not in page


def test_after_the_end_the_page_offers_debrief_kudos_and_more(
    call, mentee_client, mentor_client, time_travel
):
    page = page_at(mentee_client, call, AFTER, time_travel)
    assert "Join the call" not in page and "data-session-timer" not in page
    assert "Start the timer" not in page and "The call link opens at" not in page
    assert "Write the debrief" in page and KUDOS in page and ASK_AGAIN in page
    assert page.index('href="#debrief"') < page.index("By the end I can")  # the way down, where Join was
    assert ASK_AGAIN not in page_at(mentor_client, call, AFTER, time_travel)  # "Want more?" is the mentee's


def test_a_completed_session_shows_no_call_and_no_plan_editing(call, mentee_client, time_travel):
    Session.objects.filter(pk=call.pk).update(state=SessionState.COMPLETED)
    page = page_at(mentee_client, call, DURING, time_travel)
    assert "Join the call" not in page and "data-session-timer" not in page
    assert "Edit the objective and questions" not in page
    assert KUDOS in page and ASK_AGAIN in page


def test_a_cancelled_session_shows_no_call_no_kudos_but_more(call, mentee_client, time_travel):
    Session.objects.filter(pk=call.pk).update(state=SessionState.CANCELLED)
    page = page_at(mentee_client, call, OPENING, time_travel)
    assert "Join the call" not in page and "data-session-timer" not in page
    assert "The call link opens at" not in page
    assert KUDOS not in page and ASK_AGAIN in page


def test_an_async_session_page_has_no_call_but_kudos(async_session, mentee_client, time_travel):
    page = page_at(mentee_client, async_session, AFTER, time_travel)
    assert "Join the call" not in page and "data-session-timer" not in page
    assert "The call link opens at" not in page and "Async — in messages" in page
    assert KUDOS in page and "Write the debrief" in page
    assert ASK_AGAIN not in page


# --- The server refuses what the page hides -------------------------------------------------------------


def give(client, session, receiver):
    url = reverse("recognition:give", args=[receiver.pk])
    return client.post(
        url + (f"?session={session.pk}" if session else ""), {"message": "Thanks!", "public": "on"}
    )


def test_kudos_for_a_session_that_has_not_happened_are_refused(
    call, mentee, mentor, mentee_client, time_travel
):
    time_travel.move_to(OPENING)
    response = give(mentee_client, call, mentor)
    assert "once it has taken place" in response.content.decode()
    assert not Kudos.objects.exists()
    api = APIClient()
    api.force_authenticate(mentee)
    response = api.post(
        reverse("api:kudos-list"),
        {"receiver": mentor.pk, "session": call.pk, "message": "Thanks"},
        format="json",
    )
    assert response.status_code == 400
    assert not Kudos.objects.exists()


def test_kudos_from_a_profile_need_no_session_and_a_held_session_can_be_thanked(
    call, mentee, mentor, mentee_client, time_travel
):
    time_travel.move_to(BEFORE)
    assert give(mentee_client, None, mentor).status_code == 302
    assert Kudos.objects.filter(session=None, receiver=mentor).count() == 1
    time_travel.move_to(AFTER)
    assert give(mentee_client, call, mentor).status_code == 302
    assert Kudos.objects.filter(session=call, receiver=mentor).count() == 1


def test_kudos_for_a_cancelled_session_are_refused(call, mentor, mentee_client, time_travel):
    Session.objects.filter(pk=call.pk).update(state=SessionState.CANCELLED)
    time_travel.move_to(AFTER)
    assert "was cancelled" in give(mentee_client, call, mentor).content.decode()
    assert not Kudos.objects.exists()


def test_the_plan_of_a_completed_session_cannot_change(call, mentee, mentee_client, time_travel):
    Session.objects.filter(pk=call.pk).update(state=SessionState.COMPLETED)
    time_travel.move_to(AFTER)
    url = reverse("mentoring:plan", args=[call.pk])
    response = mentee_client.post(
        url, {"objective": "something else", "preparation_questions": ""}, follow=True
    )
    assert "can no longer change" in response.content.decode()
    api = APIClient()
    api.force_authenticate(mentee)
    response = api.patch(reverse("api:sessions-detail", args=[call.pk]), {"objective": "x"}, format="json")
    assert response.status_code == 409
    call.refresh_from_db()
    assert call.objective == "read my A/B test results and decide whether to ship"


@pytest.mark.parametrize(
    ("moment", "phase", "join"),
    [(BEFORE, "before", False), (OPENING, "opening", True), (DURING, "during", True), (AFTER, "over", False)],
)
def test_the_api_lists_what_is_available_now(call, mentee, time_travel, moment, phase, join):
    time_travel.move_to(moment)
    api = APIClient()
    api.force_authenticate(mentee)
    body = api.get(reverse("api:sessions-detail", args=[call.pk])).json()["available"]
    assert body["phase"] == phase and body["join"] is join
    assert body["kudos"] is (moment >= CALL_START) and body["follow_up"] is (moment >= CALL_END)
    assert (body["join_opens_at"] is not None) is (moment == BEFORE)
