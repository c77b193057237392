"""Secrets that travel in URL paths never reach the log.

A few links carry their secret in the path: the personal calendar feed, one-time links to confirm a Slack
or Matrix account, a programme's invite link, allauth's password-reset and address-confirmation keys.
Django logs the path of every 4xx (``Not Found: /office-hours/calendar/…/<secret>.ics`` each time a
calendar app polls a feed that was rotated), the development server every request. This filter, on the
console handler, replaces such a secret with ``…`` in the formatted message; nothing else changes.
"""

from __future__ import annotations

import logging
import re

REDACTED = "…"

# (prefix kept)(secret)(suffix kept)
SECRET_PATHS = re.compile(
    r"(/office-hours/calendar/[^/\s]+/)[^/\s\"']+?(\.ics)"
    r"|(/integrations/(?:slack|matrix)/link/)[^/\s\"']+()"
    r"|(/programmes/join/)[^/\s\"']+()"
    r"|(/accounts/password/reset/key/)[^/\s\"']+()"
    r"|(/accounts/confirm-email/)[^/\s\"']+()"
)


def _keep(match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g is not None]
    prefix, suffix = groups[0], groups[1] if len(groups) > 1 else ""
    return f"{prefix}{REDACTED}{suffix}"


def redact(text: str) -> str:
    return SECRET_PATHS.sub(_keep, text)


class RedactSecretPaths(logging.Filter):
    """Redacts the message and each text argument in place, so formatters that read ``record.args`` (the
    development server's request lines, openhelp.platform.lib.devlog) see the same shape."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True
