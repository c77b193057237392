"""A number typed in digits that are not ASCII ("³", "①"): ``str.isdigit()`` is true of them, ``int()``
and the database are not, so each of these pages answered 500 (found with the API's ``page=³``)."""

from __future__ import annotations

import pytest

from openhelp.platform.lib.numbers import MAX_ID, is_id, is_number
from tests.factories_asks import AskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/asks/preview/?language=³",
        "/recognition/?before=³",
        "/moments/introductions/?first=³",
        "/asks/{ask}/?before=³",
        f"/asks/{{ask}}/?before={10**25}",
        "/asks/preview/?language=" + str(10**25),
    ],
)
def test_a_page_given_a_number_it_cannot_read_answers_without_an_error(owner_client, owner, path):
    ask = AskFactory(mentee=owner)
    response = owner_client.get(path.format(ask=ask.pk))
    assert response.status_code < 500


def test_thanking_from_a_session_that_is_not_a_number_is_a_404(owner_client, outsider):
    response = owner_client.get(f"/recognition/thank/{outsider.pk}/", {"session": "³"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("raw", "number", "id_"),
    [("12", True, True), ("³", False, False), ("1①", False, False), ("", False, False), ("-1", False, False)],
)
def test_what_counts_as_a_number_and_an_id(raw, number, id_):
    assert is_number(raw) is number and is_id(raw) is id_


def test_an_id_stops_at_64_bits():
    assert is_id(str(MAX_ID)) and not is_id(str(MAX_ID + 1)) and is_number(str(MAX_ID + 1))
