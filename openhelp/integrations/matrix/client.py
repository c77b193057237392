"""A small Matrix client-server API client: just what the bot uses, over ``requests``.

Every call goes through ``openhelp.platform.lib.safe_http`` (the homeserver URL is typed in by an
organiser): a homeserver on the local network must be listed in ``OUTBOUND_ALLOWED_HOSTS``. A homeserver
that answers with an error raises ``MatrixError`` carrying Matrix's ``errcode``; network errors are
``requests.RequestException`` (an ``OSError``). Callers in background tasks let both propagate, so the
task is retried.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import quote, urlencode

from openhelp.platform.lib.safe_http import safe_request

CONNECT_SECONDS = 3.0
READ_SECONDS = 10.0
# A sync answer carries every room's new events; far more than a bot's DMs ever hold.
MAX_BYTES = 5_000_000
CLIENT = "/_matrix/client/v3"
_txn = itertools.count()


class MatrixError(Exception):
    def __init__(self, status: int, errcode: str, message: str) -> None:
        super().__init__(f"{status} {errcode}: {message}")
        self.status = status
        self.errcode = errcode


# Not the homeserver's: our stored token no configured key opens (``lib.secrets.UnreadableSecret``).
TOKEN_UNREADABLE = "OTH_TOKEN_UNREADABLE"  # noqa: S105 - an error code, not a secret


def _path(*parts: str) -> str:
    return "/".join(quote(part, safe="") for part in parts)


class MatrixClient:
    def __init__(self, homeserver_url: str, access_token: str) -> None:
        self.base = homeserver_url.rstrip("/")
        self.token = access_token

    def call(
        self,
        method: str,
        path: str,
        *,
        body: dict | None = None,
        params: dict | None = None,
        timeout: float = 0,
    ) -> dict[str, Any]:
        url = f"{self.base}{path}" + (f"?{urlencode(params)}" if params else "")
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = safe_request(
            method,
            url,
            headers=headers,
            body=json.dumps(body).encode() if body is not None else None,
            timeout=(CONNECT_SECONDS, READ_SECONDS + timeout),
            max_bytes=MAX_BYTES,
        )
        try:
            data = json.loads(response.content or b"{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        if response.status_code >= 400:
            raise MatrixError(
                response.status_code, data.get("errcode", ""), data.get("error", response.text[:200])
            )
        return data

    # --- Reading ------------------------------------------------------------------------------------

    def whoami(self) -> str:
        return self.call("GET", f"{CLIENT}/account/whoami")["user_id"]

    def sync(self, *, since: str = "", timeout_ms: int = 0) -> dict[str, Any]:
        params: dict[str, Any] = {"timeout": timeout_ms}
        if since:
            params["since"] = since
        return self.call("GET", f"{CLIENT}/sync", params=params, timeout=timeout_ms / 1000)

    # --- Rooms --------------------------------------------------------------------------------------

    def join(self, room_id: str) -> None:
        self.call("POST", f"{CLIENT}/join/{_path(room_id)}", body={})

    def create_direct_room(self, matrix_id: str) -> str:
        body = {"is_direct": True, "invite": [matrix_id], "preset": "trusted_private_chat"}
        return self.call("POST", f"{CLIENT}/createRoom", body=body)["room_id"]

    # --- Sending ------------------------------------------------------------------------------------

    def send(self, room_id: str, content: dict[str, Any], *, event_type: str = "m.room.message") -> str:
        txn = f"oth{time.time_ns()}.{next(_txn)}"
        path = f"{CLIENT}/rooms/{_path(room_id)}/send/{_path(event_type)}/{_path(txn)}"
        return self.call("PUT", path, body=content)["event_id"]

    def send_text(self, room_id: str, text: str, *, html: str = "") -> str:
        return self.send(room_id, text_content(text, html=html))

    def edit(self, room_id: str, event_id: str, text: str, *, html: str = "") -> str:
        """Replace an earlier message (``m.replace``): clients show the new text in its place."""
        new = text_content(text, html=html)
        content = {
            **text_content(f"* {text}", html=f"* {html}" if html else ""),
            "m.new_content": new,
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        }
        return self.send(room_id, content)


def text_content(text: str, *, html: str = "") -> dict[str, Any]:
    content: dict[str, Any] = {"msgtype": "m.text", "body": text}
    if html:
        content.update(format="org.matrix.custom.html", formatted_body=html)
    return content
