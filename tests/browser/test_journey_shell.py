"""The app shell in real Chromium, on a desktop and on a phone: grouped menus, the user menu, the bell,
"/" to search from the header, and the results page leading to the object."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import NotificationFactory, ProfileFactory, SkillFactory, SkillOfferFactory, UserFactory
from tests.factories_library import LibraryEntryFactory
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _people(*, organiser: bool = False):
    user = UserFactory(email="mina@example.org", is_organiser=organiser, with_profile=False)
    ProfileFactory(user=user, display_name="Mina Mentee")
    postgres = SkillFactory(name="PostgreSQL", slug="postgresql")
    SkillOfferFactory(skill=postgres, profile__display_name="Priya Raman")
    entry = LibraryEntryFactory(title="Reading PostgreSQL plans", skills=[postgres])
    NotificationFactory.create_batch(2, recipient=user, event="account.welcome")
    return user, entry


def _scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def _current(page) -> list[str]:
    return [text.strip() for text in page.locator('header [aria-current="page"]').all_text_contents()]


def _main_nav(page):
    return page.get_by_role("navigation", name="Main")


def test_it_navigates_and_searches_on_a_desktop(page, browser_context, live_server, shot):
    user, entry = _people(organiser=True)
    sign_in(browser_context, live_server, user)
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("library:list"))

    # One header line: brand, the four groups, search, bell and the user menu side by side.
    header = page.locator("header.app-header")
    assert header.bounding_box()["height"] < 80
    for group in ("Get help", "Help others", "Learn", "Organise"):
        assert _main_nav(page).get_by_text(group, exact=True).is_visible()
    assert page.get_by_role("link", name="Notifications, 2 unread").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert _current(page) == ["Library"]
    shot(page, "desktop")

    # A group opens as a drop-down; a click outside and Escape close it.
    learn = _main_nav(page).locator("summary", has_text="Learn")
    learn.click()
    assert page.get_by_role("link", name="Kudos").is_visible()
    shot(page, "learn-open")
    page.locator("footer").click()
    assert not page.get_by_role("link", name="Kudos").is_visible()
    _main_nav(page).locator("summary", has_text="Help others").click()
    assert page.get_by_role("link", name="My sessions").is_visible()
    page.keyboard.press("Escape")
    assert not page.get_by_role("link", name="My sessions").is_visible()

    # Opening one menu closes the other.
    learn.click()
    _main_nav(page).locator("summary", has_text="Organise").click()
    assert not page.get_by_role("link", name="Kudos").is_visible()
    page.get_by_role("link", name="Moderate skills").click()
    page.wait_for_url("**" + reverse("skills:moderation"))
    assert _current(page) == ["Moderate skills"]

    # The user menu: profile, settings, log out.
    page.locator(".user-menu > summary").click()
    assert page.get_by_role("link", name="My profile").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    shot(page, "user-menu")
    page.keyboard.press("Escape")
    assert not page.get_by_role("button", name="Log out").is_visible()

    # "/" focuses the header search (not while typing elsewhere), Escape leaves it.
    page.keyboard.press("/")
    search = page.get_by_role("searchbox", name="Search people, skills, asks and the library")
    assert search.evaluate("el => el === document.activeElement")
    page.keyboard.press("Escape")
    assert not search.evaluate("el => el === document.activeElement")
    page.keyboard.press("/")
    page.keyboard.type("postgresql")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + reverse("today:search") + "?q=postgresql")
    assert page.get_by_role("heading", name="People 1").is_visible()
    assert page.get_by_role("heading", name="Library 1").is_visible()
    shot(page, "results")
    assert not _scrolls_sideways(page)

    page.get_by_role("link", name="Reading PostgreSQL plans").click()
    page.wait_for_url("**" + entry.get_absolute_url())
    assert page.get_by_role("heading", name="Reading PostgreSQL plans").first.is_visible()


def test_it_opens_the_menu_navigates_and_searches_on_a_phone(page, browser_context, live_server, shot):
    user, entry = _people()
    sign_in(browser_context, live_server, user)
    page.set_viewport_size(PHONE)
    page.goto(reverse("library:list"))
    assert not _scrolls_sideways(page)

    # A compact header: brand, search icon, bell and the menu button; the groups are behind the button.
    menu = page.locator(".menu-button")
    assert menu.is_visible()
    assert page.get_by_role("link", name="Notifications, 2 unread").is_visible()
    assert page.get_by_role("banner").get_by_role("button", name="Search").is_visible()
    assert not _main_nav(page).get_by_text("Get help", exact=True).is_visible()
    assert page.locator("header.app-header").bounding_box()["height"] < 80
    assert "Organise" not in page.content()
    shot(page, "phone")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")  # waits: the menu script may still be loading
    # The panel opens on the group of the current page, full width.
    assert page.get_by_role("link", name="Library").is_visible()
    panel = _main_nav(page).bounding_box()
    assert panel["width"] >= PHONE["width"] - 1
    assert not _scrolls_sideways(page)
    shot(page, "phone-menu")
    _main_nav(page).locator("summary", has_text="Get help").click()
    _main_nav(page).get_by_role("link", name="People").click()
    page.wait_for_url("**" + reverse("people:directory"))
    assert not _main_nav(page).get_by_role("link", name="People").is_visible()
    assert not _scrolls_sideways(page)

    # "/" on a phone opens the search page, whose field takes the query.
    page.locator("main h1").first.click()
    page.keyboard.press("/")
    page.wait_for_url("**" + reverse("today:search"))
    field = page.get_by_role("searchbox", name="People, skills, your asks and the library")
    assert field.evaluate("el => el === document.activeElement")
    assert page.get_by_text("Find help, people and answers").is_visible()
    page.keyboard.type("postgresql")
    page.keyboard.press("Enter")
    page.wait_for_url("**?q=postgresql")
    assert not _scrolls_sideways(page)
    shot(page, "phone-results")
    page.get_by_role("link", name="Priya Raman").click()
    page.wait_for_url("**/people/*/")
    assert page.get_by_role("heading", name="Priya Raman").first.is_visible()
    assert not _scrolls_sideways(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_menus_work_without_javascript(browser, live_server, viewport):
    user, _ = _people()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=viewport)
    try:
        sign_in(context, live_server, user)
        page = context.new_page()
        page.goto(reverse("library:list"))
        nav = _main_nav(page)
        if viewport is PHONE:
            assert not nav.is_visible()
            page.locator(".menu-button").click()
        assert nav.locator("summary", has_text="Get help").is_visible()
        nav.locator("summary", has_text="Get help").click()
        nav.get_by_role("link", name="Office hours").click()
        page.wait_for_url("**" + reverse("officehours:week"))
        page.locator(".user-menu > summary").click()
        page.get_by_role("button", name="Log out").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Log in").first.is_visible()
    finally:
        context.close()
