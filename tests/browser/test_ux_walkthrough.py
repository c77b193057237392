"""In a real browser, what a first walk through the product found out of line: agenda steps that did not line
up on a phone; a filter's tick box above its label; a long checkbox label pushed below its box; "Choose at
least one skill" still shown after a skill was chosen; the kudos filter pressed against the first kudos; "Who
could help" touching its text; a heading touching the text above it; on My sessions, titles shifted by a "no
time" date box and the search against the first heading; on the session page, "your time" wrapped under the
calendar icon, the debrief button against the kudos and the follow-up buttons against each other; the "not
open yet" notice against the card below it; cards in a stack twice the stack's gap apart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.help.mentoring.models import SessionFormat
from tests.factories import SkillFactory, UserFactory
from tests.factories_asks import AskFactory
from tests.factories_mentoring import AgendaStepFactory, SessionFactory, past_session, person
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


PHONE = {"width": 390, "height": 844}


def _apart(first: dict, second: dict) -> float:
    """The room between two boxes: vertical if one is below the other, else horizontal."""
    if second["y"] >= first["y"] + first["height"] - 1:
        return second["y"] - (first["y"] + first["height"])
    return second["x"] - (first["x"] + first["width"])


def test_my_sessions_line_up_their_titles_and_give_the_search_room(page, browser_context, live_server):
    mentee, mentor = person("Mina Mentee"), person("Theo Mentor")
    SessionFactory(mentee=mentee, mentor=mentor, title="A call")
    SessionFactory(
        mentee=mentee, mentor=mentor, title="In messages", format=SessionFormat.ASYNC, starts_at=None
    )
    SessionFactory(mentee=mentee, mentor=mentor, title="Not agreed yet", starts_at=None)
    sign_in(browser_context, live_server, mentee)
    page.set_viewport_size(PHONE)

    page.goto(reverse("mentoring:list"))

    titles = page.locator(".session-card-title")
    assert titles.count() == 3
    assert len({round(titles.nth(i).bounding_box()["x"]) for i in range(3)}) == 1, "titles at one x"
    search = page.get_by_role("search", name="My sessions").bounding_box()
    heading = page.get_by_role("heading", name="Coming up").bounding_box()
    assert heading["y"] >= search["y"] + search["height"] + 16


def test_the_session_page_keeps_its_lines_and_buttons_apart_on_a_phone(page, browser_context, live_server):
    mentee, mentor = person("Mina Mentee"), person("Theo Mentor")
    session = past_session(mentee=mentee, mentor=mentor)
    sign_in(browser_context, live_server, mentee)
    page.set_viewport_size(PHONE)

    page.goto(reverse("mentoring:detail", args=[session.pk]))

    icon = page.locator(".session-when svg").bounding_box()
    zone = page.locator(".session-when .muted").bounding_box()
    assert zone["x"] >= icon["x"] + icon["width"], "a wrapped line starts beside the icon, not under it"
    debrief = page.get_by_role("link", name="Write the debrief").bounding_box()
    kudos = page.get_by_role("link", name="Give kudos to Theo Mentor").bounding_box()
    assert _apart(debrief, kudos) >= 12
    again = page.get_by_role("link", name="Ask Theo Mentor again").bounding_box()
    book = page.get_by_role("link", name="Book their office hours").bounding_box()
    assert _apart(again, book) >= 8


def test_the_debrief_notice_has_room_below_it(page, browser_context, live_server):
    mentee, mentor = person("Mina Mentee"), person("Theo Mentor")
    session = SessionFactory(mentee=mentee, mentor=mentor)  # tomorrow: the debrief is not open yet
    sign_in(browser_context, live_server, mentee)
    page.set_viewport_size(PHONE)

    page.goto(reverse("mentoring:debrief", args=[session.pk]))

    notice = page.locator("#debrief-not-open").bounding_box()
    below = page.get_by_role("heading", name="Want more? (optional)").locator("xpath=..").bounding_box()
    assert below["y"] >= notice["y"] + notice["height"] + 16


def test_cards_in_a_stack_are_one_gap_apart(page, browser_context, live_server):
    mentee, mentor = person("Mina Mentee"), person("Theo Mentor")
    for title in ("First call", "Second call"):
        SessionFactory(mentee=mentee, mentor=mentor, title=title)
    sign_in(browser_context, live_server, mentee)
    page.set_viewport_size(PHONE)

    page.goto(reverse("today:home"))

    cards = page.locator("#today-upcoming .stack > .card")
    assert cards.count() == 2
    assert round(_apart(cards.nth(0).bounding_box(), cards.nth(1).bounding_box())) == 16  # --space-4


def test_the_network_filters_line_up_their_boxes(page, browser_context, live_server):
    sign_in(browser_context, live_server, UserFactory(is_organiser=True))

    page.goto(reverse("network:flow"))  # 1280 px wide: the filters in one row

    form = page.get_by_role("form", name="Filters")
    boxes = [
        form.get_by_label(name, exact=True).bounding_box()
        for name in ("From month", "To month", "Programme", "Team")
    ]
    bottoms = {round(box["y"] + box["height"]) for box in boxes}
    assert len(bottoms) == 1, f"the boxes share their bottom edge whatever help sits above them: {bottoms}"
