"""Issue 13, item 6: on every own page, for every demo role, in real Chromium on a phone (390 × 844):
axe-core finds no critical or serious WCAG 2.2 A/AA violation (touch targets of 24 px included), nothing
scrolls sideways, no sentence is split into flex columns and no script fails. Half the checks run in the dark
theme (``colour_scheme``).

The pages come from tests/harness/pages.py (tests/web/test_every_page.py keeps that list complete).
One test per role: one context signed in once, one tab reused for every page, so the whole check stays
fast; a page that shows every signed-in role the same thing (``shared`` in the list) is checked once,
signed in as one member role (opening it as the other two as well, for the overflow check alone, was 64
page loads a run that could not differ but for the header, which each role's own pages check). A failure
lists each page with the rule and the elements (or the elements wider than the screen), and leaves a
screenshot of each failing page in test-artifacts/screenshots/.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import axe_playwright_python
import pytest
import time_machine
from django.urls import reverse

from openhelp.demo.data import DEMO_PASSWORD
from tests.harness import pages
from tests.harness.browser import DEFAULT_TIMEOUT_MS, SCREENSHOTS, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Installed once per context as an init script: Chromium keeps it and runs it in every page before the
# page's own scripts, outside the page's Content-Security-Policy (sending it again for each page took half a
# megabyte over the driver's pipe each time).
AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = ["critical", "serious"]
NODES_SHOWN = 4
# axe.run, keeping only what fails the check: the full result (every rule's metadata, checks and HTML
# snippets) took about 15 ms of Python a page to come over the driver's pipe and be decoded.
AXE_RUN = """async ([options, impacts, shown]) => {
  const results = await axe.run(document, options);
  return results.violations.filter((violation) => impacts.includes(violation.impact)).map((violation) => ({
    id: violation.id, impact: violation.impact, help: violation.help, count: violation.nodes.length,
    nodes: violation.nodes.slice(0, shown).map((node) => ({target: node.target, summary: node.failureSummary})),
  }));
}"""

# The elements that stick out past the right edge of the screen and are not inside a box that scrolls or
# clips them, outermost causes first (an element whose parent fits the screen). An absolutely positioned
# element escapes every such box up to its containing block (a visually hidden label in a scrolling table
# widens the page).
OVERFLOW = """() => {
  const limit = window.innerWidth + 1;
  const width = document.documentElement.scrollWidth;
  if (width <= limit) return null;
  const clipped = (element) => {
    let escaping = getComputedStyle(element).position === "absolute";
    if (getComputedStyle(element).position === "fixed") return false;
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (escaping && style.position === "static") continue;
      if (style.overflowX !== "visible") return true;
      if (style.position === "fixed") return false;
      escaping = style.position === "absolute";
    }
    return false;
  };
  const describe = (element, depth = 3) => {
    const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
      [...element.classList].slice(0, 3).map((c) => "." + c).join("");
    const parent = element.parentElement;
    return depth > 1 && parent && parent !== document.body ? describe(parent, depth - 1) + " > " + name : name;
  };
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right <= limit || (box.width === 0 && box.height === 0) || clipped(element)) continue;
    const parentBox = element.parentElement.getBoundingClientRect();
    wide.push({where: describe(element), right: Math.round(box.right), cause: parentBox.right <= limit});
  }
  wide.sort((a, b) => (b.cause - a.cause) || (b.right - a.right));
  return {width: width, wide: wide.slice(0, 5)};
}"""

# Sentence containers laid out as a flex or grid box whose own text sits beside a link, a time or an
# emphasis: each becomes a column of its own, so "Note: you are logged in as <strong>…</strong>" reads as
# three columns (the kudos and debrief notices did, when .message was a flex box).
SPLIT_SENTENCES = """() => {
  const inline = new Set(["A", "TIME", "STRONG", "EM", "B", "I", "CODE", "ABBR", "KBD", "MARK", "SMALL", "Q"]);
  const split = [];
  for (const element of document.body.querySelectorAll("p, .message, dd, td, th, label, legend, figcaption")) {
    const display = getComputedStyle(element).display;
    if (!display.includes("flex") && !display.includes("grid")) continue;
    const words = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
    if (words && [...element.children].some((child) => inline.has(child.tagName))) {
      split.push(element.tagName.toLowerCase() + [...element.classList].map((c) => "." + c).join("") + ": " +
        element.textContent.trim().replace(/\\s+/g, " ").slice(0, 80));
    }
  }
  return split;
}"""


# The demo site administrator's few pages (company login, SCIM) ride along the organiser's run: one more
# sign-in in the same tab, not a run (a seeding and a browser context) of their own.
RIDES_ALONG = {"organiser": pages.SITE_ADMIN}


def colour_scheme(page_name: str, role: str) -> str:
    """Each page is checked in one colour scheme per role, the same every run: half the checks in the dark
    theme, at no extra cost (both themes passed for every page and role on 2026-12-07)."""
    return "dark" if zlib.crc32(f"{page_name} {role}".encode()) % 2 else "light"


@pytest.mark.parametrize("role", pages.ROLES)
def test_every_page_is_accessible_and_fits_a_phone(role, browser, live_server, request):
    with time_machine.travel(pages.NOW, tick=True):
        world = pages.build_demo_world()
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-GB",
            timezone_id="Europe/Berlin",
            viewport=PHONE,
            reduced_motion="reduce",  # no transition half-way through when axe measures contrast
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.add_init_script(AXE_SCRIPT)
        try:
            tab = context.new_page()
            script_errors: list[str] = []
            tab.on("pageerror", lambda error: script_errors.append(str(error)))
            problems = []
            for who in (role, *([RIDES_ALONG[role]] if role in RIDES_ALONG else [])):
                if who != role:
                    tab.context.clear_cookies()
                if who != "anonymous":
                    _sign_in(tab, world.users[who].email)
                for page in [page for page in pages.pages_of(who) if page.checked_by(who)]:
                    script_errors.clear()
                    tab.emulate_media(color_scheme=colour_scheme(page.name, who))
                    found = _check(tab, page, who, page.address(world, who))
                    found += [f"{page.name}: script error: {error}" for error in script_errors]
                    if found:
                        problems.append("\n".join(found))
                        _keep_evidence(tab, request.node.name, page.name)
        finally:
            context.close()

    assert not problems, f"{len(problems)} page(s) fail for the {role}:\n" + "\n".join(problems)


def _sign_in(tab, email: str) -> None:
    """The login form, then the password again: a fresh login, as two-factor set-up asks for."""
    log_in(tab, email=email, password=DEMO_PASSWORD)
    tab.goto(reverse("account_reauthenticate"))
    tab.locator("input[name=password]").fill(DEMO_PASSWORD)
    tab.locator("form:has(input[name=password]) [type=submit]").click()
    tab.wait_for_load_state()
    assert not tab.url.endswith(reverse("account_reauthenticate")), f"{email} could not confirm the password"


def _check(tab, page: pages.Page, role: str, url: str) -> list[str]:
    response = tab.goto(url)
    where = f"{page.name} {url}"
    if response is None or response.status != page.status:
        return [f"{where}: answered {response and response.status}, not {page.status}"]
    if not page.redirects and not tab.url.endswith(url):
        return [f"{where}: went to {tab.url}"]
    if page.ready:
        tab.locator(page.ready).first.wait_for()
    found = []
    overflow = tab.evaluate(OVERFLOW)
    if overflow:
        found.append(f"{where}: {overflow['width']} px wide at {PHONE['width']} px; sticking out:")
        found.extend(f"    {item['where']} (right edge {item['right']} px)" for item in overflow["wide"])
    found.extend(
        f"{where}: a sentence split into columns: {split}" for split in tab.evaluate(SPLIT_SENTENCES)
    )
    for violation in tab.evaluate(AXE_RUN, [AXE_OPTIONS, FAILING_IMPACTS, NODES_SHOWN]):
        found.append(f"{where}: axe {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())[:200]
            found.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        if violation["count"] > NODES_SHOWN:
            found.append(f"    … and {violation['count'] - NODES_SHOWN} more")
    return found


def _keep_evidence(tab, test_name: str, page_name: str) -> None:
    folder = SCREENSHOTS / "".join(c if c.isalnum() or c in "-_." else "-" for c in test_name)
    folder.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(folder / f"{page_name.replace(':', '-')}.png"), full_page=True)


def test_every_role_meets_both_colour_schemes():
    for role in pages.ROLES:
        schemes = [colour_scheme(page.name, role) for page in pages.pages_of(role) if page.checked_by(role)]
        assert 0.3 < schemes.count("dark") / len(schemes) < 0.7, role
