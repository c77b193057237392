"""A create sent again with the same ``Idempotency-Key`` answers the first answer again and writes nothing
(``openhelp/platform/api/idempotency.py``): a client that retries a POST after a timeout no longer gives
the kudos twice or posts the message twice."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.test import Client

from openhelp.community.recognition.models import Kudos
from openhelp.help.asks.models import Ask, AskState, Message
from openhelp.platform.api import idempotency
from openhelp.platform.api.models import IdempotentRequest
from tests.factories import SkillFactory, UserFactory, make_access_token
from tests.factories_asks import ask_in_state
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def _post(client: Client, path: str, body: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, body, content_type="application/json", headers=headers)


@pytest.fixture
def giver():
    return UserFactory()


@pytest.fixture
def receiver():
    return UserFactory()


def test_kudos_sent_again_with_its_key_answers_the_first_kudos_and_gives_none(giver, receiver):
    api, body = _api(giver), {"receiver": receiver.pk, "message": "Thanks!"}
    first = _post(api, "/api/v1/kudos/", body, key="retry-1")

    again = _post(api, "/api/v1/kudos/", body, key="retry-1")

    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Kudos.objects.filter(giver=giver).count() == 1


def test_without_a_key_or_with_a_new_one_each_post_is_its_own(giver, receiver):
    api, body = _api(giver), {"receiver": receiver.pk}
    _post(api, "/api/v1/kudos/", body)
    _post(api, "/api/v1/kudos/", body)
    _post(api, "/api/v1/kudos/", body, key="a")
    _post(api, "/api/v1/kudos/", body, key="b")

    assert Kudos.objects.filter(giver=giver).count() == 4


def test_the_same_key_with_another_body_is_a_422_and_writes_nothing(giver, receiver):
    api = _api(giver)
    _post(api, "/api/v1/kudos/", {"receiver": receiver.pk, "message": "Thanks!"}, key="k")

    other = _post(api, "/api/v1/kudos/", {"receiver": receiver.pk, "message": "Thanks again!"}, key="k")

    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Kudos.objects.filter(giver=giver).count() == 1


def test_the_same_key_on_another_path_is_a_422(giver, receiver):
    api = _api(giver)
    _post(api, "/api/v1/kudos/", {"receiver": receiver.pk}, key="k")

    elsewhere = _post(api, "/api/v1/moments/", {"receiver": receiver.pk}, key="k")

    assert elsewhere.status_code == 422 and elsewhere.json()["error"]["code"] == "idempotency_key_reused"


def test_a_key_belongs_to_its_sender(giver, receiver):
    other = UserFactory()
    _post(_api(giver), "/api/v1/kudos/", {"receiver": receiver.pk}, key="shared")

    theirs = _post(_api(other), "/api/v1/kudos/", {"receiver": receiver.pk}, key="shared")

    assert theirs.status_code == 201 and theirs.json()["giver"]["id"] == other.pk
    assert Kudos.objects.filter(receiver=receiver).count() == 2


def test_a_key_answers_for_24_hours_then_counts_as_new(giver, receiver):
    api, body = _api(giver), {"receiver": receiver.pk}
    with time_machine.travel(NOON, tick=False):
        _post(api, "/api/v1/kudos/", body, key="day")
    with time_machine.travel(NOON + dt.timedelta(hours=23, minutes=59), tick=False):
        assert _post(api, "/api/v1/kudos/", body, key="day")["Idempotent-Replayed"] == "true"
    with time_machine.travel(NOON + dt.timedelta(hours=24), tick=False):
        fresh = _post(api, "/api/v1/kudos/", body, key="day")

    assert fresh.status_code == 201 and not fresh.has_header("Idempotent-Replayed")
    assert Kudos.objects.filter(giver=giver).count() == 2


def test_an_error_is_not_kept_so_the_corrected_request_may_use_the_key(giver, receiver):
    api = _api(giver)
    wrong = _post(api, "/api/v1/kudos/", {"receiver": giver.pk}, key="fix-me")  # oneself: a 400

    right = _post(api, "/api/v1/kudos/", {"receiver": receiver.pk}, key="fix-me")

    assert wrong.status_code == 400 and right.status_code == 201
    assert not right.has_header("Idempotent-Replayed")


def test_a_copy_sent_while_the_first_is_answered_is_a_409_to_retry(giver, receiver):
    api, body = _api(giver), {"receiver": receiver.pk}
    same_request = SimpleNamespace(method="POST", path="/api/v1/kudos/", data=body)
    # The first copy has claimed the key and is not answered yet.
    IdempotentRequest.objects.create(
        user=giver, key="busy", fingerprint=idempotency.fingerprint(same_request)
    )

    copy = _post(api, "/api/v1/kudos/", body, key="busy")

    assert copy.status_code == 409 and copy.json()["error"]["code"] == "idempotency_key_in_use"
    assert copy["Retry-After"] == "1"
    assert not Kudos.objects.exists()


def test_a_bad_key_is_a_400_naming_the_header(giver, receiver):
    response = _post(_api(giver), "/api/v1/kudos/", {"receiver": receiver.pk}, key="x" * 256)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["Idempotency-Key"]
    assert not Kudos.objects.exists()


def test_a_message_an_ask_and_its_publishing_sent_twice_are_made_once(giver):
    ask = ask_in_state(AskState.ACCEPTED, mentee=giver)
    api = _api(giver)
    for _ in range(2):
        message = _post(api, f"/api/v1/asks/{ask.pk}/messages/", {"body": "Any news?"}, key="m-1")
        assert message.status_code == 201, message.content
    assert Message.objects.filter(ask=ask, body="Any news?").count() == 1

    skill = SkillFactory(name="Python")
    body = {"title": "Help", "objective": "ship", "preparation_questions": ["Why?"], "skills": [skill.pk]}
    made = [_post(api, "/api/v1/asks/", body, key="ask-1") for _ in range(2)]
    assert made[0].status_code == made[1].status_code == 201, made[0].content
    assert made[0].json()["id"] == made[1].json()["id"]
    assert Ask.objects.filter(mentee=giver, title="Help").count() == 1


def test_the_schema_documents_the_header_and_its_errors():
    operations = openapi_schema()["paths"]
    for path in (
        "/api/v1/kudos/",
        "/api/v1/asks/",
        "/api/v1/asks/{id}/messages/",
        "/api/v1/bookings/",
        "/api/v1/office-hours/",
        "/api/v1/office-hours/time-off/",
        "/api/v1/sessions/{id}/agenda/",
        "/api/v1/programmes/",
    ):
        post = operations[path]["post"]
        (header,) = [p for p in post["parameters"] if p["name"] == "Idempotency-Key"]
        assert header["in"] == "header" and header["schema"]["maxLength"] == 255, path
        assert "422" in post["responses"], path
    kudos = operations["/api/v1/kudos/"]["post"]["responses"]
    assert {"Location", "Idempotent-Replayed"} <= set(kudos["201"]["headers"])
    assert "idempotency_key_in_use" in kudos["409"]["description"]
