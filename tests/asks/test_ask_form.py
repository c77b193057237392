"""The ask in one short screen: the essentials in view, the rest behind "More options", nothing typed lost."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import LanguageFactory
from tests.factories_asks import AskFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "A slow query",
        "objective": "make the report load in a second",
        "question_1": "Which index first?",
        "skill_1": "Python",
        "format": "call30",
        "urgency": "this_week",
        "save": "",
    }
    data.update(overrides)
    return data


def more_options_open(body: str) -> bool:
    tag = re.search(r"<details[^>]*data-more-options[^>]*>", body)
    assert tag, "no More options section"
    return " open" in tag.group(0)


def test_it_keeps_more_options_closed_on_a_new_ask(mentee_client):
    body = mentee_client.get(reverse("asks:new")).content.decode()

    assert not more_options_open(body)
    assert body.index('name="objective"') < body.index("data-more-options") < body.index('name="context"')
    assert body.index('name="skill_1"') < body.index("data-more-options")


def test_it_opens_more_options_on_an_error_inside_and_keeps_every_value(mentee_client, mentee, skills):
    response = mentee_client.post(
        reverse("asks:new"), form_data(co_askers="nobody@example.org", context="I tried EXPLAIN.")
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert more_options_open(body)
    assert "nobody@example.org" in response.context["form"].errors["co_askers"][0]
    for typed in ('value="A slow query"', 'value="Which index first?"', 'value="Python"', "I tried EXPLAIN."):
        assert typed in body
    assert not mentee.asks.exists()


def test_it_keeps_more_options_closed_when_the_error_is_in_view(mentee_client, skills):
    response = mentee_client.post(reverse("asks:new"), form_data(skill_1="Underwater basket weaving"))

    body = response.content.decode()
    assert "skill_1" in response.context["form"].errors
    assert not more_options_open(body)
    assert 'value="Underwater basket weaving"' in body


def test_it_opens_more_options_when_editing_an_ask_that_uses_them(mentee_client, mentee, skills):
    plain = AskFactory(mentee=mentee, skills=[skills["python"]], context="")
    detailed = AskFactory(mentee=mentee, skills=[skills["python"]], context="Some background.")

    assert not more_options_open(mentee_client.get(reverse("asks:edit", args=[plain.pk])).content.decode())
    assert more_options_open(mentee_client.get(reverse("asks:edit", args=[detailed.pk])).content.decode())


def test_it_offers_languages_as_a_searchable_picker_that_works_without_javascript(
    mentee_client, mentee, skills
):
    german = LanguageFactory(code="xx-test", name="Testish")
    body = mentee_client.get(reverse("asks:new")).content.decode()
    assert re.search(r'<select name="languages"[^>]*data-multi-picker', body)
    assert "data-no-js-hint" in body

    mentee_client.post(reverse("asks:new"), form_data(languages=[german.pk]))

    assert list(mentee.asks.get().languages.all()) == [german]


@pytest.mark.parametrize("language_id", ["99999999999999999999", "-9223372036854775809"])
def test_it_refuses_a_language_id_no_database_holds_and_keeps_the_ask(
    mentee_client, mentee, skills, language_id
):
    # SQLite could not even send such an id to the database: OverflowError, a 500.
    response = mentee_client.post(reverse("asks:new"), form_data(languages=[language_id]))

    assert response.status_code == 200
    assert response.context["form"].errors["languages"] == [
        f"Select a valid choice. {language_id} is not one of the available choices."
    ]
    assert 'value="A slow query"' in response.content.decode()
    assert not mentee.asks.exists()


def test_it_marks_the_skill_boxes_for_the_chip_picker(mentee_client):
    body = mentee_client.get(reverse("asks:new")).content.decode()

    assert "data-skill-slots" in body
    assert body.count("data-skill-slot>") == 5


def test_it_labels_the_objective_without_a_stray_colon_and_hides_an_empty_library_box(mentee_client):
    body = mentee_client.get(reverse("asks:new")).content.decode()

    assert "by the end I can …</label>" in body and "I can …:" not in body
    # ".library-suggestions:empty" hides the box only when not even whitespace is inside it.
    assert re.search(r'<div id="library-suggestions"[^>]*></div>', body)


def test_it_lets_the_title_be_left_empty_and_takes_it_from_the_objective(mentee_client, mentee, skills):
    body = mentee_client.get(reverse("asks:new")).content.decode()
    assert "Title (optional)</label>" in body

    response = mentee_client.post(reverse("asks:new"), form_data(title=""))

    ask = mentee.asks.get()
    assert response.status_code == 302
    assert ask.title == "Make the report load in a second"
    assert ask.objective == "make the report load in a second"


def test_an_empty_objective_is_one_error_not_two(mentee_client, mentee, skills):
    # The title is optional: with the objective missing, the objective's error alone says what to do.
    response = mentee_client.post(reverse("asks:new"), form_data(title="", objective=""))

    errors = response.context["form"].errors
    assert errors == {"objective": ["Say what you want to be able to do by the end."]}
    assert 'value="Which index first?"' in response.content.decode()
    assert not mentee.asks.exists()


def test_urgency_is_in_view_so_someone_stuck_today_can_say_so(mentee_client, mentee, skills):
    body = mentee_client.get(reverse("asks:new")).content.decode()
    assert body.index('name="urgency"') < body.index("data-more-options")
    assert re.search(r'<input[^>]*name="urgency"[^>]*value="this_week"[^>]*checked', body)

    response = mentee_client.post(reverse("asks:new"), form_data(urgency="today"))

    assert response.status_code == 302
    assert mentee.asks.get().urgency == "today"
    edit = mentee_client.get(reverse("asks:edit", args=[mentee.asks.get().pk])).content.decode()
    assert not more_options_open(edit)  # an urgency other than the default no longer opens "More options"
