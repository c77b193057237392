"""Connecting the bot: the homeserver is asked whose token it is before anything is saved, and each
mistake an organiser can make is said next to its field in plain words; the sync loop and the periodic
job report a failing homeserver in one line and do not hammer it."""

from __future__ import annotations

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from openhelp.integrations.matrix import services, tasks
from openhelp.integrations.matrix.management.commands import matrix_sync
from openhelp.integrations.matrix.models import MatrixBot
from tests.factories_matrix import MatrixBotFactory

pytestmark = pytest.mark.django_db

BOT = "@openhelp:example.org"
GOOD_TOKEN = "syt_right_token_1234"


class _Homeserver(BaseHTTPRequestHandler):
    """Just /account/whoami, as Synapse answers it: the token's owner, or 401 M_UNKNOWN_TOKEN."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if not self.path.startswith("/_matrix/client/v3/account/whoami"):
            self._answer(404, {"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"})
        elif self.headers.get("Authorization") == f"Bearer {GOOD_TOKEN}":
            self._answer(200, {"user_id": BOT})
        elif self.headers.get("Authorization") == "Bearer syt_someone_else":
            self._answer(200, {"user_id": "@alice:example.org"})
        else:
            self._answer(401, {"errcode": "M_UNKNOWN_TOKEN", "error": "Invalid access token passed."})

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def homeserver(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Homeserver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address
    settings.OUTBOUND_ALLOWED_HOSTS = [f"{host}:{port}"]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _errors(organiser_client, **fields) -> dict:
    form = {"homeserver_url": "", "user_id": BOT, "access_token": GOOD_TOKEN, "enabled": "on", **fields}
    response = organiser_client.post("/integrations/matrix/bot/", form)
    assert response.status_code == 200, "the form is shown again with its errors"
    return response.context["form"].errors


def test_the_right_token_is_saved(organiser_client, homeserver):
    form = {"homeserver_url": homeserver, "user_id": BOT, "access_token": GOOD_TOKEN, "enabled": "on"}
    assert organiser_client.post("/integrations/matrix/bot/", form).status_code == 302
    assert MatrixBot.objects.get().access_token == GOOD_TOKEN


def test_a_wrong_token_is_refused_on_its_field(organiser_client, homeserver):
    errors = _errors(organiser_client, homeserver_url=homeserver, access_token="syt_typo")
    assert errors["access_token"] == [
        "The homeserver refused this access token (M_UNKNOWN_TOKEN). Sign the bot in again and paste the "
        "new access_token."
    ]
    assert not MatrixBot.objects.exists()


def test_another_accounts_token_is_refused_on_the_user_id(organiser_client, homeserver):
    errors = _errors(organiser_client, homeserver_url=homeserver, access_token="syt_someone_else")
    assert errors["user_id"] == [f"This access token belongs to @alice:example.org, not to {BOT}."]


def test_an_address_that_is_not_a_homeserver_is_refused(organiser_client, homeserver):
    errors = _errors(organiser_client, homeserver_url=f"{homeserver}/not-matrix")
    assert "did not answer as a Matrix homeserver (404 M_UNRECOGNIZED)" in errors["homeserver_url"][0]


def test_an_internal_homeserver_names_the_allow_list(organiser_client, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    errors = _errors(organiser_client, homeserver_url="http://127.0.0.1:8008")
    assert errors["homeserver_url"] == [
        "127.0.0.1 resolves to 127.0.0.1, which is not a public address. An administrator can allow an "
        "internal host with OUTBOUND_ALLOWED_HOSTS."
    ]


def test_a_homeserver_that_is_down_is_said_in_plain_words(organiser_client, settings):
    port = _free_port()
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    errors = _errors(organiser_client, homeserver_url=f"http://127.0.0.1:{port}")
    assert errors["homeserver_url"] == ["127.0.0.1 refused the connection: nothing answers on that port."]


def test_a_bot_switched_off_is_saved_without_asking(organiser_client):
    form = {"homeserver_url": "https://matrix.example.org", "user_id": BOT, "access_token": "syt_x"}
    assert organiser_client.post("/integrations/matrix/bot/", form).status_code == 302
    assert MatrixBot.objects.get().enabled is False


def test_an_empty_token_checks_the_stored_one(homeserver):
    MatrixBotFactory(homeserver_url=homeserver, user_id=BOT, access_token="syt_revoked")
    with pytest.raises(ValidationError) as refused:
        services.save_bot(homeserver_url=homeserver, user_id=BOT, access_token="")
    assert "refused this access token" in str(refused.value)


def test_the_periodic_sync_logs_one_line_and_the_page_the_same_reason(settings, caplog):
    port = _free_port()
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    MatrixBotFactory(homeserver_url=f"http://127.0.0.1:{port}", user_id=BOT)
    with caplog.at_level(logging.WARNING):
        outcome = tasks.sync_matrix.call()
    reason = "127.0.0.1 refused the connection: nothing answers on that port."
    assert outcome == f"failed: {reason}"
    assert [record.getMessage() for record in caplog.records] == [f"Matrix sync failed: {reason}"]
    assert not any(record.exc_info for record in caplog.records)
    assert MatrixBot.objects.get().last_error == reason


def test_the_sync_loop_waits_longer_after_each_failure(settings, monkeypatch, capsys):
    port = _free_port()
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    MatrixBotFactory(homeserver_url=f"http://127.0.0.1:{port}", user_id=BOT)
    waits: list[float] = []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 8:
            raise KeyboardInterrupt

    monkeypatch.setattr(matrix_sync.time, "sleep", sleep)
    with pytest.raises(KeyboardInterrupt):
        call_command("matrix_sync", "--loop", "--timeout", "30000")
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    lines = capsys.readouterr().err.splitlines()
    assert (
        lines[0]
        == "Matrix sync failed: 127.0.0.1 refused the connection: nothing answers on that port. Next try in 1 s."
    )
    assert len(lines) == 8


def test_the_sync_loop_waits_for_a_bot_instead_of_exiting(monkeypatch, capsys):
    waits: list[float] = []

    def sleep(seconds):
        waits.append(seconds)
        raise KeyboardInterrupt

    monkeypatch.setattr(matrix_sync.time, "sleep", sleep)
    with pytest.raises(KeyboardInterrupt):
        call_command("matrix_sync", "--loop", "--timeout", "30000")
    assert waits == [30]
    assert "Looking again every 30 s." in capsys.readouterr().err


def test_a_token_no_key_opens_does_not_break_everyones_pages(owner_client, settings):
    """After a restore under another SECRET_KEY (check --deploy names it), members' pages still answer:
    whether a bot is on does not need its token."""
    from django.urls import reverse

    from openhelp.platform.lib import secrets

    MatrixBotFactory()
    settings.FIELD_ENCRYPTION_KEYS = "a-key-that-did-not-encrypt-it"
    secrets._box.cache_clear()
    assert owner_client.get(reverse("notifications:preferences")).status_code == 200
    assert services.current_bot() is not None
