#!/usr/bin/env python
"""`make screenshots`: pictures of the main pages for the README, from a fresh demo organisation.

A temporary SQLite database is migrated and seeded with `seed_demo`; `scripts/run_dev.py` serves it on a
free port with the settings `make run` uses; Chromium (Debian's /usr/bin/chromium, the flags of the
browser tests) signs in as the demo mentee, mentor and organiser and takes each page on a desktop
(1280×800) and a phone (390×844), light and dark, into docs/screenshots/<page>-<device>-<scheme>.png.
Only the viewport is taken, to keep the files small. Nothing of the temporary organisation is kept.

    scripts/screenshots.py                      # every page
    scripts/screenshots.py --pages today inbox  # some pages
    scripts/screenshots.py --dry-run            # list what would be taken, start nothing
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openhelp.demo.data import DEMO_PASSWORD, MENTEE_EMAIL, MENTOR_EMAIL, ORGANISER_EMAIL  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
ROLES = {"mentee": MENTEE_EMAIL, "mentor": MENTOR_EMAIL, "organiser": ORGANISER_EMAIL}
DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SCHEMES: dict[str, Literal["light", "dark"]] = {"light": "light", "dark": "dark"}
# The environment `make run` gives the server (the Makefile's DEV_ENV), on a database of our own.
DEV_ENV = {"OTH_ENV": "development", "DEBUG": "True", "SECRET_KEY": "dev-only-insecure-key"}
READY_TIMEOUT_SECONDS = 90
PAGE_TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class Page:
    name: str  # the file name's first part
    role: str  # who looks at it
    url_name: str  # reverse() name
    find: str = ""  # name of a function below that returns reverse()'s args, for a page about one object
    query: str = ""
    fragment: str = ""  # an element's id: the browser scrolls the page to it
    full_page: bool = False


PAGES = [
    Page("today", "mentee", "today:home"),
    Page("ask-form", "mentee", "asks:new"),
    Page("ask-thread", "mentee", "asks:detail", find="ask_with_thread", fragment="thread"),
    Page("inbox", "mentor", "routing:inbox"),
    Page("office-hours-week", "mentee", "officehours:week"),
    Page("session", "mentee", "mentoring:detail", find="upcoming_session"),
    Page("directory", "mentee", "people:directory"),
    Page("profile", "mentee", "people:detail", find="mentor_profile"),
    Page("skill", "mentee", "skills:detail", find="most_offered_skill"),
    Page("insights", "organiser", "insights:dashboard"),
]


@dataclass(frozen=True)
class Shot:
    page: Page
    device: str
    scheme: str

    @property
    def filename(self) -> str:
        return f"{self.page.name}-{self.device}-{self.scheme}.png"


def plan(pages: list[Page], devices: list[str], schemes: list[str]) -> list[Shot]:
    return [Shot(page, device, scheme) for page in pages for device in devices for scheme in schemes]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Screenshots of the main pages from a fresh demo organisation."
    )
    names = [page.name for page in PAGES]
    parser.add_argument(
        "--pages", nargs="+", choices=names, default=names, metavar="PAGE", help=", ".join(names)
    )
    parser.add_argument("--devices", nargs="+", choices=list(DEVICES), default=list(DEVICES))
    parser.add_argument("--schemes", nargs="+", choices=SCHEMES, default=list(SCHEMES))
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNG files (default {OUT})")
    parser.add_argument("--dry-run", action="store_true", help="list the screenshots and stop")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and server log")
    return parser.parse_args(argv)


# --- The objects some pages are about (run in this process, on the temporary database) -----------------


def ask_with_thread() -> tuple:
    from django.db.models import Count

    from openhelp.help.asks.models import Ask

    ask = (
        Ask.objects.filter(mentee__email=MENTEE_EMAIL)
        .annotate(replies=Count("messages"))
        .order_by("-replies", "-pk")
        .first()
    )
    if ask is None:
        raise LookupError("the demo mentee has no ask")
    return (ask.pk,)


def upcoming_session() -> tuple:
    from openhelp.help.mentoring.models import Session, SessionState
    from openhelp.platform.lib.clock import now

    mine = Session.objects.filter(mentee__email=MENTEE_EMAIL)
    session = (
        mine.filter(state=SessionState.PLANNED, starts_at__gte=now()).order_by("starts_at").first()
        or mine.filter(state=SessionState.PLANNED).first()
        or mine.first()
    )
    if session is None:
        raise LookupError("the demo mentee has no session")
    return (session.pk,)


def mentor_profile() -> tuple:
    from openhelp.directory.people.models import Profile

    return (Profile.objects.get(user__email=MENTOR_EMAIL).pk,)


def most_offered_skill() -> tuple:
    from django.db.models import Count

    from openhelp.directory.skills.models import Skill

    return (Skill.objects.annotate(n=Count("offers")).order_by("-n", "pk").values_list("slug", flat=True)[0],)


FINDERS: dict[str, Callable[[], tuple]] = {
    "ask_with_thread": ask_with_thread,
    "upcoming_session": upcoming_session,
    "mentor_profile": mentor_profile,
    "most_offered_skill": most_offered_skill,
}


def resolve_urls(pages: list[Page]) -> dict[str, str]:
    """Each page's path on the temporary database (Django set up in this process, before any browser)."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.urls import reverse

    return {
        page.name: reverse(page.url_name, args=FINDERS[page.find]() if page.find else ())
        + (f"?{page.query}" if page.query else "")
        + (f"#{page.fragment}" if page.fragment else "")
        for page in pages
    }


