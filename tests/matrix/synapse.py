"""A real Synapse homeserver for the Matrix bot's end-to-end tests: installed once, started once per session.

``scripts/ensure_synapse.sh`` installs Synapse into its own virtualenv (cached). ``start`` writes a minimal
homeserver.yaml (SQLite, ``bcrypt_rounds: 4``, registration closed but a shared secret for the admin
register API, rate limits out of the way), a signing key, starts the server on a free loopback port and
waits for ``/_matrix/client/versions``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("SYNAPSE_VENV", ROOT / ".venv-synapse"))
SECRET = "open-to-help-test-registration"
READY_SECONDS = 60
FAST = {"per_second": 1000, "burst_count": 1000}


def ensure_installed() -> float:
    """Install Synapse if missing; returns the seconds it took (0-ish when cached)."""
    started = time.monotonic()
    subprocess.run(
        [str(ROOT / "scripts" / "ensure_synapse.sh")],
        check=True,
        env={**os.environ, "SYNAPSE_VENV": str(VENV)},
    )
    return time.monotonic() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _config(directory: Path, port: int) -> dict:
    return {
        "server_name": "localhost",
        "pid_file": str(directory / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
        "media_store_path": str(directory / "media"),
        "signing_key_path": str(directory / "signing.key"),
        "registration_shared_secret": SECRET,
        "enable_registration": False,
        "bcrypt_rounds": 4,
        "report_stats": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        # Synapse answers a repeated /sync from its cache for 2 minutes by default; a test that rewinds the
        # bot's position wants the real answer.
        "caches": {"sync_response_cache_duration": 0},
        "rc_message": FAST,
        "rc_joins": {"local": FAST, "remote": FAST},
        "rc_invites": {"per_room": FAST, "per_user": FAST, "per_issuer": FAST},
        "rc_login": {"address": FAST, "account": FAST, "failed_attempts": FAST},
        "rc_registration": FAST,
    }


@dataclass
class Synapse:
    base_url: str
    process: subprocess.Popen
    log: Path
    started_in: float
    _names: itertools.count = field(default_factory=itertools.count)

    @property
    def host(self) -> str:
        return self.base_url.removeprefix("http://")

    def register(self, name: str) -> tuple[str, str]:
        """A new user (``name`` plus a counter, unique per session): its Matrix id and access token."""
        username = f"{name}{next(self._names)}"
        url = f"{self.base_url}/_synapse/admin/v1/register"
        nonce = requests.get(url, timeout=10).json()["nonce"]
        password = "pw-" + username
        mac = hmac.new(SECRET.encode(), digestmod=hashlib.sha1)
        for part in (nonce, username, password, "notadmin"):
            mac.update(part.encode())
            if part != "notadmin":
                mac.update(b"\x00")
        answer = requests.post(
            url,
            json={
                "nonce": nonce,
                "username": username,
                "password": password,
                "admin": False,
                "mac": mac.hexdigest(),
            },
            timeout=10,
        )
        answer.raise_for_status()
        body = answer.json()
        return body["user_id"], body["access_token"]

    def messages(self, token: str, room_id: str, *, limit: int = 30) -> list[dict]:
        """The room's latest events, oldest first, as this user sees them."""
        answer = requests.get(
            f"{self.base_url}/_matrix/client/v3/rooms/{quote(room_id, safe='')}/messages",
            params={"dir": "b", "limit": limit},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        answer.raise_for_status()
        return list(reversed(answer.json()["chunk"]))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(directory: Path) -> Synapse:
    port = _free_port()
    (directory / "homeserver.yaml").write_text(json.dumps(_config(directory, port)))  # JSON is YAML
    seed = base64.b64encode(os.urandom(32)).decode().rstrip("=")
    (directory / "signing.key").write_text(f"ed25519 a_test {seed}\n")
    log = directory / "synapse.log"
    started = time.monotonic()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(VENV / "bin" / "python"),
                "-m",
                "synapse.app.homeserver",
                "-c",
                str(directory / "homeserver.yaml"),
            ],
            cwd=directory,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = started + READY_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"Synapse exited with {process.returncode}: see {log}\n{log.read_text()[-3000:]}"
            )
        try:
            if requests.get(f"{base_url}/_matrix/client/versions", timeout=1).ok:
                break
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or listening but still too busy starting to answer within a second
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Synapse was not ready after {READY_SECONDS} s: see {log}")
        time.sleep(0.1)  # polling a starting server for readiness, not waiting out a race
    return Synapse(base_url=base_url, process=process, log=log, started_in=time.monotonic() - started)
