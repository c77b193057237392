"""The cluster's SMTP sink (scripts/cluster/smtp_sink.py): what it records, through a real SMTP conversation."""

from __future__ import annotations

import datetime as dt
import socket
import sys
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "scripts" / "cluster"))

from smtp_sink import RecordingHandler, read_records, record_lines  # noqa: E402


def test_one_record_per_recipient_with_the_notification_id():
    raw = b"Subject: Hello\r\nX-Notification-Id: 42\r\nMessage-ID: <m1@x>\r\n\r\nBody\r\n"
    lines = record_lines(raw, ["a@example.org", "b@example.org"], dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert [line["to"] for line in lines] == ["a@example.org", "b@example.org"]
    assert {line["notification_id"] for line in lines} == {42}
    assert lines[0]["subject"] == "Hello"


def test_a_message_without_the_header_is_recorded_without_an_id():
    lines = record_lines(
        b"Subject: Hi\r\n\r\nx\r\n", ["a@example.org"], dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert lines[0]["notification_id"] is None


def test_the_sink_records_what_django_sends(tmp_path):
    from aiosmtpd.controller import Controller

    out = tmp_path / "mail.jsonl"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The controller serves from a thread with its own event loop: the main thread may already hold one
    # (Playwright's, after a browser test in the same process).
    controller = Controller(RecordingHandler(out), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        backend = EmailBackend(host="127.0.0.1", port=port, use_tls=False, timeout=5)
        sent = backend.send_messages(
            [
                EmailMessage(
                    "Booked",
                    "Body",
                    "from@example.org",
                    ["to@example.org"],
                    headers={"X-Notification-Id": "7"},
                )
            ]
        )
    finally:
        controller.stop()
    assert sent == 1
    records = read_records(out)
    assert [(r["to"], r["notification_id"], r["subject"]) for r in records] == [
        ("to@example.org", 7, "Booked")
    ]
    assert read_records(tmp_path / "missing.jsonl") == []
