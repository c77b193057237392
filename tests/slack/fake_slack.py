"""A fake Slack Web API on a loopback port: records every call the app makes and checks each against the
request shapes Slack documents (required arguments, token type, Block Kit limits and types).

A call that breaks a documented rule is answered as Slack would (``ok: false`` with its error code)
and also kept in ``problems``, so a test can assert the app never sent one. ``rate_limit(method)`` makes
the next call of a method answer 429 with ``Retry-After``.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs

BLOCK_TYPES = {"section", "context", "actions", "divider", "header", "input", "image", "rich_text"}
ELEMENT_TYPES = {
    "button",
    "static_select",
    "external_select",
    "multi_external_select",
    "users_select",
    "datepicker",
    "plain_text_input",
    "radio_buttons",
    "checkboxes",
    "overflow",
    "multi_static_select",
}
BOT_METHODS = {
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "views.open",
    "views.publish",
    "users.info",
    "users.lookupByEmail",
    "conversations.open",
    "auth.test",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str


@dataclass
class FakeSlack:
    WRONG_CLIENT_SECRET: ClassVar[str] = "not-the-apps-client-secret"
    team_id: str = "T0FAKE"
    team_name: str = "Fake Team"
    calls: list[Call] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # slack user id → e-mail
    bot_tokens: set[str] = field(default_factory=set)
    user_tokens: set[str] = field(default_factory=set)
    limited: dict[str, int] = field(default_factory=dict)  # method → Retry-After for its next call
    url: str = ""
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- test helpers ---------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.problems.clear()
            self.users.clear()
            self.limited.clear()

    def add_user(self, slack_user_id: str, email: str) -> None:
        self.users[slack_user_id] = email

    def issue_bot_token(self) -> str:
        token = f"xoxb-fake-{next(self._ts)}"
        self.bot_tokens.add(token)
        return token

    def rate_limit(self, method: str, *, retry_after: int = 30) -> None:
        self.limited[method] = retry_after

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # --- the API ----------------------------------------------------------------------------------
    def handle(
        self, method: str, params: dict[str, Any], token: str, basic: tuple[str, str] | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            self.calls.append(Call(method, params, token))
            if method in self.limited:
                return (
                    429,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(self.limited.pop(method))},
                )
        if method == "oauth.v2.access":
            return 200, self._oauth(params, basic), {}
        if method in BOT_METHODS and token not in self.bot_tokens:
            return 200, self._fail(method, "invalid_auth", f"{method}: not a bot token we issued"), {}
        if method == "users.profile.set" and token not in self.user_tokens:
            return (
                200,
                self._fail(method, "not_allowed_token_type", "users.profile.set needs a user token"),
                {},
            )
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, self._fail(method, "unknown_method", f"unknown method {method}"), {}
        return 200, handler(params), {}

    def _fail(self, method: str, error: str, problem: str) -> dict[str, Any]:
        self.problems.append(problem)
        return {"ok": False, "error": error}

    def _oauth(self, params: dict[str, Any], basic: tuple[str, str] | None) -> dict[str, Any]:
        if not params.get("code") or (basic is None and not params.get("client_id")):
            return self._fail(
                "oauth.v2.access", "invalid_code", "oauth.v2.access: code and client credentials"
            )
        secret = basic[1] if basic else params.get("client_secret", "")
        if secret == self.WRONG_CLIENT_SECRET:  # a well-formed call with credentials Slack does not know
            return {"ok": False, "error": "bad_client_secret"}
        user_token = f"xoxp-fake-{next(self._ts)}"
        self.user_tokens.add(user_token)
        authed_id = params["code"].split(":", 1)[1] if ":" in params["code"] else "UINSTALLER"
        return {
            "ok": True,
            "access_token": self.issue_bot_token(),
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": "UBOT",
            "app_id": "AFAKE",
            "team": {"id": self.team_id, "name": self.team_name},
            "authed_user": {
                "id": authed_id,
                "scope": "users.profile:write",
                "access_token": user_token,
                "token_type": "user",
            },
        }

    def _require(self, method: str, params: dict[str, Any], *names: str) -> dict[str, Any] | None:
        missing = [n for n in names if not params.get(n)]
        if missing:
            return self._fail(method, "invalid_arguments", f"{method}: missing {', '.join(missing)}")
        return None

    def _check_blocks(self, method: str, blocks: Any, *, limit: int = 50) -> dict[str, Any] | None:
        if blocks is None:
            return None
        problems = list(block_problems(blocks, limit=limit))
        if problems:
            for problem in problems:
                self.problems.append(f"{method}: {problem}")
            return {"ok": False, "error": "invalid_blocks"}
        return None

    def _chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        error = self._require("chat.postMessage", p, "channel", "text") or self._check_blocks(
            "chat.postMessage", p.get("blocks")
        )
        return error or {"ok": True, "channel": p["channel"], "ts": f"1700000000.{next(self._ts):06d}"}

    def _chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        error = self._require("chat.update", p, "channel", "ts") or self._check_blocks(
            "chat.update", p.get("blocks")
        )
        return error or {"ok": True, "channel": p["channel"], "ts": p["ts"]}

    def _chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        error = self._require("chat.postEphemeral", p, "channel", "user", "text")
        return error or {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}

    def _views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        error = self._require("views.open", p, "trigger_id", "view")
        if error:
            return error
        problems = list(view_problems(p["view"], "modal"))
        if problems:
            self.problems.extend(f"views.open: {x}" for x in problems)
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._ts)}", **p["view"]}}

    def _views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        error = self._require("views.publish", p, "user_id", "view")
        if error:
            return error
        problems = list(view_problems(p["view"], "home"))
        if problems:
            self.problems.extend(f"views.publish: {x}" for x in problems)
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._ts)}", **p["view"]}}

    def _users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        error = self._require("users.info", p, "user")
        if error:
            return error
        if p["user"] not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {
                "id": p["user"],
                "team_id": self.team_id,
                "is_email_confirmed": True,
                "profile": {"email": self.users[p["user"]]},
            },
        }

    def _users_lookupByEmail(self, p: dict[str, Any]) -> dict[str, Any]:
        error = self._require("users.lookupByEmail", p, "email")
        if error:
            return error
        for user_id, email in self.users.items():
            if email.lower() == p["email"].lower():
                return {"ok": True, "user": {"id": user_id, "profile": {"email": email}}}
        return {"ok": False, "error": "users_not_found"}

    def _users_profile_set(self, p: dict[str, Any]) -> dict[str, Any]:
        profile = p.get("profile")
        if isinstance(profile, str):
            profile = json.loads(profile)
        if not isinstance(profile, dict) or len(profile.get("status_text", "")) > 100:
            return self._fail(
                "users.profile.set", "invalid_profile", "users.profile.set: profile object, text ≤ 100"
            )
        return {"ok": True, "profile": profile}

    def _conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        error = self._require("conversations.open", p, "users")
        return error or {"ok": True, "channel": {"id": "D" + str(p["users"]).split(",")[0]}}

    def _auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "team_id": self.team_id, "team": self.team_name, "user_id": "UBOT"}


def _text_problems(text: Any, where: str, *, limit: int, kinds=("plain_text", "mrkdwn")) -> list[str]:
    if not isinstance(text, dict) or text.get("type") not in kinds or not isinstance(text.get("text"), str):
        return [f"{where}: a text object of type {'/'.join(kinds)}"]
    if not text["text"] or len(text["text"]) > limit:
        return [f"{where}: text of 1–{limit} characters"]
    return []


def element_problems(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict) or element.get("type") not in ELEMENT_TYPES:
        return [f"{where}: unknown element {element!r:.60}"]
    found = []
    kind = element["type"]
    if kind != "button" or "url" not in element:
        if not element.get("action_id") or len(element["action_id"]) > 255:
            found.append(f"{where}: action_id of 1–255 characters")
    if kind == "button":
        found += _text_problems(element.get("text"), f"{where}.text", limit=75, kinds=("plain_text",))
        if len(element.get("value", "")) > 2000:
            found.append(f"{where}: value ≤ 2000")
        if element.get("style") not in (None, "primary", "danger"):
            found.append(f"{where}: style primary or danger")
    if kind in ("static_select", "radio_buttons", "multi_static_select"):
        options = element.get("options") or []
        if not 1 <= len(options) <= 100:
            found.append(f"{where}: 1–100 options")
        for i, opt in enumerate(options):
            found += _text_problems(opt.get("text"), f"{where}.options[{i}]", limit=75)
    return found


def _one_block_problems(block: dict[str, Any], where: str) -> list[str]:
    kind = block["type"]
    if kind == "section":
        found = _text_problems(block.get("text"), f"{where}.text", limit=3000)
        if "accessory" in block:
            found += element_problems(block["accessory"], f"{where}.accessory")
        return found
    if kind == "header":
        return _text_problems(block.get("text"), f"{where}.text", limit=150, kinds=("plain_text",))
    if kind == "context":
        return [] if 1 <= len(block.get("elements") or []) <= 10 else [f"{where}: 1–10 context elements"]
    if kind == "actions":
        elements = block.get("elements") or []
        found = [] if 1 <= len(elements) <= 25 else [f"{where}: 1–25 action elements"]
        for j, element in enumerate(elements):
            found += element_problems(element, f"{where}.elements[{j}]")
        return found
    if kind == "input":
        found = _text_problems(block.get("label"), f"{where}.label", limit=2000, kinds=("plain_text",))
        return found + element_problems(block.get("element"), f"{where}.element")
    return []


def block_problems(blocks: Any, *, limit: int) -> list[str]:
    if not isinstance(blocks, list) or len(blocks) > limit:
        return [f"blocks: a list of at most {limit}"]
    found = []
    for i, block in enumerate(blocks):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in BLOCK_TYPES:
            found.append(f"blocks[{i}]: unknown block type {kind!r}")
        else:
            found += _one_block_problems(block, f"blocks[{i}]")
    return found


def view_problems(view: Any, kind: str) -> list[str]:
    if isinstance(view, str):
        view = json.loads(view)
    if not isinstance(view, dict) or view.get("type") != kind:
        return [f"view: type {kind}"]
    found = block_problems(view.get("blocks"), limit=100)
    if kind == "modal":
        found += _text_problems(view.get("title"), "view.title", limit=24, kinds=("plain_text",))
        has_input = any(b.get("type") == "input" for b in view.get("blocks") or [])
        if has_input:
            found += _text_problems(view.get("submit"), "view.submit", limit=24, kinds=("plain_text",))
        if len(view.get("private_metadata", "")) > 3000:
            found.append("view.private_metadata ≤ 3000")
        if len(view.get("callback_id", "")) > 255:
            found.append("view.callback_id ≤ 255")
    return found


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSlack

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        method = self.path.strip("/").split("/")[-1]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if "json" in (self.headers.get("Content-Type") or ""):
            params = json.loads(raw or "{}")
        else:
            params = {k: v[0] for k, v in parse_qs(raw).items()}
        auth = self.headers.get("Authorization", "")
        token, basic = "", None
        if auth.startswith("Bearer "):
            token = auth[7:]
        elif auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            basic = (user, password)
        token = token or params.pop("token", "")
        status, body, headers = self.fake.handle(method, params, token, basic)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        return


def start() -> tuple[FakeSlack, ThreadingHTTPServer]:
    fake = FakeSlack()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
