"""The session page during a call: the join link first, agenda steps ticked and notes saved in place with
htmx (a fragment back), the same forms as plain POSTs without JavaScript (a redirect back), and nobody
else's session reachable either way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from openhelp.help.mentoring import services
from openhelp.help.mentoring.models import PrivateNote, SharedNote
from tests.factories_mentoring import SessionFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(mentee, mentor, skill):
    session = SessionFactory(mentee=mentee, mentor=mentor, skills=[skill], title="Read my A/B test")
    services.apply_agenda_template(session=session, actor=mentor, template="skill_transfer")
    return session


def tick_url(session, step):
    return reverse("mentoring:agenda-step-tick", args=[session.pk, step.pk])


def test_the_join_link_comes_first_in_the_viewers_zone(session, mentee_client, time_travel):
    time_travel.move_to(session.starts_at - dt.timedelta(minutes=5))  # the link is open (not the day before)
    page = mentee_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    assert re.search(r'<a class="[^"]*join-link[^"]*" href="https://meet\.example\.org/room"', page)
    assert page.index("Join the call") < page.index("By the end I can") < page.index("Shared notes")
    assert "your time (America/New_York)" in page
    assert "htmx-2.min.js" in page and 'hx-post="' in page


def test_a_cancelled_session_has_no_join_link(session, mentee_client):
    type(session).objects.filter(pk=session.pk).update(state="cancelled")
    page = mentee_client.get(reverse("mentoring:detail", args=[session.pk])).content.decode()
    assert "Join the call" not in page


def test_ticking_with_htmx_answers_with_the_step_alone(session, mentee, mentee_client):
    step = session.steps.get(title="Watch one")
    response = mentee_client.post(tick_url(session, step), {"done": "1"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="step-{step.pk}"')
    assert 'class="agenda-step done"' in html and 'aria-pressed="true"' in html
    assert 'name="done" value="0"' in html and "Untick:" in html
    assert "<html" not in html and "Shared notes" not in html
    step.refresh_from_db()
    assert step.is_done and step.done_by == mentee

    untick = mentee_client.post(tick_url(session, step), {"done": "0"}, **HX).content.decode()
    assert 'aria-pressed="false"' in untick and "Tick:" in untick
    step.refresh_from_db()
    assert not step.is_done


def test_ticking_without_htmx_goes_back_to_the_step(session, mentee_client):
    step = session.steps.get(title="Do one")
    response = mentee_client.post(tick_url(session, step), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/sessions/{session.pk}/#step-{step.pk}")


def test_saving_shared_notes_with_htmx_answers_saved_and_the_new_version(session, mentor, mentee_client):
    url = reverse("mentoring:shared-notes", args=[session.pk])
    response = mentee_client.post(url, {"body": "Read it **bottom-up**", "version": "0"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved at" in html and "<html" not in html
    assert 'value="1" id="id_shared_version" hx-swap-oob="true"' in html
    assert '<div id="shared-notes-view" hx-swap-oob="true">' in html and "<strong>bottom-up</strong>" in html
    # The next save starts from the version the fragment gave back: no conflict.
    again = mentee_client.post(url, {"body": "Read it **bottom-up**, then top-down", "version": "1"}, **HX)
    assert again.status_code == 200 and SharedNote.objects.get(session=session).version == 2


def test_a_conflict_with_htmx_shows_both_texts_in_place(session, mentor, mentee_client):
    services.save_shared_notes(session=session, author=mentor, body="Mentor's notes", version=0)
    response = mentee_client.post(
        reverse("mentoring:shared-notes", args=[session.pk]), {"body": "Mine", "version": "0"}, **HX
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#shared-notes" and response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="shared-notes"')
    assert "Mentor&#x27;s notes" in html and "Save the merged notes" in html


def test_too_long_notes_with_htmx_show_the_error_and_keep_the_text(session, mentee_client):
    body = "x" * 60_000
    response = mentee_client.post(reverse("mentoring:private-notes", args=[session.pk]), {"body": body}, **HX)
    assert response.status_code == 400 and response["HX-Retarget"] == "#private-notes"
    html = response.content.decode()
    assert 'id="private-notes"' in html and body in html and "<html" not in html


def test_saving_notes_without_htmx_redirects_back(session, mentee_client):
    shared = mentee_client.post(
        reverse("mentoring:shared-notes", args=[session.pk]), {"body": "Plain", "version": "0"}
    )
    private = mentee_client.post(reverse("mentoring:private-notes", args=[session.pk]), {"body": "Mine"})
    assert shared.status_code == private.status_code == 302
    assert shared["Location"].endswith("#shared-notes") and private["Location"].endswith("#private-notes")


def test_saving_private_notes_with_htmx_answers_saved(session, mentee, mentee_client):
    response = mentee_client.post(
        reverse("mentoring:private-notes", args=[session.pk]), {"body": "Only mine"}, **HX
    )
    assert response.status_code == 200
    assert "Saved at" in response.content.decode() and "only you can see them" in response.content.decode()
    assert PrivateNote.objects.get(session=session, author=mentee).body == "Only mine"


def test_someone_elses_session_is_404_with_or_without_htmx(session, stranger_client):
    step = session.steps.first()
    posts = [
        (tick_url(session, step), {"done": "1"}),
        (reverse("mentoring:shared-notes", args=[session.pk]), {"body": "hi", "version": "0"}),
        (reverse("mentoring:private-notes", args=[session.pk]), {"body": "hi"}),
    ]
    for url, data in posts:
        assert stranger_client.post(url, data).status_code == 404
        assert stranger_client.post(url, data, **HX).status_code == 404
    assert stranger_client.get(reverse("mentoring:detail", args=[session.pk])).status_code == 404
    step.refresh_from_db()
    assert not step.is_done and not PrivateNote.objects.exists()
    assert SharedNote.objects.filter(session=session, version__gt=0).count() == 0
