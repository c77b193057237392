"""From a domain event to a signed POST on a real receiver: the consumer, signatures, retries with the
real task queue and a travelling clock, giving up, disabling and enabling again, test, rotate, replay."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from openhelp.integrations.webhooks import consumer, services, signing
from openhelp.integrations.webhooks.models import Delivery, DeliveryStatus, Endpoint
from openhelp.integrations.webhooks.sending import MAX_RETRY_AFTER
from openhelp.platform.notifications.models import Notification
from openhelp.platform.outbox.models import ConsumerCursor
from tests.factories_webhooks import deliver_to_webhooks, make_endpoint, record_event
from tests.harness.tasks import queued_task_names, run_pending_tasks
from tests.webhooks.conftest import START
from tests.webhooks.receiver import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(receiver, organiser):
    made = make_endpoint(url=receiver.url, actor=organiser, kinds=["kudos.given", "offer.accepted"])
    receiver.secrets = [made.secret]
    return made


def send(committed) -> None:
    """What the worker does: deliver the outbox to the consumer, then run the queued sends."""
    with committed():
        deliver_to_webhooks()
    with committed():
        run_pending_tasks()


def test_the_receiver_gets_a_signed_standard_webhooks_message(hook, receiver, clock, committed):
    event = record_event("kudos.given", kudos=11, giver=2, receiver=3, public=True)
    send(committed)

    [got] = receiver.received
    assert got.verified is True  # the receiver's own check of the signature
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-id"] == f"msg_evt_{event.pk}"
    assert got.headers["webhook-timestamp"] == str(int(START.timestamp()))
    assert got.headers["webhook-signature"].startswith("v1,")
    body = json.loads(got.body)
    assert body["type"] == "kudos.given" and body["timestamp"] == START.isoformat()
    assert body["data"] == {
        "event_id": event.pk,
        "actor_id": 2,
        "kudos": 11,
        "giver": 2,
        "receiver": 3,
        "public": True,
    }
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.SUCCEEDED,
        1,
        200,
    )
    assert delivery.last_response == "ok" and delivery.last_duration_ms is not None


def test_a_receiver_with_another_secret_refuses_and_nothing_is_retried(hook, receiver, clock, committed):
    receiver.secrets = [signing.new_secret()]  # a different key
    record_event()
    send(committed)

    [got] = receiver.received
    assert got.verified is False
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.FAILED, 401)
    assert "webhooks.tasks.send_delivery_task" not in " ".join(queued_task_names())


def test_links_point_at_the_pages_of_asks_and_sessions(hook, receiver, clock, committed, settings):
    record_event("offer.accepted", offer=4, ask=5, mentor=6)
    send(committed)
    data = json.loads(receiver.received[0].body)["data"]
    assert data["links"] == {"ask": f"{settings.SITE_URL}/asks/5/"}


def test_only_the_chosen_kinds_are_sent(hook, receiver, clock, committed):
    record_event("moment.logged", moment=1, author=2)
    send(committed)
    assert receiver.received == [] and not Delivery.objects.exists()


def test_a_private_kudos_is_not_sent(hook, receiver, clock, committed):
    """The feed, profiles and counts leave a private kudos out; its event's ids would have told the
    organisers' endpoint who thanked whom in private (found in the security review; docs/security.md)."""
    record_event("kudos.given", kudos=12, giver=2, receiver=3, public=False)
    send(committed)
    assert receiver.received == [] and not Delivery.objects.exists()


def test_the_consumer_is_idempotent(hook, receiver, clock, committed):
    events = [record_event(), record_event("offer.accepted", offer=1, ask=2, mentor=3)]
    with committed():
        deliver_to_webhooks()
        consumer.handle(events)  # the same batch again, as after a crash before the cursor moved
        ConsumerCursor.objects.filter(name="webhooks").update(last_event_id=0)
        deliver_to_webhooks()
    assert Delivery.objects.count() == 2
    with committed():
        run_pending_tasks()
    assert len(receiver.received) == 2


def test_a_500_is_retried_when_due_with_the_same_webhook_id(hook, receiver, clock, committed):
    receiver.script.extend([Answer(status=500, body=b"boom")])
    record_event()
    send(committed)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert delivery.next_attempt_at == START + dt.timedelta(seconds=5)
    with committed():
        run_pending_tasks()  # not due yet
    assert len(receiver.received) == 1

    clock.move_to(START + dt.timedelta(seconds=6))
    with committed():
        run_pending_tasks()

    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert second.headers["webhook-timestamp"] == str(int(START.timestamp()) + 6)
    assert second.verified is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.SUCCEEDED,
        2,
        200,
    )
    assert Endpoint.objects.get().failure_streak == 0


def test_retry_after_on_a_429_is_honoured(hook, receiver, clock, committed):
    receiver.script.append(Answer(status=429, headers={"Retry-After": "120"}))
    record_event()
    send(committed)
    assert Delivery.objects.get().next_attempt_at == START + dt.timedelta(seconds=120)


