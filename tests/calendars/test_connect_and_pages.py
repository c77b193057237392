"""Connecting through the page and the API: errors explained (wrong password, not CalDAV, refused
address), choosing calendars, sync now, disconnect — always the signed-in person's own connection."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from openhelp.directory.calendars.models import BusyInterval, CalendarConnection, ConnectionStatus
from openhelp.directory.calendars.services import connect
from openhelp.directory.calendars.sync import sync_connection
from tests.calendars.conftest import client_for
from tests.calendars.radicale_server import ACCOUNTS
from tests.factories import UserFactory
from tests.factories_calendars import connect_directly

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("radicale")]  # one Radicale per run
PAGE = "/settings/calendars/"
API = "/api/v1/calendars/connection/"


def test_a_wrong_password_is_explained_next_to_the_password(radicale, mentor):
    with pytest.raises(ValidationError) as caught:
        connect(user=mentor, server_url=radicale.url, username="mira", password="not-it")
    assert "refused the user name or password" in caught.value.message_dict["password"][0]
    assert not CalendarConnection.objects.exists()


def test_an_internal_address_is_refused_before_any_request(mentor):
    with pytest.raises(ValidationError) as caught:
        connect(user=mentor, server_url="http://10.0.0.1/dav/", username="me", password="secret")
    assert "internal network" in caught.value.message_dict["server_url"][0]


class _WebPage(BaseHTTPRequestHandler):
    """Any request gets a plain web page: a server that speaks HTTP but not CalDAV."""

    def _answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>Welcome</body></html>")

    do_GET = do_PROPFIND = do_REPORT = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def web_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_server_that_is_not_caldav_is_explained(web_server, mentor):
    with pytest.raises(ValidationError) as caught:
        connect(user=mentor, server_url=web_server, username="mira", password="secret")
    assert "does not look like a CalDAV server" in caught.value.message_dict["server_url"][0]


def test_an_unreachable_server_is_explained(mentor):
    with pytest.raises(ValidationError) as caught:
        connect(user=mentor, server_url="http://127.0.0.1:9/", username="me", password="secret")
    assert "could not reach" in caught.value.message_dict["server_url"][0]


def test_the_page_connects_chooses_syncs_and_disconnects(
    radicale, mentor, django_capture_on_commit_callbacks
):
    url = radicale.new_calendar("mira", name="Mira at work")
    radicale.put(
        "mira",
        url,
        "busy.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:b@t\r\n"
        "DTSTAMP:20250601T000000Z\r\nDTSTART:20250603T090000Z\r\nDTEND:20250603T100000Z\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    client = client_for(mentor)
    page = client.get(PAGE)
    assert b"No calendar is connected yet" in page.content

    response = client.post(
        PAGE + "connect/", {"server_url": radicale.url, "username": "mira", "password": "wrong"}
    )
    assert response.status_code == 400
    assert b"refused the user name or password" in response.content
    assert b'value="mira"' in response.content  # what was typed stays (not the password)

    response = client.post(
        PAGE + "connect/", {"server_url": radicale.url, "username": "mira", "password": ACCOUNTS["mira"]}
    )
    assert response.status_code == 302
    page = client.get(PAGE)
    assert b"Mira at work" in page.content
    assert "•••• " + ACCOUNTS["mira"][-4:] in page.content.decode()
    assert ACCOUNTS["mira"].encode() not in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE + "choose/", {"busy_calendar_url": url, "write_calendar_url": url})
    assert response.status_code == 302
    connection = CalendarConnection.objects.get(user=mentor)
    assert connection.status == ConnectionStatus.OK and connection.write_calendar_url == url
    sync_connection(connection.pk)  # what the queued task does
    assert BusyInterval.objects.filter(user=mentor).count() == 1

    response = client.post(
        PAGE + "choose/", {"busy_calendar_url": "http://elsewhere.example/", "write_calendar_url": ""}
    )
    assert response.status_code == 400

    assert client.post(PAGE + "sync/").status_code == 302
    again = client.post(PAGE + "sync/", follow=True)
    assert b"A sync was just requested" in again.content  # one "sync now" a minute
    assert client.post(PAGE + "disconnect/").status_code == 302
    assert not CalendarConnection.objects.exists() and not BusyInterval.objects.exists()


def test_the_settings_page_links_here(mentor):
    assert PAGE.encode() in client_for(mentor).get("/settings/").content


def test_the_api_connects_chooses_syncs_and_disconnects(radicale, mentor, django_capture_on_commit_callbacks):
    url = radicale.new_calendar("mira")
    client = client_for(mentor)
    assert client.get(API).status_code == 404

    bad = client.post(
        API,
        {"server_url": "http://10.0.0.1/", "username": "m", "password": "p"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "internal network" in bad.json()["error"]["fields"]["server_url"][0]

    made = client.post(
        API,
        {"server_url": radicale.url, "username": "mira", "password": ACCOUNTS["mira"]},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert body["password"] == "•••• " + ACCOUNTS["mira"][-4:]
    assert url in [item["url"] for item in body["calendars"]]

    with django_capture_on_commit_callbacks(execute=True):
        chosen = client.patch(API, {"busy_calendar_url": url}, content_type="application/json")
    assert chosen.status_code == 200 and chosen.json()["status"] == "ok"
    assert client.post(API + "sync/").status_code == 202
    assert client.delete(API).status_code == 204
    assert client.delete(API).status_code == 404


def test_nobody_sees_or_changes_another_persons_connection(radicale, mentor):
    url = radicale.new_calendar("mira")
    connect_directly(
        mentor, server_url=radicale.url, username="mira", password=ACCOUNTS["mira"], calendar_url=url
    )
    stranger = client_for(UserFactory())
    assert stranger.get(API).status_code == 404
    assert stranger.delete(API).status_code == 404
    assert b"No calendar is connected yet" in stranger.get(PAGE).content
    stranger.post(PAGE + "disconnect/")
    assert CalendarConnection.objects.filter(user=mentor).exists()


def test_the_pages_need_a_sign_in(client):
    assert client.get(PAGE).status_code == 302
    assert client.get(API).status_code in {401, 403}


def test_the_well_known_address_is_followed_to_the_caldav_root(radicale, mentor):
    url = radicale.new_calendar("mira")
    connection = connect(
        user=mentor,
        server_url=radicale.url + ".well-known/caldav",
        username="mira",
        password=ACCOUNTS["mira"],
    )
    assert url in [item["url"] for item in connection.calendars]
