"""The decline form's fields on offer cards: rendered once per process, the same HTML as Django renders."""

from __future__ import annotations

import re

import pytest

from openhelp.help.routing.forms import DeclineForm
from openhelp.help.routing.models import DeclineReason


def rendered_by_django(form: DeclineForm) -> str:
    return (
        f'<div class="field">{form["reason"].as_field_group()}</div>\n'
        f'<div class="field">{form["note"].as_field_group()}</div>'
    )


@pytest.mark.parametrize("offer_id", [7, 1234])
def test_an_unbound_form_is_the_html_django_renders_for_that_offer(offer_id):
    assert str(DeclineForm(offer_id=offer_id).fields_html()) == rendered_by_django(
        DeclineForm(offer_id=offer_id)
    )


def test_every_label_is_tied_to_its_own_offers_field():
    """Two cards on one page: every id names its offer, every label points at an id of its own card."""
    first, second = (str(DeclineForm(offer_id=pk).fields_html()) for pk in (11, 12))
    for html, pk in ((first, 11), (second, 12)):
        ids = set(re.findall(r'id="([^"]+)"', html))
        labels = set(re.findall(r'for="([^"]+)"', html))
        assert ids and all(i.startswith(f"id_offer{pk}_") for i in ids)
        assert labels <= ids
    assert "0OFFER0" not in first + second


def test_a_bound_form_keeps_what_was_typed_and_its_errors():
    form = DeclineForm({"reason": DeclineReason.OTHER, "note": ""}, offer_id=5)
    assert not form.is_valid()
    html = str(form.fields_html())
    assert html == rendered_by_django(form)
    assert (
        "Say in a few words why" in html and 'value="other" required id="id_offer5_reason_2" checked' in html
    )


def test_a_form_without_an_offer_renders_as_django_does():
    assert str(DeclineForm().fields_html()) == rendered_by_django(DeclineForm())
