"""Issue 13, item 1: the design system's living style guide, the theme switch and the favicon."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from openhelp.platform.core.views import THEME_COOKIE

pytestmark = pytest.mark.django_db

SECTIONS = [
    "tokens",
    "buttons",
    "forms",
    "searchable-select",
    "chips",
    "badges",
    "avatars",
    "cards",
    "tables",
    "tabs",
    "lists",
    "empty-states",
    "toasts",
    "dialogs",
    "skeletons",
    "icons",
    "code",
    "both-themes",
]


def test_it_shows_every_component_section_to_anyone(client):
    response = client.get(reverse("core:style"))

    assert response.status_code == 200
    html = response.content.decode()
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    assert 'data-theme="light"' in html and 'data-theme="dark"' in html  # the side-by-side previews
    assert 'class="errorlist' in html  # a real Django form with errors
    assert "<svg" in html  # icons inline from the heroicons package
    assert 'action="/theme/"' in html  # the theme switch works without JavaScript


def test_it_shows_the_style_page_to_a_signed_in_person_too(owner_client):
    assert owner_client.get(reverse("core:style")).status_code == 200


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_it_remembers_the_theme_in_a_cookie_and_goes_back(client, choice):
    response = client.post(reverse("core:theme"), {"theme": choice, "next": "/people/?q=sql"})

    assert response.status_code == 302
    assert response["Location"] == "/people/?q=sql"
    cookie = response.cookies[THEME_COOKIE]
    assert cookie.value == choice
    assert cookie["max-age"] >= 30 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"


def test_it_forgets_the_theme_when_the_system_decides(client):
    client.cookies[THEME_COOKIE] = "dark"

    response = client.post(reverse("core:theme"), {"theme": "system", "next": "/style/"})

    assert response.status_code == 302
    assert response.cookies[THEME_COOKIE].value == ""
    assert response.cookies[THEME_COOKIE]["max-age"] == 0


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "",
    ],
)
def test_it_redirects_only_to_a_page_of_this_site(client, next_url):
    response = client.post(reverse("core:theme"), {"theme": "dark", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_goes_back_to_the_referring_page_when_the_form_names_none(client):
    response = client.post(
        reverse("core:theme"), {"theme": "dark"}, headers={"referer": "http://testserver/library/"}
    )

    assert response["Location"] == "http://testserver/library/"


def test_it_refuses_an_unknown_theme(client):
    response = client.post(reverse("core:theme"), {"theme": "sepia", "next": "/"})

    assert response.status_code == 400
    assert THEME_COOKIE not in response.cookies


def test_it_does_not_change_the_theme_on_a_get(client):
    response = client.get(reverse("core:theme"), {"theme": "dark"})

    assert response.status_code == 405
    assert THEME_COOKIE not in response.cookies


def test_it_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("core:theme"), {"theme": "dark", "next": "/"})

    assert response.status_code == 403


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_it_renders_the_chosen_theme_on_the_html_element(client, choice):
    client.cookies[THEME_COOKIE] = choice

    html = client.get(reverse("core:style")).content.decode()

    assert f'<html lang="en" data-theme="{choice}">' in html
    # the switch shows the current choice as pressed, and only that one
    buttons = re.findall(r'<button[^>]*name="theme"[^>]*>', html)
    pressed = [
        re.search(r'value="(\w+)"', button)[1] for button in buttons if 'aria-pressed="true"' in button
    ]
    assert pressed == [choice]


@pytest.mark.parametrize("cookie", [None, "system", '"><script>alert(1)</script>', "sepia"])
def test_it_leaves_the_theme_to_the_system_without_a_valid_choice(client, cookie):
    if cookie is not None:
        client.cookies[THEME_COOKIE] = cookie

    html = client.get(reverse("core:style")).content.decode()

    assert '<html lang="en">' in html
    assert "<script>alert(1)</script>" not in html


def test_it_links_the_favicon_and_the_theme_script_on_every_page(client):
    html = client.get(reverse("core:style")).content.decode()

    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    assert 'href="/static/img/favicon-32.png" sizes="32x32"' in html
    assert '<script src="/static/js/theme.js" defer>' in html
    for path in ("img/favicon.svg", "img/favicon-32.png", "img/apple-touch-icon.png", "js/theme.js"):
        assert finders.find(path), path
