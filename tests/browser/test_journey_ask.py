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
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.browser


def log_out(page) -> None:
    button = page.get_by_role("button", name="Log out")
    if not button.is_visible():  # behind the user menu in the header
        page.locator(".user-menu > summary").first.click()
    button.click()
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
    page.wait_for_url("**/asks/new/", wait_until="load")  # measured once styles and scripts have run

    # 2. Writing: one short screen (objective, title, skills); the text suggests skills (one click adds
    # one as a chip) and the side panel counts the experts free this week.
    box = page.locator("#ask-form").bounding_box()
    assert box["y"] + box["height"] <= 900  # the essentials fit
    assert not page.get_by_label("Context and what you tried").is_visible()  # behind "More options"
    page.get_by_label("Objective: by the end I can …").fill(
        "ship my Django app to production with confidence"
    )
    page.get_by_label("Title").fill("Deploying my Django app")
    page.get_by_role("button", name="Add Django").click()
    assert page.locator("[name=skill_1]").input_value() == "Django"
    assert page.get_by_role("list", name="Chosen skills").get_by_text("Django").is_visible()
    page.get_by_text("1 expert could take this ask this week.").wait_for()
    shot(page, "writing-the-ask")
    page.get_by_text("More options").click()
    page.get_by_label("Context and what you tried").fill("I tried `runserver` on a VM. It **fell over**.")
    page.get_by_label("Preparation question 1").fill("Which settings matter most in production?")
    page.get_by_label("Async answer").check()
    page.get_by_label("Today").check()
    shot(page, "more-options")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_load_state()
    ask = Ask.objects.get(mentee=mentee)
    assert ask.state == AskState.OPEN  # published at once; the worker finds the experts
    assert page.locator("[data-ask-status]").inner_text() == "Published: we are finding the right experts."
    shot(page, "published-finding-experts")
    assert run_pending_tasks() >= 1  # the worker's first round
    ask.refresh_from_db()
    assert ask.state == AskState.OFFERED
    # The page looked again by itself (asks/finding.js) and shows it, without a click.
    status = page.locator("[data-ask-status]")
    status.filter(has_text="Offered to 1 expert;").wait_for()
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
    # "Save and publish" is one step: no draft line before it.
    assert kinds[0] == "published" and "created" not in kinds
    assert "accepted" in kinds and kinds[-1] == "completed"


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_it_writes_an_ask_with_the_searchable_pickers(page, live_server, shot, viewport):
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    django = SkillFactory(name="Django", slug="django")
    SkillFactory(name="PostgreSQL", slug="postgresql")
    mentee = UserFactory(email="mina.mentee@example.org", with_profile=False)
    ProfileFactory(user=mentee, display_name="Mina Mentee")
    verify(mentee)
    mentor = UserFactory(email="theo.expert@example.org", with_profile=False)
    OpenToHelpProfileFactory(user=mentor, display_name="Theo Expert")
    SkillOfferFactory(profile=mentor.profile, skill=django, level=4)

    log_in(page, email=mentee.email, password=PASSWORD)
    page.goto("/asks/new/")
    assert not page_scrolls_sideways(page)
    page.get_by_label("Objective: by the end I can …").fill("tune one slow query")
    page.get_by_label("Title").fill("A slow query")
    page.get_by_label("Preparation question 1").fill("Which index would you try first?")

    # Skills: pick one from the suggestions, type an alias-free name and press Enter, then remove one.
    add_skill = page.get_by_role("combobox", name="Add a skill")
    add_skill.fill("Djan")
    page.get_by_role("option", name="Django").click()
    add_skill.fill("PostgreSQL")
    add_skill.press("Escape")
    add_skill.press("Enter")
    chosen = page.get_by_role("list", name="Chosen skills")
    assert chosen.get_by_role("listitem").all_inner_texts() == ["Django\n×", "PostgreSQL\n×"] or (
        chosen.get_by_role("listitem").count() == 2
    )
    chosen.get_by_role("button", name="Remove PostgreSQL").click()
    assert chosen.get_by_role("listitem").count() == 1
    page.get_by_text("1 expert could take this ask this week.").wait_for()

    # Languages: a search box with chips instead of a 46-item list that needs Ctrl-click.
    page.get_by_text("More options").click()
    languages = page.get_by_role("combobox", name="Languages")
    languages.fill("germ")
    page.get_by_role("option", name="German").click()
    languages.fill("fren")
    page.get_by_role("option", name="French").wait_for()
    languages.press("ArrowDown")
    languages.press("Enter")
    language_chips = page.get_by_role("list", name="Chosen languages")
    assert language_chips.get_by_role("listitem").count() == 2
    language_chips.get_by_role("button", name="Remove French").click()
    assert not page_scrolls_sideways(page)
    shot(page, f"pickers-{width}")

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    ask = Ask.objects.get(mentee=mentee)
    assert [s.name for s in ask.skills.all()] == ["Django"]
    assert [language.name for language in ask.languages.all()] == ["German"]
    assert not page_scrolls_sideways(page)
