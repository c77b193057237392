"""Names in one normal form, nothing invisible: the rule itself, and every way a profile's name is set."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.people.models import Profile
from openhelp.directory.people.services import update_profile
from openhelp.platform.api.parsers import NUL_MESSAGE
from openhelp.platform.lib.display_names import clean_display_name, sanitise_display_name
from tests.factories import UserFactory, make_access_token
from tests.people.test_profile_edit import profile_data

ZWSP, RLO, ZWNJ, ZWJ = "\u200b", "\u202e", "\u200c", "\u200d"
REFUSED = "Names cannot contain line breaks, tabs or invisible characters"


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("  Ada   Lovelace ", "Ada Lovelace"),
        ("Ａｄａ Ｌｏｖｅｌａｃｅ", "Ada Lovelace"),  # full-width letters (NFKC)
        ("Ada\u00a0Lovelace", "Ada Lovelace"),  # a no-break space is a space
        ("Ada Lovelace\n", "Ada Lovelace"),  # a trailing line break from a paste is trimmed, not refused
        ("Zoë O’Brien-Łukasiewicz", "Zoë O’Brien-Łukasiewicz"),
        (f"مهرداد{ZWNJ}ی", f"مهرداد{ZWNJ}ی"),  # the Persian non-joiner between Arabic-script letters
        (f"क्{ZWJ}ष", f"क्{ZWJ}ष"),  # a joiner after a virama (Devanagari)
        ("李小龍", "李小龍"),
    ],
)
def test_it_normalises_a_name(typed, stored):
    assert clean_display_name(typed) == stored


@pytest.mark.parametrize(
    "typed, named",
    [
        (f"Ada{ZWSP}Lovelace", "U+200B ZERO WIDTH SPACE at character 4"),
        (f"{RLO}ecalevoL adA", "U+202E RIGHT-TO-LEFT OVERRIDE at character 1"),
        ("Ada\u200fLovelace", "U+200F RIGHT-TO-LEFT MARK"),
        ("Ada\u2066Lovelace", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("Ada\nLovelace", "the line break (U+000A) at character 4"),
        ("Ada\r\nLovelace", "the line break (U+000D)"),
        ("Ada\u2028Lovelace", "the line break (U+2028)"),
        ("Ada\u2029Lovelace", "the line break (U+2029)"),
        ("Ada\tLovelace", "the tab (U+0009)"),
        ("Ada\x00Lovelace", "the control character U+0000"),
        ("Ada\x1bLovelace", "the control character U+001B"),
        ("Ada\u00adLovelace", "U+00AD SOFT HYPHEN"),
        ("Ada\ufeffLovelace", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("Ada\U000e0041Lovelace", "U+E0041 TAG LATIN CAPITAL LETTER A"),
        ("Ada\ue000Lovelace", "U+E000"),  # private use
        (f"Ad{ZWNJ}min", "U+200C ZERO WIDTH NON-JOINER"),  # between Latin letters it only hides
        (f"Ad{ZWJ}min", "U+200D ZERO WIDTH JOINER"),
    ],
)
def test_it_refuses_control_and_format_characters_naming_them(typed, named):
    with pytest.raises(ValidationError) as error:
        clean_display_name(typed)
    [message] = error.value.messages
    assert message.startswith(REFUSED)
    assert named in message


def test_it_refuses_a_name_of_nothing_but_spaces():
    with pytest.raises(ValidationError, match="Enter a name"):
        clean_display_name(" \u3000 ")


@pytest.mark.parametrize(
    "stored, sanitised",
    [
        (f"Ada{ZWSP}Love{RLO}lace", "AdaLovelace"),
        ("Ada\nLovelace\t", "Ada Lovelace"),
        ("Ａｄａ", "Ada"),
        (f"مهرداد{ZWNJ}ی", f"مهرداد{ZWNJ}ی"),
    ],
)
def test_it_sanitises_what_is_already_stored(stored, sanitised):
    assert sanitise_display_name(stored) == sanitised
    assert sanitise_display_name(sanitised) == sanitised


# --- Every path that sets a name ---------------------------------------------------------------------


def test_the_profile_form_refuses_an_invisible_character_and_keeps_what_was_typed(owner_client, owner):
    typed = f"Olivia{ZWSP} Owner"
    response = owner_client.post(
        reverse("people:edit"), profile_data(display_name=typed, headline="Kept headline")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["display_name"]
    assert form.errors["display_name"][0].startswith(REFUSED)
    assert "U+200B ZERO WIDTH SPACE" in response.content.decode()
    assert form["display_name"].value() == typed
    assert 'value="Kept headline"' in response.content.decode()
    assert Profile.objects.get(user=owner).display_name == "Olivia Owner"


def test_the_profile_form_stores_the_normal_form(owner_client, owner):
    response = owner_client.post(reverse("people:edit"), profile_data(display_name="  Ｏlivia   Owner "))
    assert response.status_code == 302
    assert Profile.objects.get(user=owner).display_name == "Olivia Owner"


@pytest.fixture
def api(owner):
    _token, key = make_access_token(owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.parametrize("typed", [f"Eve{RLO}live", "Eve\nEvil", "Eve\x00", f"{ZWSP}Eve"])
def test_the_api_refuses_an_invisible_character_with_a_field_error(api, owner, typed):
    response = api.patch("/api/v1/me/", {"display_name": typed, "headline": "Not saved"}, format="json")
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["display_name"]
    # A NUL is refused by the API's parsers before any field sees it (PostgreSQL cannot hold one).
    expected = NUL_MESSAGE if "\x00" in typed else REFUSED
    assert fields["display_name"][0].startswith(expected)
    profile = Profile.objects.get(user=owner)
    assert (profile.display_name, profile.headline) == ("Olivia Owner", "")


def test_the_api_stores_and_answers_the_normal_form(api, owner):
    response = api.patch("/api/v1/me/", {"display_name": "  Ａda   Lovelace "}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Ada Lovelace"
    assert Profile.objects.get(user=owner).display_name == "Ada Lovelace"


def test_the_model_refuses_a_bad_name_on_full_clean(owner):
    profile = Profile.objects.get(user=owner)
    profile.display_name = f"Olivia{RLO}"
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert list(error.value.message_dict) == ["display_name"]
    with pytest.raises(ValidationError) as error:
        update_profile(profile=Profile.objects.get(user=owner), display_name="Olivia\nOwner")
    assert list(error.value.message_dict) == ["display_name"]


def test_every_save_stores_the_sanitised_name_even_without_validation(db):
    user = UserFactory(with_profile=False)
    saved = Profile.objects.create(user=user, display_name=f" Ada{ZWSP}\nLovelace ")
    assert saved.display_name == "Ada Lovelace"
    [bulk] = Profile.objects.bulk_create(
        [Profile(user=UserFactory(with_profile=False), display_name=f"Grace{RLO}")]
    )
    assert Profile.objects.get(pk=bulk.pk).display_name == "Grace"
    assert Profile.objects.get(pk=saved.pk).display_name == "Ada Lovelace"


def test_the_migration_cleans_names_stored_before_the_rule(owner, outsider):
    # .update() skips pre_save: the way a name written before this rule looks.
    Profile.objects.filter(user=owner).update(display_name=f"Olivia{ZWSP}\nOwner{RLO}")
    Profile.objects.filter(user=outsider).update(display_name=f"{ZWSP}{RLO}")
    migration = importlib.import_module("openhelp.directory.people.migrations.0008_display_name_normal_form")
    migration.sanitise_existing_names(apps, None)
    assert Profile.objects.get(user=owner).display_name == "Olivia Owner"
    assert Profile.objects.get(user=outsider).display_name == "outsider", "nothing left: the address's name"


def test_a_stored_bad_name_does_not_break_the_pages(owner_client, owner, outsider):
    Profile.objects.filter(user=outsider).update(display_name=f"Oscar{RLO}\nOutsider")
    assert owner_client.get(reverse("people:directory")).status_code == 200
    outsider_profile = Profile.objects.get(user=outsider)
    assert owner_client.get(reverse("people:detail", args=[outsider_profile.pk])).status_code == 200
