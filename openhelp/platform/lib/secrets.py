"""Secrets we must keep but never show: integration tokens, app passwords, signing secrets.

``EncryptedTextField`` stores its value encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key
derived from ``FIELD_ENCRYPTION_KEYS`` (a comma-separated list, newest first; falls back to
``SECRET_KEY``, then ``SECRET_KEY_FALLBACKS``). Rotation: put a new key first, keep the old ones after it until every row was saved
again; values encrypted under any listed key are read. ``decrypt`` raises ``SecretUnreadable`` for a value
that no key opens (never returns garbage or the ciphertext); the field reads such a value as an
``UnreadableSecret`` instead, so the row still loads: pages say "enter it again" (``hint``) and whatever
would have used the secret stops with one log line, while saving the row keeps the stored value as it was
(listing the old key again brings it back).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


class SecretUnreadable(Exception):
    """The stored value was encrypted under a key that is no longer configured."""


UNREADABLE_HINT = "can no longer be read (the server's keys changed): enter it again"


class UnreadableSecret(str):
    """What the field reads when no configured key opens the stored value: an empty text (nothing is ever
    sent with it) that remembers the stored value, so saving the row does not destroy it."""

    stored: str

    def __new__(cls, stored: str) -> UnreadableSecret:
        value = super().__new__(cls, "")
        value.stored = stored
        return value


def is_unreadable(value: object) -> bool:
    return isinstance(value, UnreadableSecret)


def hint(value: str) -> str:
    """What pages and the API show of a stored secret: its last four characters, or that it must be entered
    again."""
    if is_unreadable(value):
        return UNREADABLE_HINT
    return f"•••• {value[-4:]}" if value else ""


def _fernet_key(material: str) -> bytes:
    digest = hashlib.sha256(("open-to-help field encryption:" + material).encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _box(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def _keys() -> tuple[str, ...]:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEYS", "") or ""
    keys = tuple(k.strip() for k in configured.split(",") if k.strip())
    return keys or (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))


def encrypt(plain: str) -> str:
    return PREFIX + _box(_keys()).encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise SecretUnreadable("Not an encrypted value.")
    try:
        return _box(_keys()).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("No configured key opens this value (FIELD_ENCRYPTION_KEYS).") from exc


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column holding ``enc1:<fernet token>``; Python sees the plain text. Not searchable."""

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, UnreadableSecret):
            return value.stored
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except SecretUnreadable:
            return UnreadableSecret(value)
