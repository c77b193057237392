"""E-mails wear the design system's brand colour (inline, since mail clients read no CSS variables),
with enough contrast for white text on the button and for the links (WCAG AA, 4.5:1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openhelp.platform.notifications import services
from openhelp.platform.notifications.emails import EMAIL_COLOURS, build_email

pytestmark = pytest.mark.django_db

APP_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def _token(css: str, name: str) -> str:
    """A light-theme token's colour, following var(--other) to its hex value."""
    value = re.search(rf"--{name}:\s*([^;]+);", css).group(1).strip()
    while value.startswith("var("):
        value = re.search(rf"--{value[6:-1]}:\s*([^;]+);", css).group(1).strip()
    return value.lower()


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_email_colours_are_the_design_systems_brand():
    css = APP_CSS.read_text()
    assert EMAIL_COLOURS["brand"] == _token(css, "brand")
    assert EMAIL_COLOURS["link"] == _token(css, "brand-strong")


def test_the_email_colours_are_readable():
    assert _contrast(EMAIL_COLOURS["on_brand"], EMAIL_COLOURS["brand"]) >= 4.5
    for background in ("#ffffff", "#fbfbfd"):  # the card and the page behind it
        assert _contrast(EMAIL_COLOURS["link"], background) >= 4.5


def test_an_email_button_and_links_use_the_brand_colour(owner):
    [note] = services.notify(
        recipients=[owner],
        event="skill.proposal.approved",
        title="Your skill “Terraform” was approved",
        body="Everyone can now find it.",
        url="/skills/terraform/",
        context={"skill": "Terraform"},
    )
    html = build_email(note).alternatives[0][0]
    button = re.search(r'<a href="http://[^"]+/skills/terraform/" style="([^"]+)"', html).group(1)
    assert f"background:{EMAIL_COLOURS['brand']}" in button
    assert f"color:{EMAIL_COLOURS['link']}" in html
    assert "#0b6bcb" not in html
