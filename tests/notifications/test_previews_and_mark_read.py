"""Previews in plain text, e-mails with the Markdown rendered and sanitised, the agreed time in each person's
zone, and marking read in place with htmx (a plain POST without JavaScript)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from openhelp.help.asks import services as asks_services
from openhelp.help.asks.models import AskState
from openhelp.platform.lib.markdown import markdown_to_text
from openhelp.platform.notifications.emails import build_email
from openhelp.platform.notifications.models import Notification
from tests.factories import NotificationFactory, ProfileFactory, UserFactory
from tests.factories_asks import ask_in_state

pytestmark = pytest.mark.django_db

MARKDOWN = "**Try this:**\n\n```python\nprint('<b>hi</b>')\n```\n\n- [docs](https://example.org) <script>x()</script>"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _message_note(
    user, body: str = MARKDOWN, title: str = "Hana wrote on “**Fast** queries”"
) -> Notification:
    return NotificationFactory(
        recipient=user, event="ask.message.received", title=title, body=body, url="/asks/1/"
    )


def test_it_turns_markdown_into_one_line_of_plain_text():
    assert markdown_to_text(MARKDOWN) == "Try this: print('<b>hi</b>') docs"
    assert markdown_to_text("a " * 300, limit=20) == "a a a a a a a a a a…"
    assert markdown_to_text("") == ""


def test_the_centre_shows_previews_without_markdown(owner, owner_client):
    _message_note(owner)

    html = owner_client.get(reverse("notifications:list")).content.decode()

    assert "**" not in html and "```" not in html
    assert "Try this: print(&#x27;&lt;b&gt;hi&lt;/b&gt;&#x27;) docs" in html
    assert "Hana wrote on “Fast queries”" in html
    assert "<script>x()" not in html


def test_the_email_subject_is_plain_and_the_body_rendered_and_sanitised(owner):
    email = build_email(_message_note(owner))

    assert email.subject == "Hana wrote on “Fast queries”"
    html = email.alternatives[0][0]
    assert "<strong>Try this:</strong>" in html
    assert "<pre><code" in html and "&lt;b&gt;hi&lt;/b&gt;" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">docs</a>' in html
    assert "<script>" not in html
    assert "**Try this:**" in email.body  # the text part keeps what was written


def test_a_message_notification_keeps_the_whole_markdown(mentee, helper):
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper)

    asks_services.post_message(ask=ask, author=helper, body=MARKDOWN)

    note = Notification.objects.get(recipient=mentee, event="ask.message.received")
    assert note.body == MARKDOWN  # line breaks kept, so the e-mail renders the code block as one
    assert "<pre><code" in build_email(note).alternatives[0][0]


@time_machine.travel(dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC), tick=False)
def test_the_time_agreed_notification_says_the_time_in_each_persons_zone(mentee, helper):
    ProfileFactory._meta.model.objects.filter(user=mentee).update(timezone="America/New_York")
    co_asker = UserFactory(with_profile=False)
    ProfileFactory(user=co_asker, timezone="Asia/Kolkata")
    ask = ask_in_state(AskState.ACCEPTED, mentee=mentee, helper=helper, co_askers=[co_asker])
    call = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)

    asks_services.record_agreed_time(ask=ask, actor=helper, scheduled_for=call, place="Room 4")

    mine = Notification.objects.get(recipient=mentee, event="ask.scheduled")
    theirs = Notification.objects.get(recipient=co_asker, event="ask.scheduled")
    assert "Sun 6 Dec, 05:00 EST" in mine.title and "Sun 6 Dec, 05:00 EST" in mine.body
    assert "Sun 6 Dec, 15:30 IST" in theirs.title
    assert "Room 4" in mine.body
    assert "Sun 6 Dec, 05:00 EST" in build_email(mine).subject
    assert not Notification.objects.filter(recipient=helper, event="ask.scheduled").exists()


# --- Mark read in place --------------------------------------------------------------------------


def test_htmx_marks_one_read_in_place_and_sends_the_new_count(owner, owner_client):
    first = _message_note(owner)
    _message_note(owner, title="Another")

    response = owner_client.post(reverse("notifications:read", args=[first.pk]), {"next": "/n/"}, **HTMX)

    first.refresh_from_db()
    assert response.status_code == 200 and first.is_read
    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html and "unread" not in html.split("</li>")[0]
    assert "Mark as read" not in html.split("</li>")[0]
    assert 'id="notification-toolbar" hx-swap-oob="true"' in html and "1 unread." in html
    assert json.loads(response["HX-Trigger"]) == {"notifications:unread": {"count": 1}}


def test_htmx_marks_all_read_and_redraws_the_list(owner, owner_client):
    notes = [_message_note(owner, title=f"Note {i}") for i in range(3)]

    response = owner_client.post(reverse("notifications:read-all"), {"page": "1"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="notification-centre">')
    assert "You are all caught up." in html and "Mark all as read" not in html
    assert html.count('class="card notification"') == 3
    assert all(Notification.objects.get(pk=n.pk).is_read for n in notes)
    assert json.loads(response["HX-Trigger"]) == {"notifications:unread": {"count": 0}}


def test_without_javascript_the_forms_post_and_come_back(owner, owner_client):
    note = _message_note(owner)

    response = owner_client.post(reverse("notifications:read", args=[note.pk]), {"next": "/notifications/"})

    assert response.status_code == 302 and "HX-Trigger" not in response


def test_htmx_cannot_mark_someone_elses(owner, outsider_client):
    note = _message_note(owner)

    response = outsider_client.post(reverse("notifications:read", args=[note.pk]), **HTMX)

    note.refresh_from_db()
    assert response.status_code == 404 and not note.is_read


def test_the_page_wires_htmx_from_our_own_files(owner, owner_client):
    _message_note(owner)

    html = owner_client.get(reverse("notifications:list")).content.decode()

    assert "/static/django_htmx/htmx-2.min.js" in html
    assert 'hx-post="/notifications/' in html and 'hx-target="closest li"' in html
    assert "onclick" not in html
