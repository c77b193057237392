"""The journey the product is built around: join, confirm the address, turn on "open to help" with
three skills, and be found by a colleague who searches with an abbreviation ("k8s")."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from openhelp.demo.data import DEMO_PASSWORD, MENTEE_EMAIL
from openhelp.demo.services import seed_demo
from tests.factories import OpenToHelpProfileFactory, SkillFactory, SkillOfferFactory, UserFactory
from tests.harness.browser import log_in, sign_in
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.browser

NAME = "Nadia Haddad"
EMAIL = "nadia.haddad@example.org"
PASSWORD = "tangerine-lighthouse-42"


def test_it_takes_a_new_person_from_sign_up_to_being_found_by_a_skill_alias(
    page, browser_context, live_server, shot, mailoutbox
):
    seed_demo(people=25, seed=5)  # colleagues already on the platform, some of them k8s experts

    # 1. Sign up from the home page.
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Your name").fill(NAME)
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    # The time zone comes from the browser (this context runs in Europe/Berlin).
    assert page.locator("input[name=timezone]").input_value() == "Europe/Berlin"
    shot(page, "sign-up-form")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()
    assert "/accounts/signup" not in page.url, _errors(page)
    shot(page, "verification-sent")

    # 2. The verification e-mail is sent by the background worker; follow its link.
    assert run_pending_tasks() >= 1
    message = next(m for m in mailoutbox if EMAIL in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    page.goto(urlsplit(link.group(0)).path)
    shot(page, "confirm-email")
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    page.wait_for_load_state()
    if not page.locator(".user-menu").is_visible():  # signed in: the user menu is in the header
        log_in(page, email=EMAIL, password=PASSWORD)
    assert page.locator(".user-menu").is_visible(), _errors(page)
    shot(page, "confirmed-and-logged-in")

    # 3. Turn on "open to help" with three skills: one picked from the autocomplete, one typed in
    # full, one typed as an alias the server resolves ("Golang" → Go).
    page.goto(reverse("people:open-to-help"))
    page.get_by_label("I'm open to help").check()
    page.get_by_label("Async answer").check()
    page.get_by_label("30-minute call").check()
    page.get_by_label("Sessions per week").fill("2")

    skill = page.locator("[name=offers-0-skill]")
    skill.fill("Kuber")
    page.get_by_role("option", name=re.compile("^Kubernetes")).first.click()
    assert skill.input_value() == "Kubernetes"
    page.locator("[name=offers-0-level]").select_option("4")
    page.locator("[name=offers-0-note]").fill("Cluster upgrades and debugging CrashLoopBackOff.")

    for index, (typed, level) in enumerate([("Terraform", "3"), ("Golang", "2")], start=1):
        page.get_by_role("button", name="Add another skill").click()
        row_skill = page.locator(f"[name=offers-{index}-skill]")
        row_skill.fill(typed)
        row_skill.press("Escape")  # close the suggestions; the typed name stands
        page.locator(f"[name=offers-{index}-level]").select_option(level)
    assert not page_scrolls_sideways(page)
    shot(page, "open-to-help-form")
    page.get_by_role("button", name="Save").last.click()
    page.wait_for_load_state()
    assert page.get_by_text("You are open to help").first.is_visible(), _errors(page)
    for name in ("Kubernetes", "Terraform", "Go"):
        assert page.get_by_text(name, exact=True).first.is_visible()
    shot(page, "profile-open-to-help")

    # 4. A colleague searches the directory for "k8s" and finds her.
    log_out(page)
    log_in(page, email=MENTEE_EMAIL, password=DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").locator("summary", has_text="Get help").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    search = page.get_by_role("search", name="Find people")
    skill_filter = search.locator("input[name=skill]")
    skill_filter.fill("k8s")
    skill_filter.press("Escape")  # search with the alias itself, not a suggestion
    search.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert "skill=k8s" in page.url
    card = page.get_by_role("main").get_by_role("link", name=NAME, exact=True).first
    assert card.is_visible(), page.locator("main").inner_text()
    shot(page, "found-by-alias")

    card.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name=NAME, exact=True).is_visible()
    shot(page, "her-profile")


def log_out(page) -> None:
    button = page.get_by_role("button", name="Log out")
    if not button.is_visible():  # behind the user menu in the header
        page.locator(".user-menu > summary").first.click()
    button.click()
    page.wait_for_load_state()


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_it_edits_several_skills_in_the_table_at_once(page, browser_context, live_server, shot, viewport):
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    python, _ = SkillFactory(name="Python", slug="python"), SkillFactory(name="Kubernetes", slug="kubernetes")
    person = UserFactory(email="ola.open@example.org", with_profile=False)
    OpenToHelpProfileFactory(user=person, display_name="Ola Open")
    SkillOfferFactory(profile=person.profile, skill=python, level=2, note="scripts")
    sign_in(browser_context, live_server, person)

    page.goto(reverse("people:open-to-help"))
    assert not page_scrolls_sideways(page)
    # Change the existing row in place, and add one from the blank row with the skill picker.
    page.locator("[name=offers-0-level]").select_option("4")
    new_skill = page.locator("[name=offers-1-skill]")
    new_skill.fill("Kuber")
    page.get_by_role("option", name=re.compile("^Kubernetes")).first.click()
    page.locator("[name=offers-1-level]").select_option("3")
    page.get_by_text("60-minute call").click()  # a format chip
    shot(page, f"table-{width}")
    page.get_by_role("button", name="Save", exact=True).last.click()
    page.wait_for_load_state()
    assert page.get_by_text("You are open to help").first.is_visible(), _errors(page)
    offers = {o.skill.name: o.level for o in person.profile.skills_offered.select_related("skill")}
    assert offers == {"Python": 4, "Kubernetes": 3}
    person.profile.refresh_from_db()
    assert "call60" in person.profile.formats

    # A row with a problem says so on that row, and nothing typed is lost.
    page.goto(reverse("people:open-to-help"))
    page.locator("[name=offers-2-skill]").fill("Klingon")
    page.locator("[name=offers-2-skill]").press("Escape")
    page.locator("[name=offers-2-level]").select_option("5")
    page.get_by_role("button", name="Save", exact=True).last.click()
    page.wait_for_load_state()
    row = page.locator("tr.offer-row.has-error")
    assert row.count() == 1
    assert "Klingon" in row.inner_text() or row.locator("[name=offers-2-skill]").input_value() == "Klingon"
    assert not page_scrolls_sideways(page)
    shot(page, f"row-error-{width}")


def _errors(page) -> str:
    """What the page says is wrong, for a useful failure message."""
    alerts = page.locator("[role=alert], .errorlist")
    return " | ".join(alerts.all_inner_texts()) or page.locator("main").inner_text()[:1000]
