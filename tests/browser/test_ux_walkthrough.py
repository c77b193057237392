"""In a real browser, what a first walk through the product found out of line: agenda steps that did not line
up on a phone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories_mentoring import AgendaStepFactory, SessionFactory, person
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
