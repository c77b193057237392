"""Linking a Matrix account (code from the bot, confirmed on the web or the API), unlinking, and the
organisers' bot page: from the owner's, an outsider's and an anonymous person's side."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from openhelp.integrations.matrix import services
from openhelp.integrations.matrix.models import MatrixBot, MatrixLink
from openhelp.platform.lib.clock import now
from tests.factories import UserFactory, make_access_token
from tests.factories_matrix import MatrixBotFactory, MatrixLinkFactory

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    _token, key = make_access_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def code_for(matrix_id="@ann:example.org", email="") -> str:
    return services.start_link(matrix_id=matrix_id, room_id="!dm:example.org", email=email).code


def test_it_links_the_matrix_id_the_code_was_sent_to_once_confirmed(owner, owner_client):
    code = code_for()

    page = owner_client.get(f"/integrations/matrix/link/{code}/")
    assert page.status_code == 200 and b"@ann:example.org" in page.content
    assert not MatrixLink.objects.exists()  # looking is not confirming

    assert owner_client.post(f"/integrations/matrix/link/{code}/").status_code == 302
    link = MatrixLink.objects.get(user=owner)
    assert (link.matrix_id, link.room_id) == ("@ann:example.org", "!dm:example.org")


def test_a_code_works_once_and_not_after_thirty_minutes(owner, owner_client, outsider_client):
    code = code_for()
    owner_client.post(f"/integrations/matrix/link/{code}/")
    assert outsider_client.post(f"/integrations/matrix/link/{code}/").status_code == 400
    assert MatrixLink.objects.get().user == owner

    late = code_for("@bob:example.org")
    with time_machine.travel(now() + dt.timedelta(minutes=31)):
        assert outsider_client.get(f"/integrations/matrix/link/{late}/").status_code == 404


def test_a_code_asked_for_an_email_only_links_that_account(owner, outsider, outsider_client):
    code = code_for(email=owner.email)
    response = outsider_client.post(f"/integrations/matrix/link/{code}/")
    assert response.status_code == 400 and b"sign in with that account" in response.content
    assert services.confirm_link(code=code, user=owner).user == owner


def test_a_new_link_replaces_the_earlier_one_on_either_side(owner, outsider):
    services.confirm_link(code=code_for("@ann:example.org"), user=owner)
    services.confirm_link(code=code_for("@ann:example.org"), user=outsider)  # Ann's id moves to the outsider
    services.confirm_link(code=code_for("@new:example.org"), user=outsider)  # … who then links another id
    assert list(MatrixLink.objects.values_list("user", "matrix_id")) == [(outsider.pk, "@new:example.org")]


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(f"/integrations/matrix/link/{code_for()}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_settings_page_says_what_to_do_next(owner, owner_client):
    assert b"not set up for this site yet" in owner_client.get("/integrations/matrix/").content
    MatrixBotFactory(user_id="@helper-bot:example.org")
    assert b"@helper-bot:example.org" in owner_client.get("/integrations/matrix/").content
    MatrixLinkFactory(user=owner, matrix_id="@olivia:example.org")
    page = owner_client.get("/integrations/matrix/").content
    assert b"@olivia:example.org" in page and b"Unlink Matrix" in page

    assert owner_client.post("/integrations/matrix/unlink/").status_code == 302
    assert not MatrixLink.objects.filter(user=owner).exists()


def test_the_api_reads_confirms_and_removes_your_link(owner):
    api = api_for(owner)
    assert api.get("/api/v1/matrix/link/").json() == {"linked": False, "matrix_id": "", "linked_at": None}

    bad = api.post("/api/v1/matrix/link/", {"code": "nope"}, format="json")
    assert bad.status_code == 400 and "code" in bad.json()["error"]["fields"]

    response = api.post("/api/v1/matrix/link/", {"code": code_for()}, format="json")
    assert response.status_code == 200 and response.json()["matrix_id"] == "@ann:example.org"
    assert api.delete("/api/v1/matrix/link/").status_code == 204
    assert not MatrixLink.objects.exists()


@pytest.fixture
def homeserver_says_ok(monkeypatch):
    """The homeserver (not on this network) recognises every token as the bot's: these tests are about the
    page. What a real homeserver says is in test_bot_form.py and test_synapse_journey.py."""
    monkeypatch.setattr(
        services,
        "check_bot_account",
        lambda *, homeserver_url, user_id, access_token: None,
    )


@pytest.mark.usefixtures("homeserver_says_ok")
def test_only_organisers_see_and_change_the_bot(owner_client, organiser_client, owner, organiser):
    assert owner_client.get("/integrations/matrix/bot/").status_code == 404
    assert api_for(owner).put("/api/v1/matrix/bot/", {}, format="json").status_code == 404

    response = organiser_client.post(
        "/integrations/matrix/bot/",
        {
            "homeserver_url": "https://matrix.example.org/",
            "user_id": "@bot:example.org",
            "access_token": "syt_secret_9876",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    bot = MatrixBot.objects.get()
    assert (bot.homeserver_url, bot.access_token) == ("https://matrix.example.org", "syt_secret_9876")

    page = organiser_client.get("/integrations/matrix/bot/").content
    assert "•••• 9876".encode() in page and b"syt_secret_9876" not in page
    body = api_for(organiser).get("/api/v1/matrix/bot/").json()
    assert body["token_hint"] == "•••• 9876" and "access_token" not in body


@pytest.mark.usefixtures("homeserver_says_ok")
def test_an_empty_token_keeps_the_stored_one_and_a_bad_id_is_refused(organiser):
    api = api_for(organiser)
    first = {
        "homeserver_url": "https://matrix.example.org",
        "user_id": "@bot:example.org",
        "access_token": "syt_a_1111",
    }
    assert api.put("/api/v1/matrix/bot/", first, format="json").status_code == 200
    MatrixBot.objects.update(since="s42")

    same = api.put("/api/v1/matrix/bot/", {**first, "access_token": ""}, format="json")
    assert same.json()["token_hint"] == "•••• 1111"
    assert MatrixBot.objects.get().since == "s42"  # same account: the sync position is kept

    bad = api.put("/api/v1/matrix/bot/", {**first, "user_id": "bot"}, format="json")
    assert bad.status_code == 400 and "user_id" in bad.json()["error"]["fields"]


def test_the_token_is_stored_encrypted():
    MatrixBotFactory(access_token="syt_plain_text")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM matrix_matrixbot")
        (stored,) = cursor.fetchone()
    assert stored.startswith("enc1:") and "syt_plain_text" not in stored


def test_unlinked_or_inactive_people_are_not_chat_recipients():
    from openhelp.integrations.matrix.transport import MatrixTransport

    linked, gone, other = (
        MatrixLinkFactory().user,
        MatrixLinkFactory(user=UserFactory(is_active=False)).user,
        UserFactory(),
    )
    transport = MatrixTransport()
    assert transport.linked_user_ids([linked.pk, gone.pk, other.pk]) == set()  # no bot configured
    MatrixBotFactory()
    assert transport.linked_user_ids([linked.pk, gone.pk, other.pk]) == {linked.pk}


@pytest.mark.usefixtures("homeserver_says_ok")
def test_another_homeserver_unlinks_everyone(organiser):
    """The bot believes its homeserver about who sent each message: an organiser who pointed it at a server
    of their own could have sent "!accept 12" as anyone linked, and read their notifications (found in the
    security review; docs/security.md)."""
    api = api_for(organiser)
    first = {
        "homeserver_url": "https://matrix.example.org",
        "user_id": "@bot:example.org",
        "access_token": "t",
    }
    assert api.put("/api/v1/matrix/bot/", first, format="json").status_code == 200
    linked = MatrixLinkFactory(matrix_id="@ann:example.org")
    pending = code_for("@bob:example.org")

    again = {**first, "homeserver_url": "https://matrix.example.org/", "user_id": "@other-bot:example.org"}
    assert api.put("/api/v1/matrix/bot/", again, format="json").status_code == 200
    assert services.linked_user("@ann:example.org") == linked.user  # the same server: links stay

    theirs = {**first, "homeserver_url": "https://matrix.attacker.example"}
    assert api.put("/api/v1/matrix/bot/", theirs, format="json").status_code == 200
    assert services.linked_user("@ann:example.org") is None
    assert not MatrixLink.objects.exists()
    assert services.pending_code(pending) is None
