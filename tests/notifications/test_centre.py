"""The notification centre: unread first, mark read (forms and fetch), the unread count, preferences."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from openhelp.platform.lib.clock import now
from openhelp.platform.notifications.models import Notification, NotificationPreference
from tests.factories import NotificationFactory
from tests.harness.queries import assert_constant_queries


def _note(user, title: str, *, minutes_ago: int, read: bool = False) -> Notification:
    created = now() - dt.timedelta(minutes=minutes_ago)
    return NotificationFactory(
        recipient=user,
        event="account.welcome",
        title=title,
        created_at=created,
        read_at=created if read else None,
    )


def test_it_lists_unread_first_and_highlights_them(owner, owner_client):
    _note(owner, "Old read", minutes_ago=1, read=True)
    _note(owner, "Older unread", minutes_ago=30)
    _note(owner, "Newest unread", minutes_ago=5)
    NotificationFactory(recipient=owner, event="account.security_notice", title="Hidden", show_in_app=False)
    response = owner_client.get(reverse("notifications:list"))
    titles = [n.title for n in response.context["page"].object_list]
    assert titles == ["Newest unread", "Older unread", "Old read"]
    html = response.content.decode()
    assert html.count('class="card notification unread"') == 2
    assert "Hidden" not in html
    assert 'aria-label="Notifications, 2 unread"' in html
    assert '<span class="count" data-unread-count>2</span>' in html


def test_it_shows_an_empty_state(owner_client):
    html = owner_client.get(reverse("notifications:list")).content.decode()
    assert "No notifications yet" in html
    assert "You are all caught up." in html


def test_it_marks_one_notification_read_and_returns_to_the_page(owner, owner_client):
    note = _note(owner, "Hello", minutes_ago=1)
    response = owner_client.post(
        reverse("notifications:read", args=[note.pk]), {"next": reverse("notifications:list") + "?page=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list") + "?page=1"
    note.refresh_from_db()
    assert note.is_read


def test_it_never_redirects_off_site_after_marking_read(owner, owner_client):
    note = _note(owner, "Hello", minutes_ago=1)
    response = owner_client.post(
        reverse("notifications:read", args=[note.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:list")


def test_it_answers_fetch_with_json(owner, owner_client):
    first = _note(owner, "One", minutes_ago=1)
    _note(owner, "Two", minutes_ago=2)
    response = owner_client.post(
        reverse("notifications:read", args=[first.pk]), headers={"Accept": "application/json"}
    )
    assert response.json() == {"id": first.pk, "read": True, "unread_count": 1}
    response = owner_client.post(reverse("notifications:read-all"), headers={"Accept": "application/json"})
    assert response.json() == {"marked": 1, "unread_count": 0}


def test_it_marks_everything_read(owner, outsider, owner_client):
    _note(owner, "One", minutes_ago=1)
    _note(owner, "Two", minutes_ago=2)
    theirs = _note(outsider, "Theirs", minutes_ago=1)
    response = owner_client.post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read
    assert (
        "All notifications are marked as read."
        in owner_client.get(reverse("notifications:list")).content.decode()
    )


def test_it_refuses_to_mark_someone_elses_notification(owner, outsider_client):
    note = _note(owner, "Private", minutes_ago=1)
    assert outsider_client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert not note.is_read


def test_it_lists_without_n_plus_one_queries(owner, owner_client):
    def grow(n: int) -> None:
        Notification.objects.bulk_create(
            Notification(recipient=owner, event="account.welcome", title=f"N{i}") for i in range(n)
        )

    assert_constant_queries(grow=grow, action=lambda: owner_client.get(reverse("notifications:list")))


def test_it_shows_preferences_with_mandatory_emails_locked(owner_client):
    html = owner_client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="account.welcome:email"' in html
    assert 'name="skill.proposal.approved:in_app"' in html
    locked = html.split('name="account.password_reset:email"')[1].split(">")[0]
    assert "checked" in locked and "disabled" in locked
    # Short in a narrow column on a phone; the reason is still read out with it.
    assert 'Always sent<span class="visually-hidden">: it keeps your account secure</span>.' in html
    assert 'name="account.password_reset:in_app"' not in html


def test_it_saves_preferences_from_the_checkboxes(owner, owner_client):
    data = {"account.welcome:in_app": "on", "skill.proposal.approved:email": "on"}
    response = owner_client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    saved = {(p.event, p.channel): p.enabled for p in NotificationPreference.objects.filter(user=owner)}
    assert saved[("account.welcome", "in_app")] is True
    assert saved[("account.welcome", "email")] is False
    assert saved[("skill.proposal.approved", "in_app")] is False
    assert saved[("skill.proposal.approved", "email")] is True
    assert ("account.password_reset", "email") not in saved, "a mandatory e-mail is not a choice"
    html = owner_client.get(reverse("notifications:preferences")).content.decode()
    assert "Your notification preferences are saved." in html
    welcome_email = html.split('name="account.welcome:email"')[1].split(">")[0]
    assert "checked" not in welcome_email
