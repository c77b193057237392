"""lib.forms: a service's ValidationError lands next to the field it names; LongSelect writes Django's select."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from openhelp.platform.lib.forms import LongSelect, add_service_errors


class NoteForm(forms.Form):
    title = forms.CharField()
    resource_1_url = forms.URLField(required=False, assume_scheme="https")


def bound_form() -> NoteForm:
    form = NoteForm(data={"title": "What I typed", "resource_1_url": ""})
    assert form.is_valid()
    return form


def test_it_puts_a_field_error_next_to_its_field():
    form = bound_form()
    add_service_errors(form, ValidationError({"title": ["Too vague."]}))
    assert form.errors == {"title": ["Too vague."]}
    assert form["title"].value() == "What I typed"  # what the person typed stays in the form


def test_it_puts_an_error_without_a_field_at_the_top():
    form = bound_form()
    add_service_errors(form, ValidationError("Not possible now."))
    assert form.non_field_errors() == ["Not possible now."]


def test_it_renames_a_service_field_to_the_forms():
    form = bound_form()
    add_service_errors(form, ValidationError({"resources": ["Not a link."]}), {"resources": "resource_1_url"})
    assert form.errors == {"resource_1_url": ["Not a link."]}


def test_it_keeps_an_error_on_a_field_the_form_lacks_at_the_top():
    form = bound_form()
    add_service_errors(form, ValidationError({"session": ["Already debriefed."]}))
    assert form.non_field_errors() == ["Already debriefed."]


@pytest.mark.parametrize("initial", ["Europe/Berlin", "y", None])
def test_the_long_select_writes_what_djangos_select_writes(initial):
    """LongSelect (the time zones) is Django's select written in Python: the HTML must be the same, with a
    selected option, a named group, escaped text and boolean attributes."""
    choices = [
        ("a&b", "A & <b>"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("Group <1>", [("x", "X"), ("y", "Y")]),
        (3, "three"),
    ]

    def rendered(widget):
        class Form(forms.Form):
            zone = forms.ChoiceField(
                choices=choices,
                widget=widget(attrs={"data-x": 'say "hi"', "disabled": True, "hidden": False}),
            )

        return str(Form(initial={"zone": initial})["zone"])

    assert rendered(LongSelect) == rendered(forms.Select)
