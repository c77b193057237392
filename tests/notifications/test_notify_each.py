"""notify_each(): several messages of one event in one bulk insert, with notify()'s rules."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from openhelp.platform.notifications import services
from openhelp.platform.notifications.models import Notification, NotificationPreference
from openhelp.platform.notifications.services import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVENT = "account.welcome"


def _queued_sends() -> list[list[int]]:
    rows = DBTaskResult.objects.filter(
        task_path="openhelp.platform.notifications.tasks.send_notification_email"
    ).values_list("args_kwargs", flat=True)
    return [row["args"] for row in rows]


def _message(user, n: int, **extra) -> Message:
    return Message(
        recipient=user, title=f"Hello {n}", body=f"Body {n}", url=f"/{n}/", context={"n": n}, **extra
    )


def test_each_person_gets_their_own_words_and_their_email_is_queued_after_commit(
    owner, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_each(
            event=EVENT, messages=[_message(owner, 1, dedupe_key="a"), _message(outsider, 2, dedupe_key="b")]
        )
        assert _queued_sends() == [], "nothing is queued before the transaction commits"

    assert [(n.recipient, n.title, n.body, n.url, n.context, n.dedupe_key) for n in created] == [
        (owner, "Hello 1", "Body 1", "/1/", {"n": 1}, "a"),
        (outsider, "Hello 2", "Body 2", "/2/", {"n": 2}, "b"),
    ]
    assert all(n.pk for n in created)
    assert sorted(_queued_sends()) == sorted([[n.pk] for n in created])
    assert Notification.objects.count() == 2


def test_it_gives_the_same_rows_as_one_notify_per_message(owner, outsider):
    NotificationPreference.objects.create(user=owner, event=EVENT, channel="email", enabled=False)
    inactive = UserFactory(is_active=False)
    messages = [_message(owner, 1, dedupe_key="x"), _message(outsider, 2), _message(inactive, 3)]

    bulk = services.notify_each(event=EVENT, messages=messages)
    Notification.objects.all().delete()
    one_by_one = [
        n
        for m in messages
        for n in services.notify(
            event=EVENT,
            recipients=[m.recipient],
            title=m.title,
            body=m.body,
            url=m.url,
            context=m.context,
            dedupe_key=m.dedupe_key,
        )
    ]

    def shown(rows):
        fields = ("recipient_id", "title", "show_in_app", "email_status", "chat_status", "dedupe_key")
        return [tuple(getattr(n, name) for name in fields) for n in rows]

    assert shown(bulk) == shown(one_by_one)
    assert len(bulk) == 2, "an inactive account is never notified"
    assert bulk[0].email_status == Notification.DeliveryStatus.NOT_WANTED


def test_a_message_already_sent_is_skipped_and_the_others_still_go(owner, outsider):
    services.notify(event=EVENT, recipients=[owner], title="Earlier", dedupe_key="same")

    created = services.notify_each(
        event=EVENT,
        messages=[_message(owner, 1, dedupe_key="same"), _message(outsider, 2, dedupe_key="same")],
    )

    assert [n.recipient for n in created] == [outsider]
    assert Notification.objects.get(recipient=owner).title == "Earlier"
    assert Notification.objects.filter(recipient=outsider).count() == 1


@pytest.mark.parametrize("people", [1, 4])
def test_its_queries_do_not_grow_with_the_messages(people, django_assert_max_num_queries):
    users = UserFactory.create_batch(people)
    # channels (preferences and chat links: at most three reads) and one insert, in savepoints
    with django_assert_max_num_queries(10):
        created = services.notify_each(event=EVENT, messages=[_message(u, n) for n, u in enumerate(users)])
    assert len(created) == people