@pytest.mark.parametrize("seconds", ["9" * 30, "9" * 5000], ids=["past-timedelta", "past-int"])
def test_a_retry_after_beyond_reason_waits_the_longest_we_wait(hook, receiver, clock, committed, seconds):
    # A receiver's header no timedelta (or int()) can hold once crashed the sending task.
    receiver.script.append(Answer(status=429, headers={"Retry-After": seconds}))
    record_event()
    send(committed)
    assert Delivery.objects.get().next_attempt_at == START + MAX_RETRY_AFTER


@pytest.mark.parametrize("status", [400, 404, 410, 301])
def test_other_4xx_and_redirects_fail_at_once(hook, receiver, clock, committed, status):
    receiver.default = Answer(
        status=status, headers={"Location": "http://127.0.0.1:1/"} if status == 301 else {}
    )
    record_event()
    send(committed)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 1, None)
    assert Endpoint.objects.get().failure_streak == 1


def test_it_gives_up_after_the_schedule(hook, receiver, clock, committed, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "RETRY_SCHEDULE_SECONDS": [10, 20]}
    receiver.default = Answer(status=503)
    record_event()
    send(committed)
    for seconds in (10, 30):
        clock.move_to(START + dt.timedelta(seconds=seconds))
        with committed():
            run_pending_tasks()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.GAVE_UP, 3)
    assert len(receiver.received) == 3


def test_a_loopback_url_no_longer_allowed_is_refused_at_send_time(hook, receiver, clock, committed, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    record_event()
    send(committed)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error.startswith("Refused")
    assert receiver.received == []


def test_repeated_failures_disable_the_endpoint_until_enabled_by_hand(
    hook, receiver, clock, committed, settings, organiser, owner
):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "DISABLE_AFTER_FAILED_DELIVERIES": 3}
    receiver.default = Answer(status=400)
    for _ in range(3):
        record_event()
    send(committed)

    endpoint = Endpoint.objects.get()
    assert not endpoint.is_enabled and endpoint.disabled_reason == "3 deliveries in a row failed."
    [told] = Notification.objects.filter(event="webhooks.disabled")
    assert told.recipient == organiser and told.url == f"/integrations/webhooks/{endpoint.pk}/"
    record_event()
    send(committed)
    assert Delivery.objects.count() == 3 and len(receiver.received) == 3  # nothing kept for it while off

    receiver.default = Answer()
    with committed():
        services.enable_endpoint(endpoint=endpoint)
    record_event()
    send(committed)
    endpoint.refresh_from_db()
    assert endpoint.is_enabled and endpoint.failure_streak == 0
    assert Delivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 1


def test_failing_for_days_disables_the_endpoint(hook, receiver, clock, committed, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "RETRY_SCHEDULE_SECONDS": [3 * 86400, 3 * 86400, 3 * 86400]}
    receiver.default = Answer(status=502)
    record_event()
    send(committed)
    for days in (3, 6):
        clock.move_to(START + dt.timedelta(days=days, seconds=1))
        with committed():
            run_pending_tasks()
    endpoint = Endpoint.objects.get()
    assert not endpoint.is_enabled and endpoint.disabled_reason.startswith("Every delivery has failed since")
    assert Delivery.objects.get().status == DeliveryStatus.PENDING  # waits for the endpoint to come back

    receiver.default = Answer()
    with committed():
        services.enable_endpoint(endpoint=endpoint)
    with committed():
        run_pending_tasks()
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_a_test_event_is_sent_once_and_never_counts(hook, receiver, clock, committed):
    receiver.default = Answer(status=500)
    with committed():
        services.send_test(endpoint=hook.endpoint)
    with committed():
        run_pending_tasks()
    [got] = receiver.received
    assert json.loads(got.body)["type"] == "webhook.test" and got.verified is True
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.GAVE_UP and delivery.event_id is None
    assert Endpoint.objects.get().failure_streak == 0


def test_after_a_rotation_both_secrets_sign_for_a_day(hook, receiver, clock, committed):
    with committed():
        rotated = services.rotate_secret(endpoint=hook.endpoint)
    receiver.secrets = [rotated.secret]
    record_event()
    send(committed)
    receiver.secrets = [hook.secret]
    assert receiver.verify(receiver.received[0].headers, receiver.received[0].body)
    assert len(receiver.received[0].headers["webhook-signature"].split(" ")) == 2

    clock.move_to(START + dt.timedelta(hours=25))
    record_event()
    send(committed)
    assert receiver.received[1].headers["webhook-signature"].count("v1,") == 1
    assert not receiver.verify(receiver.received[1].headers, receiver.received[1].body)


def test_a_replay_sends_the_same_message_again(hook, receiver, clock, committed):
    record_event()
    send(committed)
    delivery = Delivery.objects.get()
    with committed():
        services.replay_delivery(delivery=delivery)
    with committed():
        run_pending_tasks()
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] and first.body == second.body
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 1)


def test_the_periodic_sweep_sends_what_a_lost_task_left(hook, receiver, clock, committed):
    from openhelp.integrations.webhooks.tasks import send_due_task

    record_event()
    deliver_to_webhooks()  # the on-commit send was lost (callbacks not run)
    assert receiver.received == []
    send_due_task.call()
    assert len(receiver.received) == 1
