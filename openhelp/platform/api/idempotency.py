"""Retried creates: a POST sent with an ``Idempotency-Key`` answers, when sent again with the same key, the
first answer again (its status, body and ``Location``) and writes nothing a second time.

Without it a client that retried a POST after a timeout gave the kudos twice, published two messages. The
key is the client's (any printable text of 1–255 characters, a UUID is usual) and belongs to the person who
sent it; it answers for ``settings.API_IDEMPOTENCY_KEY_HOURS`` (24), then counts as new. Sent again with
another method, path or body it is a 422 ``idempotency_key_reused``; sent while the first request is still
being answered, a 409 ``idempotency_key_in_use`` with ``Retry-After``. Only a success (2xx) is kept: an
error wrote nothing, so the key is free to be sent again, with the body corrected. A replayed answer says
so in ``Idempotent-Replayed: true``.

The key is claimed (a row, unique per person and key) before the view runs and its answer written after:
two copies racing each other meet at the unique index, and only one runs. A view mixes in
``IdempotentCreates``; its schema gets the header and the two errors (``schema.AutoSchema``). Booking a
slot keeps its own key inside the booking's lock (``officehours.booking``) and answers the same errors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from openhelp.platform.api.models import IdempotentRequest
from openhelp.platform.lib.clock import now

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY = 255
PURGE_EVERY = 10  # every tenth key claimed (by id) purges…
PURGE_BATCH = 100  # …up to this many expired keys: ten times faster than keys are claimed


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was already used for a different request: send a new key for a new request."
    )
    default_code = "idempotency_key_reused"


class KeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A request with this Idempotency-Key is still being answered: try again in a moment."
    default_code = "idempotency_key_in_use"
    wait = 1  # becomes Retry-After (DRF's exception handler)


class _Replay(Exception):  # noqa: N818 - not an error: the answer to send instead of running the view
    def __init__(self, row: IdempotentRequest):
        super().__init__(row.key)
        self.row = row


def window() -> dt.timedelta:
    return dt.timedelta(hours=settings.API_IDEMPOTENCY_KEY_HOURS)


def read_key(request) -> str | None:
    """The request's key, or None without one; a 400 naming the header for an empty, long or unprintable one."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise exceptions.ValidationError({HEADER: [f"Send a printable {HEADER} of 1–{MAX_KEY} characters."]})
    return key


def fingerprint(request) -> str:
    """What makes two requests the same one: method, path and body (keys in any order)."""
    body = json.dumps(request.data, sort_keys=True, cls=JSONEncoder)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def claim(*, user, key: str, fingerprint: str) -> IdempotentRequest:
    """Claim ``key`` for a request about to run; raises ``_Replay`` when it was answered already,
    ``KeyReused`` for another request's key, ``KeyInUse`` while its first request runs."""
    row = IdempotentRequest.objects.filter(user=user, key=key).first()
    if row is not None and row.created_at <= now() - window():
        IdempotentRequest.objects.filter(pk=row.pk, created_at=row.created_at).delete()
        row = None
    if row is None:
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:  # the same key claimed a moment ago, by a copy of this request or another
            row = IdempotentRequest.objects.filter(user=user, key=key).first()
            if row is None:  # …and released again (it failed): this one may run
                return claim(user=user, key=key, fingerprint=fingerprint)
        else:
            if row.pk % PURGE_EVERY == 0:
                purge_expired()
            return row
    if row.fingerprint != fingerprint:
        raise KeyReused()
    if row.status is None:
        raise KeyInUse()
    raise _Replay(row)


def purge_expired(*, moment: dt.datetime | None = None, limit: int = PURGE_BATCH) -> int:
    """Delete up to ``limit`` of the oldest keys if they have expired (found by id, never a table scan);
    an expired key not yet purged counts as new anyway."""
    cutoff = (moment or now()) - window()
    oldest = IdempotentRequest.objects.order_by("pk").values("pk")[:limit]
    deleted, _ = IdempotentRequest.objects.filter(pk__in=oldest, created_at__lt=cutoff).delete()
    return deleted


def replay(row: IdempotentRequest) -> Response:
    response = Response(row.body, status=row.status, headers={REPLAYED: "true"})
    if row.location:
        response["Location"] = row.location
    return response


class IdempotentCreates:
    """An API view mixin: its POST honours ``Idempotency-Key`` (module docstring)."""

    _idempotency_claim: IdempotentRequest | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idempotency_claim = None
        if request.method != "POST" or (key := read_key(request)) is None:
            return
        self._idempotency_claim = claim(user=request.user, key=key, fingerprint=fingerprint(request))

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return replay(exc.row)
        self._release()
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        row = self._idempotency_claim
        if row is not None:
            self._idempotency_claim = None
            if status.is_success(response.status_code):
                row.status = response.status_code
                row.body = json.loads(json.dumps(response.data, cls=JSONEncoder))
                row.location = response.get("Location", "")
                row.save(update_fields=["status", "body", "location"])
            else:
                row.delete()
        return super().finalize_response(request, response, *args, **kwargs)

    def _release(self) -> None:
        if self._idempotency_claim is not None:
            self._idempotency_claim.delete()
            self._idempotency_claim = None
