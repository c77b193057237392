"""The skill combobox in real Chromium: keyboard and mouse with JavaScript, plain text without it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.directory.skills.models import Skill
from tests.factories import SkillAliasFactory, SkillFactory
from tests.factories_accounts import verified_user
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def person(transactional_db):
    kubernetes = SkillFactory(name="Kubernetes")
    SkillAliasFactory(skill=kubernetes, name="k8s")
    SkillFactory(name="Kotlin")
    return verified_user("combo@example.org")


def test_it_picks_a_skill_by_alias_with_the_keyboard(page, browser_context, live_server, person):
    sign_in(browser_context, live_server, person)
    page.goto(reverse("skills:propose"))
    field = page.get_by_role("combobox", name="Part of (optional)")
    assert field.get_attribute("aria-expanded") == "false"

    field.press_sequentially("k8", delay=20)
    listbox = page.get_by_role("listbox")
    option = page.get_by_role("option", name="k8s → Kubernetes")
    option.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    assert listbox.is_visible()

    field.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    assert field.get_attribute("aria-activedescendant") == option.get_attribute("id")
    field.press("Enter")  # picks the option and must not submit the form
    assert field.input_value() == "Kubernetes"
    assert field.get_attribute("aria-expanded") == "false"
    assert page.url.endswith(reverse("skills:propose"))

    page.get_by_label("Skill name").fill("Helm")
    page.get_by_role("button", name="Propose").click()
    page.wait_for_url("**/skills/helm/")
    assert Skill.objects.get(name="Helm").parent.name == "Kubernetes"


def test_it_closes_on_escape_and_keeps_what_was_typed(page, browser_context, live_server, person):
    sign_in(browser_context, live_server, person)
    page.goto(reverse("skills:propose"))
    field = page.get_by_role("combobox", name="Part of (optional)")
    field.press_sequentially("K", delay=20)
    page.get_by_role("option", name="Kotlin").wait_for()
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert field.input_value() == "K"


def test_it_resolves_an_alias_typed_with_javascript_off(browser, live_server, person):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        sign_in(context, live_server, person)
        page = context.new_page()
        page.goto(reverse("skills:propose"))
        page.get_by_label("Skill name").fill("Helm")
        page.get_by_label("Part of (optional)").fill("K8S")
        page.get_by_role("button", name="Propose").click()
        page.wait_for_url("**/skills/helm/")
        assert Skill.objects.get(name="Helm").parent.name == "Kubernetes"
    finally:
        context.close()
