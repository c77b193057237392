"""Every request from Slack is checked before anything else: v0 HMAC-SHA256 over ``v0:<ts>:<raw body>``
with the signing secret, a timestamp within five minutes, a constant-time comparison, and no replay.

A replay is a request whose signature we have already accepted: the signature covers the timestamp,
so the same bytes sent again inside the five minutes carry the same signature and are refused. Slack's
own retries are new requests (a new timestamp, so a new signature) and are recognised by their
``event_id`` instead (``views.py``), answered 200 without doing the work twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from openhelp.integrations.slack.models import ProcessedRequest
from openhelp.platform.lib.clock import now

WINDOW = dt.timedelta(minutes=5)


class BadSignature(Exception):
    """The request is not from Slack, is too old, or was seen before (answered 401)."""


def signature_for(*, secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify(request: HttpRequest) -> None:
    """Raise ``BadSignature`` unless the request is signed by Slack, fresh and seen for the first time."""
    check_signature(request)
    refuse_replay(request)


def check_signature(request: HttpRequest) -> None:
    """Signed with our signing secret, within five minutes (constant-time comparison)."""
    secret = settings.SLACK_SIGNING_SECRET
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not secret or not timestamp.isdigit() or not signature.startswith("v0="):
        raise BadSignature("Missing signature headers.")
    sent = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    if abs(now() - sent) > WINDOW:
        raise BadSignature("The request timestamp is outside the five-minute window.")
    expected = signature_for(secret=secret, timestamp=timestamp, body=request.body)
    if not hmac.compare_digest(expected, signature):
        raise BadSignature("The signature does not match.")


def refuse_replay(request: HttpRequest) -> None:
    signature = request.headers.get("X-Slack-Signature", "")
    if not first_time(f"sig:{signature[3:]}"):
        raise BadSignature("This request was already received (replay).")


def first_time(key: str) -> bool:
    """Remember ``key``; False when it was already remembered (the unique key decides, even under races)."""
    try:
        with transaction.atomic():
            ProcessedRequest.objects.create(key=key[:120])
    except IntegrityError:
        return False
    return True


def prune_processed() -> int:
    """Forget keys older than a day: a replay that old fails the timestamp check anyway, and Slack
    retries for minutes, not days."""
    deleted, _ = ProcessedRequest.objects.filter(received_at__lt=now() - dt.timedelta(days=1)).delete()
    return deleted
