"""Browser journeys in real Chromium: Playwright's sync API against pytest-django's live server.

Use from a conftest (tests/browser/conftest.py imports these fixtures)::

    @pytest.mark.browser
    def test_it_…(page, live_server, shot):
        page.goto(live_server.url)
        shot(page, "home")

Chromium is Debian's (installed by scripts/ensure_chromium.sh when missing); Playwright never downloads a
browser. The tests drive Debian's headless shell (package chromium-headless-shell): the same Chromium release,
Blink and V8 as /usr/bin/chromium, built without the desktop browser around them — the build Playwright itself
runs for headless tests. The full browser took 2.6 times its CPU for the same journeys (docs/benchmarks.md,
"The browser half"); it still walks one journey (tests/browser/test_smoke.py) and takes the README's
screenshots. ``CHROMIUM_PATH`` picks another binary. One browser per test process, a fresh context per test.
Screenshots go to test-artifacts/screenshots/<test>/NN-name.png (git-ignored) when ``OTH_SCREENSHOTS=1``
is set: a full-page PNG costs Chromium about 0.14 s of CPU and the journeys take about sixty, none of
which a test asserts on. A failing test always leaves a screenshot and the page HTML there.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the test thread; Django's ORM would then refuse
# every query from the test itself ("SynchronousOnlyOperation"), although nothing runs concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent.parent
FULL_CHROMIUM = Path("/usr/bin/chromium")
HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", HEADLESS_SHELL))
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000
# The API docs draw their operations only once the server has generated the whole OpenAPI schema (about
# 1.5 s of CPU) and Swagger UI has parsed it: on a loaded machine (a PostgreSQL run beside other work, load
# average 15) that took longer than the default.
API_DOCS_DRAWN_MS = 90_000
SCREENSHOTS_WANTED = os.environ.get("OTH_SCREENSHOTS", "") not in ("", "0")


def ensure_chromium(executable: Path = CHROMIUM) -> Path:
    """Install Chromium once if it is missing; a lock keeps parallel test workers from racing apt."""
    if executable.exists():
        return executable
    lock_path = ROOT / "data" / ".chromium-install.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not executable.exists():
            subprocess.run(["sh", str(ROOT / "scripts" / "ensure_chromium.sh")], check=True, timeout=900)
    return executable


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator:
    """One Playwright per test process (a second one in the same process is refused)."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        yield playwright
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator:
    chromium = launch(playwright_driver, ensure_chromium())
    try:
        with static_files_kept_by_the_browser():
            yield chromium
    finally:
        chromium.close()


def launch(playwright, executable: Path):
    return playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)


@contextmanager
def static_files_kept_by_the_browser() -> Iterator[None]:
    """Let Chromium keep the live server's static files for an hour instead of asking for each again on
    every page (eight or nine conditional requests a page, each a round trip through the browser, the driver and
    the server thread).

    The live server answers /static/ with Django's development view: a Last-Modified and no Cache-Control,
    so Chromium guesses a freshness from the file's age, and under ``time_machine.travel`` (the server's
    clock days behind the browser's) the Date header makes every file look stale at once. The answer gets
    an explicit lifetime and the real Date; the files cannot change during a test run.
    """
    import time_machine
    from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin
    from django.utils.http import http_date

    serve = StaticFilesHandlerMixin.serve

    def serve_for_an_hour(self, request):
        response = serve(self, request)
        response["Cache-Control"] = "max-age=3600"
        hatch = time_machine.escape_hatch
        response["Date"] = http_date(hatch.time.time() if hatch.is_travelling() else time.time())
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StaticFilesHandlerMixin, "serve", serve_for_an_hour)
        yield


@pytest.fixture
def browser_context(browser, live_server, django_db_serialized_rollback) -> Iterator:
    """A fresh, cookie-less context per test, its base URL on the live server.

    Serialized rollback puts rows created by data migrations (languages, …) back after the
    transactional test flushes the database, so later tests still find them.
    """
    context = new_context(browser, live_server)
    try:
        yield context
    finally:
        context.close()


