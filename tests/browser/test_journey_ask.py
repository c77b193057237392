"""The ask loop in real Chromium: a mentee writes an ask with suggested skills → the expert finds it in the
inbox with the reasons it fits and accepts → they exchange messages → the mentee marks it solved."""

from __future__ import annotations

import re

import pytest

from openhelp.help.asks.models import Ask, AskState
from tests.factories import (
    PASSWORD,
    OpenToHelpProfileFactory,
    ProfileFactory,
    SkillFactory,
    SkillOfferFactory,
    UserFactory,
)
from tests.factories_accounts import verify
from tests.harness.browser import log_in

pytestmark = pytest.mark.browser


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    confirm = page.get_by_role("button", name=re.compile("sign out|log out", re.I))
    if "/accounts/logout" in page.url and confirm.count():
        confirm.first.click()
        page.wait_for_load_state()


def test_it_takes_an_ask_from_writing_to_solved(page, live_server, shot):
    django = SkillFactory(name="Django", slug="django")
    SkillFactory(name="Kubernetes", slug="kubernetes")
    mentee = UserFactory(email="mina.mentee@example.org", with_profile=False)
    ProfileFactory(user=mentee, display_name="Mina Mentee")
    verify(mentee)
    mentor = UserFactory(email="theo.expert@example.org", with_profile=False)
    OpenToHelpProfileFactory(user=mentor, display_name="Theo Expert")
    verify(mentor)
    SkillOfferFactory(profile=mentor.profile, skill=django, level=4, note="Deploys Django for a living.")

    # 1. The mentee starts from the empty list, which explains what an ask is.
    log_in(page, email=mentee.email, password=PASSWORD)
    page.goto("/asks/")
    assert page.get_by_text("You have no asks yet").is_visible()
    shot(page, "no-asks-yet")
    page.get_by_role("link", name="Write your first ask").click()

    # 2. Writing: the text suggests skills (one click adds one) and previews the experts free this week.
    page.get_by_label("Title").fill("Deploying my Django app")
    page.get_by_label("Objective: by the end I can …").fill(
        "ship my Django app to production with confidence"
    )
    page.get_by_label("Context and what you tried").fill("I tried `runserver` on a VM. It **fell over**.")
    page.get_by_role("button", name="Add Django").click()
    assert page.locator("[name=skill_1]").input_value() == "Django"
    page.get_by_text("1 expert could take this ask this week.").wait_for()
    page.get_by_label("Preparation question 1").fill("Which settings matter most in production?")
    page.get_by_label("Async answer").check()
    page.get_by_label("Today").check()
    shot(page, "writing-the-ask")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_load_state()
    ask = Ask.objects.get(mentee=mentee)
    assert ask.state == AskState.OFFERED
    assert page.locator("[data-ask-status]").inner_text().startswith("Offered to 1 expert;")
    assert not page.get_by_text("Theo Expert").count()  # how many, never who
    shot(page, "published-and-offered")
    log_out(page)

    # 3. The expert sees it in the inbox, with why it was offered to them, and accepts.
    log_in(page, email=mentor.email, password=PASSWORD)
    page.goto("/inbox/")
    assert page.get_by_role("link", name="Deploying my Django app").first.is_visible()
    assert page.get_by_text("Why you").first.is_visible()
    shot(page, "inbox-with-reasons")
    page.get_by_role("button", name=re.compile("^Accept")).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/asks/{ask.pk}/")
    shot(page, "accepted")

    # 4. The expert answers in the thread (Markdown, sanitised).
    page.locator("#id_message_body").fill("Start with `DEBUG = False` and **ALLOWED_HOSTS**.")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_load_state()
    assert page.locator("#thread strong", has_text="ALLOWED_HOSTS").is_visible()
    shot(page, "expert-replied")
    log_out(page)

    # 5. The mentee reads it, replies, and marks the ask solved.
    log_in(page, email=mentee.email, password=PASSWORD)
    page.goto(f"/asks/{ask.pk}/")
    assert page.locator("[data-ask-status]").inner_text().startswith("Theo Expert accepted it")
    page.locator("#id_message_body").fill("That fixed it, thank you!")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_load_state()
    assert page.get_by_text("That fixed it, thank you!").is_visible()
    page.get_by_role("button", name="It helped — mark as solved").click()
    page.wait_for_load_state()
    assert page.locator("[data-ask-status]").inner_text() == "Completed: it helped."
    shot(page, "solved")

    ask.refresh_from_db()
    assert ask.state == AskState.COMPLETED
    assert ask.helper == mentor
    kinds = list(ask.events.values_list("kind", flat=True))
    assert kinds[0] == "created" and "accepted" in kinds and kinds[-1] == "completed"
