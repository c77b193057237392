"""A real HTTP receiver on a loopback port, in a thread: records every request, answers from a script, and
checks Standard Webhooks signatures with its own implementation (not the app's signing module)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def expected_signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    """Standard Webhooks, from the specification: HMAC-SHA256 over "id.timestamp.body" with the base64
    key after "whsec_", base64 encoded, prefixed "v1,"."""
    key = base64.b64decode(secret.split("_", 1)[1])
    digest = hmac.new(key, message_id.encode() + b"." + timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1," + base64.b64encode(digest.digest()).decode()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool | None  # None: no secret to check against


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    content_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    hang: bool = False  # never answer (until the receiver is reset): a read timeout


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: deque[Answer] = deque()
        self.default = Answer()
        self.secrets: list[str] = []  # when set, a request without a valid signature gets 401
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                return

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {key.lower(): value for key, value in self.headers.items()}
                verified = receiver.verify(headers, body) if receiver.secrets else None
                receiver.received.append(Received(self.path, headers, body, verified))
                answer = receiver.script.popleft() if receiver.script else receiver.default
                if verified is False:
                    answer = Answer(status=401, body=b"bad signature")
                if answer.hang:
                    receiver.release.wait(timeout=30)
                    return
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                if answer.content_length:
                    self.send_header("Content-Length", str(len(answer.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(answer.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def verify(self, headers: dict[str, str], body: bytes) -> bool:
        message_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
        sent = headers.get("webhook-signature", "").split(" ")
        return any(expected_signature(s, message_id, timestamp, body) in sent for s in self.secrets)

    def reset(self) -> None:
        self.release.set()
        self.received.clear()
        self.script.clear()
        self.default = Answer()
        self.secrets = []
        self.release = threading.Event()

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
