"""Secrets carried in URL paths never reach the log (openhelp/platform/lib/logredact.py)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from openhelp.platform.lib.logredact import RedactSecretPaths, redact


@pytest.mark.parametrize(
    "path, logged",
    [
        (
            "/office-hours/calendar/UJgY-6xcc/DuOcp_fiSE0TTSzX-Rxj.ics",
            "/office-hours/calendar/UJgY-6xcc/….ics",
        ),
        ("/integrations/slack/link/s3cr3t-T0ken/", "/integrations/slack/link/…/"),
        ("/integrations/matrix/link/c0de-42/", "/integrations/matrix/link/…/"),
        ("/programmes/join/inv1te-t0k/", "/programmes/join/…/"),
        ("/accounts/password/reset/key/2s-abc-def/", "/accounts/password/reset/key/…/"),
        ("/accounts/confirm-email/MQ:1tK:xyz/", "/accounts/confirm-email/…/"),
        ("/asks/12/", "/asks/12/"),
    ],
)
def test_it_redacts_the_secret_and_keeps_the_rest(path, logged):
    assert redact(f"Not Found: {path}") == f"Not Found: {logged}"


def test_the_console_handler_never_prints_a_feed_secret(client: Client, db, capsys):
    """The real logging set-up: a calendar app polling a feed whose secret was rotated logs a 404 a poll."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecretPaths) for f in h.filters)
    )
    assert handler is not None
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/office-hours/calendar/k3y/TOPSECRET.ics",),
        None,
    )
    assert handler.filter(record)
    assert "TOPSECRET" not in record.getMessage()
    server = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /programmes/join/TOPSECRET/ HTTP/1.1", "302", "0"),
        None,
    )
    handler.filter(server)
    assert server.args == ("GET /programmes/join/…/ HTTP/1.1", "302", "0"), "devlog reads these args"
