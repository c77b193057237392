#!/usr/bin/env python
"""A local SMTP sink for the cluster (`make cluster`): accepts every message and appends one JSON line per
message and recipient to a file, for the fault audit (bench/cluster/audit.py) to count.

    python scripts/cluster/smtp_sink.py --port 8025 --out data/cluster/mail.jsonl

Each line: {"received_at", "to", "subject", "notification_id", "message_id"}; ``notification_id`` is the
X-Notification-Id header the app puts on every notification e-mail. Stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import signal
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any


def record_lines(data: bytes, recipients: list[str], moment: dt.datetime) -> list[dict[str, Any]]:
    """What the sink writes for one message: one record per envelope recipient."""
    message = message_from_bytes(data, policy=default_policy)
    raw_id = message.get("X-Notification-Id")
    notification_id = int(raw_id) if raw_id and str(raw_id).strip().isdigit() else None
    return [
        {
            "received_at": moment.isoformat(),
            "to": recipient,
            "subject": str(message.get("Subject", "")),
            "notification_id": notification_id,
            "message_id": str(message.get("Message-ID", "")),
        }
        for recipient in recipients
    ]


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every record the sink wrote (none when the file does not exist yet)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class RecordingHandler:
    """aiosmtpd handler: append the message's records to ``out`` (flushed before "250 OK" is answered,
    so an e-mail the sender saw accepted is always on file)."""

    def __init__(self, out: Path) -> None:
        self.out = out

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        lines = record_lines(envelope.original_content or envelope.content, list(envelope.rcpt_tos), _now())
        with self.out.open("a") as handle:
            for line in lines:
                handle.write(json.dumps(line) + "\n")
        return "250 OK"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from aiosmtpd.smtp import SMTP

    args.out.parent.mkdir(parents=True, exist_ok=True)
    loop = asyncio.new_event_loop()
    handler = RecordingHandler(args.out)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, hostname="sink.localhost"), host=args.host, port=args.port)
    )
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    print(f"SMTP sink on {args.host}:{args.port}, recording to {args.out}", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())


if __name__ == "__main__":
    main()
