"""In a real browser, what a first walk through the product found out of line: agenda steps that did not line
up on a phone; a filter's tick box above its label; a long checkbox label pushed below its box; "Choose at
least one skill" still shown after a skill was chosen; the kudos filter pressed against the first kudos; "Who could help" touching its text; a heading touching the text above it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import SkillFactory
from tests.factories_asks import AskFactory
from tests.factories_mentoring import AgendaStepFactory, SessionFactory, person
from tests.factories_officehours import make_mentee
from tests.factories_recognition import make_kudos
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser


def test_the_agenda_tick_boxes_line_up_on_the_left_on_a_phone(page, browser_context, live_server, shot):
    mentee, mentor = person("Mina Mentee"), person("Theo Mentor")
    session = SessionFactory(mentee=mentee, mentor=mentor)
    for position, title in enumerate(["Objective and preparation", "Watch one", "Do one", "Debrief"]):
        AgendaStepFactory(session=session, position=position, title=title)
    sign_in(browser_context, live_server, mentor)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("mentoring:detail", args=[session.pk]))

    boxes = page.locator(".agenda-step .tick-box")
    assert boxes.count() == 4
    lefts = {round(boxes.nth(i).bounding_box()["x"]) for i in range(4)}
    assert len(lefts) == 1, f"tick boxes at different x positions: {sorted(lefts)}"
    shot(page, "agenda-390")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_office_hours_filter_tick_box_sits_beside_its_label(page, browser_context, live_server, width):
    sign_in(browser_context, live_server, make_mentee())
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(reverse("officehours:week"))

    box = page.get_by_label("Only during my working hours").bounding_box()
    label = page.locator("label[for='id_fit']").bounding_box()
    assert label["x"] > box["x"] + box["width"] - 1, "the label starts after the box"
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 8, "on one line"
    form = page.get_by_role("search", name="Filter office hours").bounding_box()
    count = page.get_by_role("status").filter(has_text="0 slots").bounding_box()
    assert count["y"] >= form["y"] + form["height"] + 12, "the slot count has room under the filters"


def test_a_long_checkbox_label_stays_beside_its_box_on_a_phone(page, browser_context, live_server):
    giver, receiver = person("Gina Giver"), person("Rob Receiver")
    sign_in(browser_context, live_server, giver)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("recognition:give", args=[receiver.pk]))

    box = page.locator("input[name=public]").bounding_box()
    label = page.locator("label[for='id_public']").bounding_box()
    assert label["x"] > box["x"] + box["width"] - 1, "the label starts after the box"
    assert label["y"] < box["y"] + box["height"], "the label starts on the box's line"


def test_the_no_skill_error_goes_once_a_skill_is_chosen_and_comes_back_if_it_is_removed(
    page, browser_context, live_server
):
    SkillFactory(name="Python", slug="python")
    sign_in(browser_context, live_server, person("Ana Asker"))
    page.goto(reverse("asks:new"))
    page.get_by_label("Title").fill("A slow query")
    page.get_by_label("Objective: by the end I can").fill("make the report load in a second")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_load_state()
    error = page.get_by_text("Choose at least one skill")
    assert error.is_visible()

    page.get_by_role("combobox", name="Add a skill").fill("Python")
    page.get_by_role("combobox", name="Add a skill").press("Enter")

    page.get_by_role("button", name="Remove Python").wait_for()
    assert not error.is_visible()
    assert page.get_by_role("combobox", name="Add a skill").get_attribute("aria-invalid") is None
    page.get_by_role("button", name="Remove Python").click()
    assert error.is_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_recognition_filter_has_its_label_above_and_room_below(page, browser_context, live_server, width):
    giver, receiver = person("Gina Giver"), person("Rob Receiver")
    make_kudos(2, giver=giver, receiver=receiver)
    sign_in(browser_context, live_server, giver)
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(reverse("recognition:feed"))

    label = page.get_by_text("Filter by skill").bounding_box()
    box = page.get_by_role("searchbox", name="Filter by skill").bounding_box()
    assert label["y"] + label["height"] <= box["y"] + 1, (
        "the label sits above its box, as in every other form"
    )
    form = page.locator("main form[role=search]").bounding_box()
    first = page.locator(".kudos-list > li").first.bounding_box()
    assert first["y"] >= form["y"] + form["height"] + 12, "room between the filter and the first kudos"


def test_who_could_help_has_room_under_its_heading(page, browser_context, live_server):
    sign_in(browser_context, live_server, person("Ana Asker"))
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("asks:new"))

    heading = page.get_by_role("heading", name="Who could help").bounding_box()
    preview = page.locator("#candidate-preview").bounding_box()
    assert preview["y"] >= heading["y"] + heading["height"] + 8


def test_a_heading_after_text_has_air_above_it(page, browser_context, live_server):
    mentee = person("Ana Asker")
    ask = AskFactory(mentee=mentee, context="I tried a t-test in a spreadsheet.")
    sign_in(browser_context, live_server, mentee)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("asks:detail", args=[ask.pk]))

    context = page.locator(".ask .markdown").first.bounding_box()
    heading = page.get_by_role("heading", name="Preparation questions").bounding_box()
    assert heading["y"] >= context["y"] + context["height"] + 16
