"""Chat as a channel: transports register, linked people get chat instead of e-mail unless they chose both,
the chat task delivers once and retries a failing transport."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from django_tasks_db.models import DBTaskResult

from openhelp.platform.notifications import chat, services
from openhelp.platform.notifications.models import Notification, NotificationPreference
from openhelp.platform.notifications.tasks import send_notification_chat

WELCOME = {"event": "account.welcome", "title": "Welcome", "body": "Hello", "url": "/people/me/"}
Status = Notification.DeliveryStatus


class RecordingTransport:
    """A real transport in every way but the wire: it records what it was asked to send."""

    name = "recording"

    def __init__(self, linked: set[int]):
        self.linked = linked
        self.sent: list[int] = []
        self.fail_next = 0

    def linked_user_ids(self, user_ids: Collection[int]) -> set[int]:
        return self.linked & set(user_ids)

    def send(self, notification: Notification) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("chat server unreachable")
        self.sent.append(notification.pk)


@pytest.fixture
def transport(owner):
    transport = RecordingTransport(linked={owner.pk})
    chat.register_chat_transport(transport)
    yield transport
    chat.unregister_chat_transport(transport.name)


def test_a_linked_person_gets_chat_and_no_email_by_default(owner, outsider, transport):
    notes = {n.recipient: n for n in services.notify(recipients=[owner, outsider], **WELCOME)}
    assert notes[owner].chat_status == Status.PENDING
    assert notes[owner].email_status == Status.NOT_WANTED, "chat replaces e-mail unless both are chosen"
    assert notes[outsider].chat_status == Status.NOT_WANTED, "not linked: nothing to send chat to"
    assert notes[outsider].email_status == Status.PENDING


def test_a_linked_person_who_chose_both_gets_both(owner, transport):
    NotificationPreference.objects.create(user=owner, event="account.welcome", channel="email", enabled=True)
    [note] = services.notify(recipients=[owner], **WELCOME)
    assert (note.chat_status, note.email_status) == (Status.PENDING, Status.PENDING)


def test_a_linked_person_can_switch_chat_off(owner, transport):
    NotificationPreference.objects.create(user=owner, event="account.welcome", channel="chat", enabled=False)
    [note] = services.notify(recipients=[owner], **WELCOME)
    assert note.chat_status == Status.NOT_WANTED
    assert note.email_status == Status.NOT_WANTED, "e-mail stays at its linked default (off)"
    assert note.show_in_app


def test_mandatory_emails_never_go_to_chat(owner, transport):
    note = services.queue_email(
        event="account.security_notice", email_to=owner.email, recipient=owner, context={}
    )
    assert note.chat_status == Status.NOT_WANTED
    assert note.email_status == Status.PENDING


def test_the_chat_task_delivers_once(owner, transport):
    [note] = services.notify(recipients=[owner], **WELCOME)
    assert send_notification_chat.call(note.pk) == "sent"
    assert send_notification_chat.call(note.pk) == "skipped", "a duplicate run sends nothing"
    assert transport.sent == [note.pk]
    note.refresh_from_db()
    assert note.chat_status == Status.SENT and note.chat_sent_at is not None


def test_a_failing_transport_is_retried_then_sends(owner, transport, settings):
    settings.TASK_MAX_ATTEMPTS = 3
    [note] = services.notify(recipients=[owner], **WELCOME)
    transport.fail_next = 1
    assert send_notification_chat.call(note.pk) is None, "failed: a retry is queued"
    note.refresh_from_db()
    assert note.chat_status == Status.PENDING and "unreachable" in note.chat_error
    [retry] = DBTaskResult.objects.filter(task_path__endswith="send_notification_chat", queue_name="chat")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert send_notification_chat.call(note.pk, attempt=2) == "sent"
    assert transport.sent == [note.pk]


def test_the_last_failed_attempt_marks_it_failed(owner, transport, settings):
    settings.TASK_MAX_ATTEMPTS = 1
    [note] = services.notify(recipients=[owner], **WELCOME)
    transport.fail_next = 1
    with pytest.raises(ConnectionError):
        send_notification_chat.call(note.pk)
    note.refresh_from_db()
    assert note.chat_status == Status.FAILED


def test_someone_unlinked_before_delivery_gets_nothing(owner, transport):
    [note] = services.notify(recipients=[owner], **WELCOME)
    transport.linked.clear()
    assert send_notification_chat.call(note.pk) == "unlinked"
    assert transport.sent == []


def test_the_preferences_page_shows_chat_only_to_linked_people(owner, owner_client, transport):
    page = owner_client.get("/notifications/preferences/")
    assert 'name="account.welcome:chat"' in page.content.decode()
    # Saving the form without ticking e-mail keeps e-mail off and chat on for a linked person.
    owner_client.post(
        "/notifications/preferences/", {"account.welcome:in_app": "on", "account.welcome:chat": "on"}
    )
    saved = dict(
        NotificationPreference.objects.filter(user=owner, event="account.welcome").values_list(
            "channel", "enabled"
        )
    )
    assert saved["chat"] is True and saved["email"] is False
    transport.linked.clear()
    page = owner_client.get("/notifications/preferences/")
    assert 'name="account.welcome:chat"' not in page.content.decode()
    assert '<th scope="col">Chat</th>' not in page.content.decode()
