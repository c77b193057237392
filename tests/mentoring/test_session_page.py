"""The session page: usable on a phone during a call — plan, agenda with ticks, timer, notes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from openhelp.help.mentoring import services
from openhelp.help.mentoring.models import AgendaStep
from tests.factories_mentoring import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(mentee, mentor, skill):
    session = SessionFactory(mentee=mentee, mentor=mentor, skills=[skill], title="Read my A/B test")
    services.apply_agenda_template(session=session, actor=mentor, template="skill_transfer")
    return session


def detail(session):
    return reverse("mentoring:detail", args=[session.pk])


def test_it_shows_the_session_to_both_participants(session, mentee_client, mentor_client, time_travel):
    time_travel.move_to(session.starts_at)  # during the call: the timer shows (not the day before)
    for client, role in ((mentee_client, "you are the mentee"), (mentor_client, "you are the mentor")):
        response = client.get(detail(session))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Read my A/B test" in page
        assert role in page
        assert "Which test fits conversion rates?" in page
        assert "Watch one" in page and "Do one" in page
        assert 'name="viewport"' in page  # phone-friendly
        assert "js/session.js" in page and "data-session-timer" in page
        assert 'data-planned-minutes="30"' in page


def test_it_ticks_and_unticks_a_step(session, mentee, mentee_client):
    step = session.steps.get(title="Watch one")
    url = reverse("mentoring:agenda-step-tick", args=[session.pk, step.pk])
    response = mentee_client.post(url, {"done": "1"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.is_done and step.done_by == mentee
    first_tick = step.done_at

    mentee_client.post(url, {"done": "1"})
    step.refresh_from_db()
    assert step.done_at == first_tick  # ticking twice keeps the first time

    mentee_client.post(url, {"done": "0"})
    step.refresh_from_db()
    assert not step.is_done


def test_it_offers_every_agenda_template(session, mentor_client):
    page = mentor_client.get(detail(session)).content.decode()
    for label in ("Skill transfer — watch one / do one / debrief", "Advice", "Review my work", "Blank"):
        assert label in page
    response = mentor_client.post(
        reverse("mentoring:agenda-template", args=[session.pk]), {"template": "review"}
    )
    assert response.status_code == 302
    assert [s.title for s in session.steps.all()] == [
        "What to look at",
        "Walk-through",
        "Feedback",
        "Next steps",
    ]


def test_it_keeps_ticked_steps_when_a_template_is_chosen_again(session, mentor, mentor_client):
    step = session.steps.first()
    services.tick_step(session=session, actor=mentor, step_id=step.pk, done=True)
    response = mentor_client.post(
        reverse("mentoring:agenda-template", args=[session.pk]), {"template": "blank"}, follow=True
    )
    assert "already ticked" in response.content.decode()
    assert AgendaStep.objects.filter(pk=step.pk, done_at__isnull=False).exists()


def test_it_adds_a_step_and_explains_a_bad_one(session, mentee_client):
    url = reverse("mentoring:agenda-step-add", args=[session.pk])
    response = mentee_client.post(url, {"title": "Try it on my data", "minutes": "10"})
    assert response.status_code == 302
    assert session.steps.last().title == "Try it on my data"

    response = mentee_client.post(url, {"title": "Too long", "minutes": "999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "240" in page
    assert 'value="Too long"' in page  # what the person typed is kept


def test_it_edits_the_objective_and_questions(session, mentee_client):
    url = reverse("mentoring:plan", args=[session.pk])
    response = mentee_client.post(
        url, {"objective": "ship or not by Friday", "preparation_questions": "One?\n\nTwo?\n"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.objective == "ship or not by Friday"
    assert session.preparation_questions == ["One?", "Two?"]

    response = mentee_client.post(url, {"objective": "x", "preparation_questions": "\n".join("Q" * 6)})
    assert response.status_code == 400
    assert "5 questions" in response.content.decode()


def test_it_renders_shared_notes_as_sanitised_markdown(session, mentor, mentee_client):
    services.save_shared_notes(
        session=session, author=mentor, body="**Bold** <script>alert(1)</script>", version=0
    )
    page = mentee_client.get(detail(session)).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page


def test_it_shows_the_other_sides_reliability(session, mentee_client):
    page = mentee_client.get(detail(session)).content.decode()
    assert 'Mira Mentor: <span class="reliability" data-reliability>no past sessions yet</span>' in page


def test_it_offers_a_follow_up_only_to_the_mentee_after_the_session(
    mentee, mentor, mentee_client, mentor_client
):
    from tests.factories_mentoring import past_session

    session = past_session(mentee=mentee, mentor=mentor)
    ask_again = f"{reverse('asks:new')}?directed_to={mentor.pk}"
    assert ask_again in mentee_client.get(detail(session)).content.decode()
    assert ask_again not in mentor_client.get(detail(session)).content.decode()
    assert (
        reverse("officehours:mentor", args=[mentor.pk]) in mentee_client.get(detail(session)).content.decode()
    )


def test_it_lists_my_sessions_with_an_empty_state(mentee, mentor, stranger_client, mentee_client):
    SessionFactory(mentee=mentee, mentor=mentor, title="Query plans")
    assert "Query plans" in mentee_client.get(reverse("mentoring:list")).content.decode()
    page = stranger_client.get(reverse("mentoring:list")).content.decode()
    assert "Query plans" not in page
    assert "No sessions yet" in page


def test_it_searches_my_sessions(mentee, mentor, mentee_client):
    SessionFactory(mentee=mentee, mentor=mentor, title="Query plans")
    SessionFactory(mentee=mentee, mentor=mentor, title="Negotiating equity")
    page = mentee_client.get(reverse("mentoring:list"), {"q": "equity"}).content.decode()
    assert "Negotiating equity" in page and "Query plans" not in page
    page = mentee_client.get(reverse("mentoring:list"), {"q": "nothing like it"}).content.decode()
    assert "No session matches" in page


def test_it_gives_every_field_on_the_page_its_own_id_and_label(session, mentee_client):
    import re
    from collections import Counter

    page = mentee_client.get(detail(session)).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    for tag in re.findall(r"<(?:textarea|select|input)\b[^>]*>", page):
        if 'type="hidden"' in tag:
            continue
        field_id = re.search(r'\sid="([^"]+)"', tag).group(1)
        assert f'for="{field_id}"' in page, tag


def test_it_keeps_the_start_and_end_time_together(session, mentee_client):
    # .session-when is a flex row with a gap: "15:00" and "–15:30" as two items read "15:00 –15:30".
    page = mentee_client.get(detail(session)).content.decode()

    assert re.search(r'<span class="session-time"><time [^>]+>[^<]+</time>–\d\d:\d\d</span>', page)