# --- The temporary organisation and its server ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(folder: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_", "DATABASE_", "DJANGO_", "SITE_"))
    }
    env.update(
        DEV_ENV,
        DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}",
        EMAIL_BACKEND="file",
        EMAIL_FILE_PATH=str(folder / "mail"),
        PYTHONUNBUFFERED="1",
    )
    return env


def seed(env: dict[str, str], log: Path) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    with log.open("a") as out:
        for command in (["migrate", "--no-input", "--verbosity", "0"], ["seed_demo"]):
            subprocess.run(
                [*manage, *command], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=True
            )


def wait_for_server(url: str, server: subprocess.Popen, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with opener.open(f"{url}/healthz", timeout=2) as response:
                if json.loads(response.read()).get("database", {}).get("status") == "ok":
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"The server did not start; its log:\n{log.read_text()}")


@dataclass(frozen=True)
class Organisation:
    url: str
    env: dict[str, str]
    folder: Path


@contextmanager
def demo_organisation(keep: bool) -> Iterator[Organisation]:
    folder = Path(tempfile.mkdtemp(prefix="oth-screenshots-"))
    log = folder / "server.log"
    env = server_environment(folder)
    server = None
    try:
        print("Seeding a demo organisation…", flush=True)
        seed(env, log)
        port = free_port()
        with log.open("a") as out:
            server = subprocess.Popen(
                [sys.executable, str(ROOT / "scripts" / "run_dev.py"), "--noreload", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        wait_for_server(url, server, log)
        yield Organisation(url=url, env=env, folder=folder)
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGINT)  # run_dev.py stops the web server and the worker
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if keep:
            print(f"Kept {folder} (database, e-mails, server log).")
        else:
            shutil.rmtree(folder, ignore_errors=True)


# --- The browser -----------------------------------------------------------------------------------------


def sign_in(browser: Any, base_url: str, email: str) -> Any:
    """Log in through the real form once; the cookies are reused by every context of that role."""
    context = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/Berlin")
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("form:has(input[name=login]) [type=submit]").click()
        page.wait_for_load_state()
        if "/accounts/login/" in page.url:
            raise RuntimeError(f"Could not sign in as {email}.")
        return context.storage_state()
    finally:
        context.close()


def take(shots: list[Shot], urls: dict[str, str], base_url: str, out: Path) -> list[str]:
    """Take every shot; return the problems seen (error statuses, script errors, sideways scrolling)."""
    from playwright.sync_api import sync_playwright

    from tests.harness.browser import CHROMIUM_ARGS, FULL_CHROMIUM, ensure_chromium

    problems: list[str] = []
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(ensure_chromium(FULL_CHROMIUM)), headless=True, args=CHROMIUM_ARGS
        )
        try:
            states = {
                role: sign_in(browser, base_url, ROLES[role]) for role in {shot.page.role for shot in shots}
            }
            for shot in shots:
                context = browser.new_context(
                    base_url=base_url,
                    locale="en-GB",
                    timezone_id="Europe/Berlin",
                    color_scheme=SCHEMES[shot.scheme],
                    reduced_motion="reduce",
                    device_scale_factor=1,
                    storage_state=states[shot.page.role],
                    **DEVICES[shot.device],
                )
                context.set_default_timeout(PAGE_TIMEOUT_MS)
                try:
                    problems += take_one(context, shot, urls[shot.page.name], out)
                finally:
                    context.close()
        finally:
            browser.close()
    return problems


def take_one(context, shot: Shot, path: str, out: Path) -> list[str]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    problems: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"{shot.filename}: script error {error}"))
    response = page.goto(path)
    if response is None or response.status >= 400:
        problems.append(f"{shot.filename}: {path} answered {response.status if response else 'nothing'}")
    with suppress(PlaywrightTimeout):  # a page that keeps polling is still worth a picture
        page.wait_for_load_state("networkidle", timeout=5_000)
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        problems.append(f"{shot.filename}: {path} scrolls sideways")
    page.screenshot(
        path=str(out / shot.filename), full_page=shot.page.full_page, animations="disabled", caret="hide"
    )
    print(f"  {shot.filename}", flush=True)
    return problems


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pages = [page for page in PAGES if page.name in args.pages]
    shots = plan(pages, args.devices, args.schemes)
    if args.dry_run:
        for shot in shots:
            target = f"{shot.page.url_name}" + (f" ({shot.page.find})" if shot.page.find else "")
            print(f"{args.out / shot.filename}  as {shot.page.role}: {target}")
        return 0

    started = time.monotonic()
    with demo_organisation(args.keep) as organisation:
        os.environ.update(organisation.env)  # the server's settings and database, for resolve_urls
        urls = resolve_urls(pages)
        print(f"Taking {len(shots)} screenshots into {args.out}…", flush=True)
        problems = take(shots, urls, organisation.url, args.out)
    print(f"Done in {time.monotonic() - started:.0f} s.")
    for problem in problems:
        print(f"Problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
