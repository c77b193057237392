"""E-mail delivery by the background worker: at most once, retried with backoff, and really sent over SMTP."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from openhelp.platform.lib.clock import now
from openhelp.platform.notifications import services
from openhelp.platform.notifications.models import Notification
from openhelp.platform.notifications.tasks import send_notification_email
from tests.factories import UserFactory
from tests.factories_accounts import free_port
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db(transaction=True)

APPROVED = {
    "event": "skill.proposal.approved",
    "title": "Your skill “Terraform” was approved",
    "body": "Everyone can now find it & add it to their profile.",
    "url": "/skills/terraform/",
    "context": {"skill": "Terraform"},
}


def _notify(user, **extra) -> Notification:
    [note] = services.notify(recipients=[user], **{**APPROVED, **extra})
    return note


def test_it_sends_both_parts_with_an_unsubscribe_link(owner, mailoutbox):
    note = _notify(owner)
    assert mailoutbox == []
    assert run_pending_tasks() == 1
    [mail] = mailoutbox
    assert mail.to == ["owner@example.org"]
    assert mail.subject == "Your skill “Terraform” was approved"
    assert "Hello Olivia Owner," in mail.body
    assert "Everyone can now find it & add it to their profile." in mail.body
    assert "http://127.0.0.1:8000/skills/terraform/" in mail.body
    assert "http://127.0.0.1:8000/notifications/preferences/" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert "find it &amp; add it" in html
    assert 'href="http://127.0.0.1:8000/notifications/preferences/"' in html
    assert mail.extra_headers["List-Unsubscribe"] == "<http://127.0.0.1:8000/notifications/preferences/>"
    note.refresh_from_db()
    assert note.email_status == Notification.DeliveryStatus.SENT
    assert note.email_sent_at is not None
    assert note.email_attempts == 1


def test_it_falls_back_to_the_default_templates_for_an_event_without_its_own(owner, mailoutbox):
    _notify(owner, event="skill.proposal.rejected", title="Not accepted", body="Typo.", url="")
    run_pending_tasks()
    [mail] = mailoutbox
    assert mail.subject == "Not accepted"
    assert "Typo." in mail.body
    assert "Typo." in mail.alternatives[0][0]


def test_it_sends_no_email_when_the_person_switched_it_off(owner, mailoutbox):
    browser = Client()
    browser.force_login(owner)
    browser.post(reverse("notifications:preferences"), {"skill.proposal.approved:in_app": "on"})
    note = _notify(owner)
    assert run_pending_tasks() == 0
    assert mailoutbox == []
    assert note.show_in_app
    assert list(services.inbox(user=owner)) == [note]


def test_it_sends_once_however_often_the_task_runs(owner, mailoutbox):
    note = _notify(owner)
    send_notification_email.enqueue(note.pk)  # a duplicate, as a retry racing the first attempt would be
    assert run_pending_tasks() == 2
    assert len(mailoutbox) == 1
    assert send_notification_email.call(note.pk) == "skipped"
    assert len(mailoutbox) == 1
    note.refresh_from_db()
    assert note.email_attempts == 1


def test_it_skips_a_notification_deleted_before_the_worker_ran(owner, mailoutbox):
    _notify(owner)
    owner.delete()
    assert run_pending_tasks() == 1
    assert mailoutbox == []


def test_it_retries_with_backoff_and_ends_failed_when_smtp_is_down(owner, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens: connection refused
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.TASK_MAX_ATTEMPTS = 3
    settings.TASK_RETRY_BASE_SECONDS = 30
    note = _notify(owner)
    start = now()

    with time_machine.travel(start, tick=False) as clock:
        assert run_pending_tasks() == 1
        note.refresh_from_db()
        assert (note.email_status, note.email_attempts) == (Notification.DeliveryStatus.PENDING, 1)
        assert "ConnectionRefusedError" in note.email_error
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after == start + dt.timedelta(seconds=30)
        assert run_pending_tasks() == 0, "not before its time"

        clock.move_to(start + dt.timedelta(seconds=31))
        assert run_pending_tasks() == 1
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after == start + dt.timedelta(seconds=31 + 60), "the wait doubles"

        clock.move_to(start + dt.timedelta(seconds=92))
        assert run_pending_tasks() == 1

    note.refresh_from_db()
    assert (note.email_status, note.email_attempts) == (Notification.DeliveryStatus.FAILED, 3)
    assert not DBTaskResult.objects.filter(status="READY").exists()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.task_path == "openhelp.platform.notifications.tasks.send_notification_email"

    # …and an admin sees it in django-tasks-db's admin.
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    page = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"status__exact": "FAILED"}
    )
    assert page.status_code == 200
    assert str(failed.pk) in page.content.decode()
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk]))
    assert "ConnectionRefusedError" in detail.content.decode()


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def test_it_delivers_real_mail_over_smtp(owner, smtp_server):
    note = _notify(owner)
    assert smtp_server.envelopes == []
    assert run_pending_tasks() == 1

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["owner@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == "Your skill “Terraform” was approved"
    assert message["To"] == "owner@example.org"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hello Olivia Owner," in text
    assert "http://127.0.0.1:8000/notifications/preferences/" in text
    assert '<a href="http://127.0.0.1:8000/skills/terraform/"' in html
    note.refresh_from_db()
    assert note.email_status == Notification.DeliveryStatus.SENT


def test_a_retried_email_says_why_in_the_log_line(owner, settings, caplog):
    """The administrator reading the worker's log sees why e-mail fails (here: no SMTP server on that
    port) and when it is tried again, in the one warning line of each retry."""
    import logging

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", free_port(), False
    settings.EMAIL_TIMEOUT = 2
    note = _notify(owner)
    with caplog.at_level(logging.WARNING, logger="openhelp.platform.lib.tasks"):
        assert send_notification_email.call(note.pk) is None
    [line] = [record.getMessage() for record in caplog.records]
    assert line.startswith("Task send_notification_email failed (attempt 1 of 5): ConnectionRefusedError: ")
    assert line.endswith("; retrying in 30 s")
