"""A real CalDAV server for the tests: Radicale from the virtualenv, on a free loopback port, with a
temporary storage folder and plain htpasswd accounts. Started once per test session (module-level
fixtures share it), stopped at the end."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

ACCOUNTS = {"mira": "mira-app-pass", "nico": "nico-app-pass"}


@dataclass
class Radicale:
    url: str  # http://127.0.0.1:<port>/

    def new_calendar(self, user: str, name: str = "Work") -> str:
        """MKCALENDAR a fresh calendar of ``user``; its URL (unique per call, so tests stay independent)."""
        url = f"{self.url}{user}/{uuid.uuid4().hex}/"
        body = (
            '<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>'
            f"<d:displayname>{name}</d:displayname></d:prop></d:set></c:mkcalendar>"
        )
        response = requests.request("MKCALENDAR", url, data=body, auth=(user, ACCOUNTS[user]), timeout=10)
        assert response.status_code == 201, response.text
        return url

    def put(self, user: str, calendar_url: str, name: str, ics: str) -> None:
        response = requests.put(
            calendar_url + name,
            data=ics.encode(),
            auth=(user, ACCOUNTS[user]),
            headers={"Content-Type": "text/calendar"},
            timeout=10,
        )
        assert response.status_code in {201, 204}, response.text

    def delete(self, user: str, url: str) -> None:
        response = requests.delete(url, auth=(user, ACCOUNTS[user]), timeout=10)
        assert response.status_code in {200, 204}, response.text

    def events(self, user: str, calendar_url: str) -> dict[str, str]:
        """Every resource of a calendar: {name: iCalendar text}, read with a plain PROPFIND + GETs."""
        body = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
        response = requests.request(
            "PROPFIND",
            calendar_url,
            data=body,
            headers={"Depth": "1"},
            auth=(user, ACCOUNTS[user]),
            timeout=10,
        )
        assert response.status_code == 207
        names = [
            part.split("</")[0].rsplit("/", 1)[-1]
            for part in response.text.split("href>")[1::2]
            if part.split("</")[0].endswith(".ics")
        ]
        return {
            name: requests.get(calendar_url + name, auth=(user, ACCOUNTS[user]), timeout=10).text
            for name in names
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(folder: Path) -> tuple[subprocess.Popen, Radicale]:
    users = folder / "users"
    users.write_text("".join(f"{name}:{password}\n" for name, password in ACCOUNTS.items()))
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            "",
            f"--server-hosts=127.0.0.1:{port}",
            f"--storage-filesystem-folder={folder / 'collections'}",
            "--auth-type=htpasswd",
            f"--auth-htpasswd-filename={users}",
            "--auth-htpasswd-encryption=plain",
            "--auth-delay=0",
            "--rights-type=owner_only",
            "--web-type=none",
            "--logging-level=warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while True:  # readiness: the port accepts connections (not a sleep standing in for a race)
        if process.poll() is not None:
            raise RuntimeError(f"Radicale did not start: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("Radicale did not listen within 20 s") from None
            time.sleep(0.05)
    return process, Radicale(url=f"http://127.0.0.1:{port}/")