def new_context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/Berlin",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture
def policy_problems() -> list[str]:
    """What the browser blocked or rejected under the page's policies (the ``page`` fixture fails on any)."""
    return []


@pytest.fixture
def page(browser_context, request, policy_problems) -> Iterator:
    """A page that fails the test on an uncaught JavaScript error, on anything the Content-Security-Policy
    or Permissions-Policy blocks or rejects, and on an HTML page served without those two headers; it
    keeps evidence of failures."""
    with checked_page(browser_context, request, policy_problems) as page:
        yield page


@pytest.fixture
def full_browser_page(
    playwright_driver, live_server, django_db_serialized_rollback, request, policy_problems
):
    """The ``page`` fixture in Debian's full browser (/usr/bin/chromium) instead of the headless shell."""
    chromium = launch(playwright_driver, ensure_chromium(FULL_CHROMIUM))
    try:
        with checked_page(new_context(chromium, live_server), request, policy_problems) as page:
            yield page
    finally:
        chromium.close()


@contextmanager
def checked_page(browser_context, request, policy_problems: list[str]) -> Iterator:
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _note_policy_message(message, policy_problems))
    page.on("response", lambda response: _check_security_headers(response, policy_problems))
    # A blocked inline script or style, eval() or a foreign resource fires "securitypolicyviolation";
    # the listener is installed before any page script runs (init scripts are exempt from the policy).
    page.expose_function("__reportPolicyViolation", lambda text: policy_problems.append(text))
    page.add_init_script(VIOLATION_LISTENER)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = _screenshot_folder(request.node.name)
        page.screenshot(path=str(folder / "failure.png"), full_page=True)
        (folder / "failure.html").write_text(page.content())
    if not page.is_closed():
        page.evaluate("0")  # one round trip, so violations reported by the page so far have arrived
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not policy_problems, f"Content-Security-Policy / Permissions-Policy problems: {policy_problems}"


VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__policyViolations = (window.__policyViolations || 0) + 1;  // for a test that waits for one
  window.__reportPolicyViolation(
    event.effectiveDirective + " blocked " + (event.blockedURI || "inline") + " on " +
    event.documentURI + (event.sourceFile ? " (" + event.sourceFile + ":" + event.lineNumber + ")" : "") +
    (event.sample ? ": " + event.sample : "")
  );
}, true);
"""


def _note_policy_message(message, problems: list[str]) -> None:
    """Chromium reports CSP refusals and malformed policy headers on the console."""
    text = message.text
    if message.type in ("error", "warning") and (
        "Content Security Policy" in text or "Permissions-Policy" in text or "Permissions policy" in text
    ):
        problems.append(f"console {message.type}: {text}")


def _check_security_headers(response, problems: list[str]) -> None:
    """Every HTML document the journey loads must carry both policies."""
    if response.request.resource_type != "document":
        return
    headers = response.headers  # lower-cased names
    if not headers.get("content-type", "").startswith("text/html"):
        return
    for name in ("content-security-policy", "permissions-policy"):
        if name not in headers:
            problems.append(f"{response.url} ({response.status}) has no {name} header")


@pytest.fixture
def shot(request) -> Callable:
    """``shot(page, "signed-up")`` saves test-artifacts/screenshots/<test>/01-signed-up.png when
    ``OTH_SCREENSHOTS=1``, and does nothing otherwise (a picture for people, not a check)."""
    taken = 0

    def take(page, name: str) -> Path | None:
        nonlocal taken
        taken += 1
        if not SCREENSHOTS_WANTED:
            return None
        path = _screenshot_folder(request.node.name, fresh=taken == 1) / f"{taken:02d}-{_safe(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, *, email: str, password: str) -> None:
    """Log in through the real login form, as a person would."""
    from django.urls import reverse

    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=login]) [type=submit]").click()
    page.wait_for_load_state()


def sign_in(browser_context, live_server, user) -> None:
    """Start ``user``'s session in the browser without the login form (for journeys about other pages)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    browser_context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _screenshot_folder(test_name: str, *, fresh: bool = False) -> Path:
    folder = SCREENSHOTS / _safe(test_name)
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "shot"
