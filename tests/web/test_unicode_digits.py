"""Numbers written with characters that are digits to ``str.isdigit()`` but not to ``int()`` ("²", "³"):
never a 500.

Found by probing a live app as a signed-in member: ``?page=²`` or ``?page_size=²`` on every API list,
``?before=²`` on the kudos feed and an ask's thread, ``?with=²`` on moments, ``?first=²`` on
introductions and ``?directed_to=²`` on a new ask each answered 500 (``ValueError`` from ``int()``, or
from the database's id field). Every check of "a number in digits" is now ``str.isdecimal()``, the
characters ``int()`` reads.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_access_token
from tests.factories_asks import AskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    _, raw_key = make_access_token(owner)
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


@pytest.mark.parametrize("parameter", ["page", "page_size"])
@pytest.mark.parametrize("address", ["/api/v1/asks/", "/api/v1/people/", "/api/v1/kudos/feed/"])
def test_a_superscript_page_number_in_the_api_is_a_field_error(api, address, parameter):
    response = api.get(address, {parameter: "²"})

    assert response.status_code == 400
    assert parameter in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "address",
    [
        "/recognition/?before=²",
        "/moments/?with=²",
        "/moments/introductions/?first=²",
    ],
)
def test_a_superscript_id_on_a_page_is_no_one(owner_client, address):
    assert owner_client.get(address).status_code == 200


def test_a_new_ask_for_a_superscript_person_is_as_for_no_one(owner_client):
    unknown = owner_client.get("/asks/new/?directed_to=987654")

    assert owner_client.get("/asks/new/?directed_to=²").status_code == unknown.status_code == 404


def test_a_superscript_id_in_an_asks_thread_is_no_message(owner_client, owner):
    ask = AskFactory(mentee=owner)

    assert owner_client.get(f"/asks/{ask.pk}/?before=²").status_code == 200
