"""The cluster's balancer (scripts/cluster/cluster.py, ``haproxy_config``) sends a GET again to another app
server when the one it reached died without answering, and never sends any other method twice.

A real HAProxy, with the generated configuration, in front of two stand-in app servers: one answers, the
other answers its health check and drops every other request unanswered (as a killed worker does).
`make test` installs HAProxy (scripts/ensure_haproxy.sh); the test is skipped only where it cannot be installed.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scripts.cluster import cluster

pytestmark = pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy is not installed")


def stand_in(*, drops: bool) -> tuple[ThreadingHTTPServer, list[str]]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            if self.path != "/healthz":
                seen.append(self.command)
                if drops:
                    self.close_connection = True
                    return  # the connection closes with no answer at all
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_HEAD = do_POST = do_PUT = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, "/work", body=b"{}" if method != "GET" else None)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def balancer(tmp_path, monkeypatch):
    good, good_seen = stand_in(drops=False)
    dying, dying_seen = stand_in(drops=True)
    ports = {1: dying.server_address[1], 2: good.server_address[1]}
    front = free_port()
    monkeypatch.setattr(cluster, "HTTP_PORT", front)
    monkeypatch.setattr(cluster, "APP_SERVERS", 2)
    monkeypatch.setattr(cluster, "app_port", lambda index: ports[index])
    monkeypatch.setattr(cluster, "PIDS", tmp_path)
    monkeypatch.setattr(cluster, "RUN", tmp_path)
    config = tmp_path / "haproxy.cfg"
    config.write_text(cluster.haproxy_config())
    process = subprocess.Popen(
        ["haproxy", "-db", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 10
        while True:  # up once it answers through the good server
            try:
                request(front, "HEAD")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        good_seen.clear()
        dying_seen.clear()
        yield front, good_seen, dying_seen
    finally:
        process.terminate()
        process.wait(timeout=10)
        for server in (good, dying):
            server.shutdown()
            server.server_close()


def test_a_get_that_reached_a_dying_server_is_answered_by_another(balancer):
    front, good_seen, dying_seen = balancer
    statuses = [request(front, "GET") for _ in range(6)]
    assert statuses == [200] * 6
    assert "GET" in dying_seen  # some reached the dying server, and were sent on
    assert good_seen.count("GET") == 6


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_write_that_reached_a_dying_server_is_never_sent_again(balancer, method):
    front, good_seen, dying_seen = balancer
    statuses = [request(front, method) for _ in range(6)]
    assert dying_seen.count(method) >= 1
    assert statuses.count(502) == dying_seen.count(method)  # each one lost there is an error…
    assert len(good_seen) + len(dying_seen) == 6  # …and was not repeated on the other server
