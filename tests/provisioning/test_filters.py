"""The filter parser (RFC 7644 §3.4.2.2), without a database."""

from __future__ import annotations

import pytest

from openhelp.organisers.provisioning import filters
from openhelp.organisers.provisioning.filters import Compare, Logical, Not, Present
from openhelp.organisers.provisioning.scim import ScimError


def test_it_parses_eq_with_a_quoted_value_and_drops_the_core_urn():
    assert filters.parse('userName eq "ada@example.org"') == Compare("username", "eq", "ada@example.org")
    urn = 'urn:ietf:params:scim:schemas:core:2.0:User:userName EQ "x"'
    assert filters.parse(urn) == Compare("username", "eq", "x")


def test_it_reads_escaped_quotes_booleans_null_and_numbers():
    assert filters.parse(r'displayName eq "say \"hi\""').value == 'say "hi"'
    assert filters.parse("active eq true").value is True
    assert filters.parse("active eq False").value is False
    assert filters.parse("title eq null").value is None
    assert filters.parse("id eq 12").value == 12


def test_and_binds_tighter_than_or_and_parentheses_and_not_work():
    tree = filters.parse('a eq "1" or b eq "2" and c pr')
    assert tree == Logical(
        "or", Compare("a", "eq", "1"), Logical("and", Compare("b", "eq", "2"), Present("c"))
    )
    grouped = filters.parse('(a eq "1" or b eq "2") and not (c co "x")')
    assert grouped == Logical(
        "and", Logical("or", Compare("a", "eq", "1"), Compare("b", "eq", "2")), Not(Compare("c", "co", "x"))
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "userName",
        'userName like "a"',
        'userName eq "a" and',
        '(userName eq "a"',
        'userName eq "a")',
        "userName eq bare",
    ],
)
def test_malformed_filters_are_invalid_filter(text):
    with pytest.raises(ScimError) as caught:
        filters.parse(text)
    assert (caught.value.status, caught.value.scim_type) == (400, "invalidFilter")


def test_unsupported_operators_and_attributes_are_invalid_filter_when_compiled():
    for text in ('userName gt "a"', 'nickName eq "a"', 'active co "t"'):
        with pytest.raises(ScimError) as caught:
            filters.to_q(filters.parse(text), filters.USER_FIELDS)
        assert caught.value.scim_type == "invalidFilter"


def test_it_compiles_to_case_insensitive_lookups_where_scim_says_so():
    assert (
        str(filters.to_q(filters.parse('userName eq "A"'), filters.USER_FIELDS))
        == "(AND: ('email__iexact', 'A'))"
    )
    assert "scim__external_id__exact" in str(
        filters.to_q(filters.parse('externalId eq "A"'), filters.USER_FIELDS)
    )
    assert "email__istartswith" in str(filters.to_q(filters.parse('emails sw "a"'), filters.USER_FIELDS))


def test_matches_tests_one_element_of_a_multi_valued_attribute():
    work = {"type": "work", "value": "ada@example.org", "primary": True}
    assert filters.matches(filters.parse('type eq "Work"'), work)
    assert not filters.matches(filters.parse('type eq "home"'), work)
    assert filters.matches(filters.parse('primary eq true and value ew "example.org"'), work)
