"""notify(): one notification per event and person, channels from each person's preferences."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django_tasks_db.models import DBTaskResult

from openhelp.platform.notifications import events, services
from openhelp.platform.notifications.models import Notification, NotificationPreference
from tests.factories import UserFactory

WELCOME = {"event": "account.welcome", "title": "Welcome", "body": "Hello", "url": "/people/me/"}


def _queued_sends() -> list:
    return list(
        DBTaskResult.objects.filter(
            task_path="openhelp.platform.notifications.tasks.send_notification_email"
        ).values_list("args_kwargs", flat=True)
    )


def test_it_notifies_in_the_app_and_queues_the_email_after_commit(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [note] = services.notify(recipients=[owner], **WELCOME)
        assert _queued_sends() == [], "nothing is queued before the transaction commits"
    assert len(callbacks) == 1
    assert note.show_in_app
    assert note.email_status == Notification.DeliveryStatus.PENDING
    assert [kw["args"] for kw in _queued_sends()] == [[note.pk]]
    assert DBTaskResult.objects.get().queue_name == "email"


def test_it_tells_each_person_once_per_event_and_key(owner, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(recipients=[owner, owner, outsider], dedupe_key="k", **WELCOME)
        again = services.notify(recipients=[owner, outsider], dedupe_key="k", **WELCOME)
        other_key = services.notify(recipients=[owner], dedupe_key="k2", **WELCOME)
    assert len(first) == 2
    assert again == []
    assert len(other_key) == 1
    assert Notification.objects.filter(recipient=owner).count() == 2
    assert len(_queued_sends()) == 3


def test_it_respects_a_person_switching_email_off(owner, outsider, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=owner, event="account.welcome", channel="email", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notes = {n.recipient: n for n in services.notify(recipients=[owner, outsider], **WELCOME)}
    assert notes[owner].email_status == Notification.DeliveryStatus.NOT_WANTED
    assert notes[owner].show_in_app, "still in the notification centre"
    assert notes[outsider].email_status == Notification.DeliveryStatus.PENDING
    assert [kw["args"] for kw in _queued_sends()] == [[notes[outsider].pk]]


def test_it_respects_a_person_switching_the_app_off(owner):
    NotificationPreference.objects.create(
        user=owner, event="account.welcome", channel="in_app", enabled=False
    )
    [note] = services.notify(recipients=[owner], **WELCOME)
    assert not note.show_in_app
    assert list(services.inbox(user=owner)) == []
    assert services.unread_count(user=owner) == 0


def test_it_still_records_the_event_when_every_channel_is_off(owner):
    for channel in ("in_app", "email"):
        NotificationPreference.objects.create(
            user=owner, event="account.welcome", channel=channel, enabled=False
        )
    [note] = services.notify(recipients=[owner], dedupe_key="w", **WELCOME)
    assert not note.show_in_app
    assert note.email_status == Notification.DeliveryStatus.NOT_WANTED
    assert services.notify(recipients=[owner], dedupe_key="w", **WELCOME) == []


def test_it_always_emails_mandatory_events(owner):
    # A stale or hand-made preference row cannot switch a security e-mail off.
    NotificationPreference.objects.create(
        user=owner, event="account.security_notice", channel="email", enabled=False
    )
    [note] = services.notify(event="account.security_notice", recipients=[owner], title="Password changed")
    assert note.email_status == Notification.DeliveryStatus.PENDING
    assert not note.show_in_app, "an e-mail-only event never appears in the app"


def test_it_skips_people_whose_account_is_inactive(db):
    inactive = UserFactory(is_active=False)
    assert services.notify(recipients=[inactive], **WELCOME) == []


def test_it_refuses_an_unregistered_event(owner):
    with pytest.raises(events.UnknownEvent, match="notification_events.py"):
        services.notify(event="no.such.event", recipients=[owner], title="?")


def test_it_registers_an_event_in_one_line():
    try:
        event = events.register("test.thing.happened", label="A thing", description="For tests.")
        assert events.get_event("test.thing.happened") is event
        assert event.offers("in_app") and event.offers("email")
        assert events.register("test.thing.happened", label="A thing", description="For tests.") == event
        with pytest.raises(ImproperlyConfigured):
            events.register("test.thing.happened", label="Another label", description="For tests.")
        with pytest.raises(ImproperlyConfigured):
            events.register("test.other", label="x", description="x", channels=("sms",))
    finally:
        events._registry.pop("test.thing.happened", None)


def test_it_lets_an_event_be_off_by_default_by_email(owner):
    try:
        events.register("test.digest", label="Digest", description="For tests.", default_channels=("in_app",))
        [note] = services.notify(event="test.digest", recipients=[owner], title="Digest")
        assert note.email_status == Notification.DeliveryStatus.NOT_WANTED
        services.set_preferences(user=owner, choices={("test.digest", "email"): True})
        [note] = services.notify(event="test.digest", recipients=[owner], title="Digest 2", dedupe_key="2")
        assert note.email_status == Notification.DeliveryStatus.PENDING
    finally:
        events._registry.pop("test.digest", None)


def test_it_refuses_to_switch_off_a_mandatory_email(owner):
    with pytest.raises(ValidationError) as caught:
        services.set_preferences(user=owner, choices={("account.password_reset", "email"): False})
    assert "cannot be switched off" in str(caught.value.message_dict["account.password_reset"])
    with pytest.raises(ValidationError):
        services.set_preferences(user=owner, choices={("account.password_reset", "in_app"): True})
    with pytest.raises(ValidationError):
        services.set_preferences(user=owner, choices={("nope", "email"): True})
    assert not NotificationPreference.objects.exists()


def test_it_lists_every_event_and_channel_with_what_the_person_gets(owner):
    services.set_preferences(user=owner, choices={("account.welcome", "email"): False})
    rows = {row.event.name: row for row in services.preferences_for(user=owner)}
    assert {"account.email_verification", "account.welcome", "skill.proposal.approved"} <= set(rows)
    welcome = rows["account.welcome"]
    assert welcome.setting("email").enabled is False
    assert welcome.setting("in_app").enabled is True
    verification = rows["account.email_verification"]
    assert verification.setting("email").locked and verification.setting("email").enabled
    assert not verification.setting("in_app").offered
