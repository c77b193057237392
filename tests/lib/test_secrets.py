"""Encrypted secrets: what is stored is not the plain text; keys rotate; a value no key opens is refused."""

from __future__ import annotations

import pytest

from openhelp.platform.lib import secrets


def test_a_secret_round_trips_and_is_not_stored_in_clear(settings):
    settings.FIELD_ENCRYPTION_KEYS = "k-one"
    stored = secrets.encrypt("xoxb-123-secret")
    assert stored.startswith("enc1:") and "xoxb" not in stored
    assert secrets.decrypt(stored) == "xoxb-123-secret"
    assert secrets.encrypt("xoxb-123-secret") != stored, "a fresh IV each time"


def test_old_keys_still_open_values_after_rotation(settings):
    settings.FIELD_ENCRYPTION_KEYS = "k-old"
    stored = secrets.encrypt("app-password")
    settings.FIELD_ENCRYPTION_KEYS = "k-new, k-old"
    assert secrets.decrypt(stored) == "app-password"
    settings.FIELD_ENCRYPTION_KEYS = "k-new"
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(stored)


def test_without_keys_the_secret_key_is_used(settings):
    settings.FIELD_ENCRYPTION_KEYS = ""
    stored = secrets.encrypt("x")
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(stored)


def test_plain_text_in_the_column_is_refused():
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt("not encrypted")


def test_the_field_encrypts_on_the_way_in_and_decrypts_on_the_way_out():
    field = secrets.EncryptedTextField()
    stored = field.get_prep_value("token")
    assert stored.startswith("enc1:")
    assert field.from_db_value(stored, None, None) == "token"
    assert field.get_prep_value("") == "" and field.from_db_value(None, None, None) is None
