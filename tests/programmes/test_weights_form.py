"""A programme's matching weights on the web: one labelled number per signal with its plain-words description
and its default (they were one box of raw JSON), an error next to each wrong number with what was typed kept,
and "Save with the default weights". The API keeps its JSON object (tests/programmes/test_pages_api_access.py)."""

from __future__ import annotations

import html
from dataclasses import fields

import pytest
from django.urls import reverse

from openhelp.directory.matching.ranking_signals import SIGNALS
from openhelp.directory.matching.scorer import Weights
from openhelp.directory.matching.weight_labels import CONSTANT_LABELS, SIGNAL_LABELS
from openhelp.directory.programmes import services

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(" ".join(response.content.decode().split()))


def _edit(programme) -> str:
    return reverse("programmes:edit", args=[programme.slug])


def test_the_labels_cover_every_weight_and_every_signal():
    assert list(SIGNAL_LABELS) == list(SIGNALS)
    assert set(SIGNAL_LABELS) | set(CONSTANT_LABELS) == {item.name for item in fields(Weights)}


def test_each_signal_has_a_labelled_number_with_its_words_and_the_sites_default(organiser, settings):
    settings.ROUTING = {**settings.ROUTING, "WEIGHTS": {"load": 2.0}}

    response = client_for(organiser).get(reverse("programmes:new"))

    page = _page(response)
    assert "matching_weights" not in page and "JSON" not in page
    for name, (label, description) in SIGNAL_LABELS.items():
        field = response.context["form"][f"weight_{name}"]
        assert f'<label for="{field.auto_id}">{label}</label>' in page
        assert description in field.help_text
    load = response.context["form"]["weight_load"]
    assert load.help_text.endswith("Empty: the site default, 2.")  # the site's own value, not the scorer's
    assert response.context["form"]["weight_relevance"].help_text.endswith("Empty: the site default, 1.")
    assert 'inputmode="decimal"' in str(load)


def test_it_saves_the_numbers_typed_and_shows_them_again(organiser, programme):
    client = client_for(organiser)

    response = client.post(
        _edit(programme), {"name": "Data Guild", "weight_load": "1.5", "weight_fresh_perspective": "0"}
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.matching_weights == {"load": 1.5, "fresh_perspective": 0.0}
    form = client.get(_edit(programme)).context["form"]
    assert form["weight_load"].value() == 1.5 and form["weight_skill_fit"].value() in (None, "")
    summary = _page(client.get(programme.get_absolute_url()))
    assert "Fair spread of load 1.5" in summary and "Fresh perspective 0" in summary


def test_each_wrong_number_gets_its_own_message_and_keeps_what_was_typed(organiser, programme):
    response = client_for(organiser).post(
        _edit(programme),
        {
            "name": "Data Guild renamed",
            "weight_load": "1,5",
            "weight_timezone": "-1",
            "weight_neutral": "2",
            "weight_response_hours_scale": "0",
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["weight_load"] == ["Enter a number, like 0.5."]
    assert form.errors["weight_timezone"] == ["Enter zero or more (0 switches this signal off)."]
    assert form.errors["weight_neutral"] == ["Enter a number between 0 and 1."]
    assert form.errors["weight_response_hours_scale"] == ["Enter a number above zero."]
    assert set(form.errors) == {
        "weight_load",
        "weight_timezone",
        "weight_neutral",
        "weight_response_hours_scale",
    }
    page = _page(response)
    for typed in ('value="1,5"', 'value="-1"', 'value="2"', 'value="Data Guild renamed"'):
        assert typed in page
    assert '<details class="disclosure" open>' in page  # the wrong constant is not hidden
    assert "4 fields need a look:" in page  # said at the top, where the page opens after the save
    assert '<a href="#id_weight_load">Fair spread of load</a>: Enter a number, like 0.5.' in page
    programme.refresh_from_db()
    assert programme.name == "Data Guild" and programme.matching_weights == {}


def test_switching_every_signal_off_says_so_at_the_top(organiser, programme):
    data = {"name": "Data Guild", **{f"weight_{name}": "0" for name in SIGNAL_LABELS}}

    response = client_for(organiser).post(_edit(programme), data)

    assert response.status_code == 400
    assert "at least one signal needs a positive weight" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert _page(response).count('value="0"') >= len(SIGNAL_LABELS)


def test_save_with_the_default_weights_empties_them_and_keeps_the_rest(organiser):
    programme = services.create_programme(
        actor=organiser, name="Data Guild", matching_weights={"load": 2.0, "neutral": 0.4}
    )
    client = client_for(organiser)
    page = _page(client.get(_edit(programme)))
    assert 'name="use_default_weights"' in page and '<details class="disclosure" open>' in page

    response = client.post(
        _edit(programme),
        {"name": "Data Guild 2", "weight_load": "oops", "weight_neutral": "0.4", "use_default_weights": "1"},
        follow=True,
    )

    programme.refresh_from_db()
    assert programme.name == "Data Guild 2" and programme.matching_weights == {}
    assert "The programme is saved with the default weights." in _page(response)


def test_a_new_programme_has_no_reset_button(organiser):
    page = _page(client_for(organiser).get(reverse("programmes:new")))

    assert 'name="use_default_weights"' not in page
    assert '<details class="disclosure">' in page  # the constants stay folded away when unset
