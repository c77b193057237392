"""Background delivery of notification e-mails (queue "email")."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F

from openhelp.platform.lib.clock import now
from openhelp.platform.lib.tasks import background_task
from openhelp.platform.notifications import chat
from openhelp.platform.notifications.emails import build_email
from openhelp.platform.notifications.events import get_event
from openhelp.platform.notifications.models import Notification

Status = Notification.DeliveryStatus


@background_task(queue_name="email")
def send_notification_email(notification_id: int) -> str:
    """Send one notification's e-mail, at most once however often this task runs.

    The conditional UPDATE is the claim: of two workers running the same task (a duplicate enqueue, a
    retry racing a slow first attempt) only the one that changes the row from pending sends.
    """
    claimed = Notification.objects.filter(pk=notification_id, email_status=Status.PENDING).update(
        email_status=Status.SENDING, email_attempts=F("email_attempts") + 1, email_claimed_at=now()
    )
    if claimed != 1:
        return "skipped"
    notification = Notification.objects.select_related("recipient__profile").get(pk=notification_id)
    secret = get_event(notification.event).secret_context
    try:
        build_email(notification).send()
    except Exception as exc:
        final = (
            notification.email_attempts >= settings.TASK_MAX_ATTEMPTS
            or not send_notification_email.get_backend().supports_defer
        )
        Notification.objects.filter(pk=notification_id, email_status=Status.SENDING).update(
            email_status=Status.FAILED if final else Status.PENDING,
            email_error=f"{exc.__class__.__name__}: {exc}"[:300],
            **({"context": {}} if final and secret else {}),
        )
        raise  # background_task re-enqueues with backoff, or records the task as failed for good
    Notification.objects.filter(pk=notification_id).update(
        email_status=Status.SENT,
        email_sent_at=now(),
        email_error="",
        **({"context": {}} if secret else {}),
    )
    return "sent"


@background_task(queue_name="chat")
def send_notification_chat(notification_id: int) -> str:
    """Deliver one notification on every chat transport where its recipient is linked, at most once.

    Claimed like the e-mail (pending → sending); a transport that raises puts it back to pending for the
    retry, or failed after the last attempt. A person unlinked meanwhile gets nothing ("unlinked").
    """
    claimed = Notification.objects.filter(pk=notification_id, chat_status=Status.PENDING).update(
        chat_status=Status.SENDING, chat_attempts=F("chat_attempts") + 1
    )
    if claimed != 1:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    targets = chat.transports_for(notification.recipient_id) if notification.recipient_id else []
    if not targets:
        Notification.objects.filter(pk=notification_id).update(chat_status=Status.NOT_WANTED)
        return "unlinked"
    try:
        for transport in targets:
            transport.send(notification)
    except Exception as exc:
        final = (
            notification.chat_attempts >= settings.TASK_MAX_ATTEMPTS
            or not send_notification_chat.get_backend().supports_defer
        )
        Notification.objects.filter(pk=notification_id, chat_status=Status.SENDING).update(
            chat_status=Status.FAILED if final else Status.PENDING,
            chat_error=f"{exc.__class__.__name__}: {exc}"[:300],
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        chat_status=Status.SENT, chat_sent_at=now(), chat_error=""
    )
    return "sent"


# A worker that dies between the claim and the outcome leaves its e-mail "sending" for ever; after this
# long (far beyond any SMTP timeout) the claim is considered lost and the e-mail is tried again
# (EMAIL_STUCK_AFTER_SECONDS, 15 minutes by default; the reaper runs at least that often).
def stuck_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.EMAIL_STUCK_AFTER_SECONDS)


@background_task(queue_name="email")
def reap_stuck_emails() -> int:
    """Put e-mails whose sending worker vanished back in the queue; return how many were re-queued.

    Each one is released with a conditional UPDATE (still "sending", still the old claim), so a worker
    that finishes late and the reaper never both win; the re-sent task then claims it as usual.
    """
    cutoff = now() - stuck_after()
    stuck = list(
        Notification.objects.filter(email_status=Status.SENDING, email_claimed_at__lt=cutoff).values_list(
            "pk", "email_claimed_at"
        )[:500]
    )
    released = 0
    for notification_id, claimed_at in stuck:
        if Notification.objects.filter(
            pk=notification_id, email_status=Status.SENDING, email_claimed_at=claimed_at
        ).update(email_status=Status.PENDING, email_error="The sending worker stopped; trying again."):
            send_notification_email.enqueue(notification_id)
            released += 1
    # An e-mail whose task was never queued: its process died between the commit and the on-commit
    # enqueue (found by the cluster's fault runs, bench/cluster). Never tried and this old: queue it; if
    # its task was only late, the claim makes the second run a no-op.
    never_queued = Notification.objects.filter(
        email_status=Status.PENDING, email_attempts=0, created_at__lt=cutoff
    ).values_list("pk", flat=True)[:500]
    for notification_id in never_queued:
        send_notification_email.enqueue(notification_id)
        released += 1
    return released
