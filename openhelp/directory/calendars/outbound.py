"""The one way this app reaches a person's calendar server: every request to a user-supplied URL goes
through ``send``, i.e. ``openhelp.platform.lib.safe_http.safe_request`` (no private, loopback or
link-local address unless the host is on ``OUTBOUND_ALLOWED_HOSTS``, checked at connect time; no
redirects followed; bounded time and size), so discovery, sync and write-back follow the same rules.
"""

from __future__ import annotations

import base64

from openhelp.platform.lib.safe_http import BlockedDestination, Response, TooLarge, safe_request

# A calendar-query over eight weeks of a busy calendar is far larger than a webhook's answer.
MAX_BYTES = 20_000_000
TIMEOUT = (5.0, 30.0)

__all__ = ["BlockedDestination", "Response", "TooLarge", "send"]


def basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def send(
    method: str,
    url: str,
    *,
    auth: tuple[str, str],
    headers: dict[str, str] | None = None,
    body: bytes | str | None = None,
) -> Response:
    """One HTTP request. Raises BlockedDestination, TooLarge or another requests.RequestException."""
    sent = {"Authorization": basic_auth(*auth), **(headers or {})}
    data = body.encode() if isinstance(body, str) else body
    return safe_request(method, url, headers=sent, body=data, timeout=TIMEOUT, max_bytes=MAX_BYTES)
