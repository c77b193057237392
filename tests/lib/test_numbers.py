"""Numbers read from requests (openhelp.platform.lib.numbers): one reading of "an id from text" for every
page, API and chat command, so a number too long for ``int()`` or the database is an unknown value and
never a 500."""

from __future__ import annotations

import pytest

from openhelp.platform.lib.numbers import IDS, id_from_text, ids_from_texts, number_from_text
from tests.factories import UserFactory
from tests.factories_asks import AskFactory

# int() refuses more than 4,300 digits (a ValueError); 20 digits are past any database integer.
TOO_LONG_FOR_INT = "1" * 5000
PAST_64_BITS = str(2**63)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (str(2**63 - 1), 2**63 - 1),
        (7, 7),
        ("0", None),
        (0, None),
        ("-3", None),
        ("+3", None),
        (" 3", None),
        ("3 ", None),
        ("3.0", None),
        ("1_000", None),
        ("٣", None),  # an Arabic-Indic three: isdecimal() says yes, no link of ours carries it
        ("²", None),
        ("", None),
        (None, None),
        (True, None),
        (3.0, None),
        (PAST_64_BITS, None),
        (2**63, None),
        (TOO_LONG_FOR_INT, None),
    ],
)
def test_an_id_is_plain_digits_naming_a_possible_row(text, expected):
    assert id_from_text(text) == expected


def test_a_number_is_kept_within_the_range_asked_for():
    assert number_from_text("100", within=range(1, 101)) == 100
    assert number_from_text("101", within=range(1, 101)) is None
    assert number_from_text("0", within=range(0, 10)) == 0
    assert number_from_text(TOO_LONG_FOR_INT, within=IDS) is None


def test_a_list_keeps_the_ids_in_order_and_skips_the_rest():
    assert ids_from_texts(["3", "x", "1", TOO_LONG_FOR_INT, "", 2, PAST_64_BITS]) == [3, 1, 2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/moments/?with={n}",
        "/moments/introductions/?first={n}",
        "/asks/new/?directed_to={n}",
        "/asks/preview/?language={n}",
        "/people/?page={n}",
        "/recognition/thank/{someone}/?session={n}",
        "/api/v1/endorsements/?user={n}",
        "/api/v1/asks/?page={n}",
        "/api/v1/asks/?page_size={n}",
        "/api/v1/people/?page={n}",
    ],
)
@pytest.mark.parametrize("number", [TOO_LONG_FOR_INT, PAST_64_BITS], ids=["5000-digits", "2**63"])
def test_a_number_no_row_can_have_is_answered_as_unknown_not_with_a_500(client, url, number):
    someone = UserFactory()
    client.force_login(UserFactory())
    response = client.get(url.format(n=number, someone=someone.pk))
    assert response.status_code in (200, 400, 404), response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("number", [TOO_LONG_FOR_INT, PAST_64_BITS], ids=["5000-digits", "2**63"])
def test_an_ask_thread_read_from_an_impossible_message_shows_the_latest(client, number):
    ask = AskFactory()
    client.force_login(ask.mentee)
    response = client.get(f"/asks/{ask.pk}/?before={number}")
    assert response.status_code == 200
