"""scripts/screenshots.py (`make screenshots`): its list of pages and files, without taking any picture."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).resolve().parent.parent.parent


def _load_screenshots():
    spec = importlib.util.spec_from_file_location("scripts_screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


screenshots = _load_screenshots()


def test_every_main_page_is_taken_on_a_desktop_and_a_phone_in_light_and_dark():
    shots = screenshots.plan(screenshots.PAGES, list(screenshots.DEVICES), list(screenshots.SCHEMES))
    names = [shot.filename for shot in shots]

    assert {page.name for page in screenshots.PAGES} == {
        "today", "ask-form", "ask-thread", "inbox", "office-hours-week", "session", "directory", "profile",
        "insights", "skill",
    }  # fmt: skip
    assert len(names) == len(set(names)) == 10 * 2 * 2
    assert all(re.fullmatch(r"[a-z-]+-(desktop|phone)-(light|dark)\.png", name) for name in names)
    assert screenshots.DEVICES["phone"]["viewport"] == {"width": 390, "height": 844}
    assert screenshots.DEVICES["desktop"]["viewport"] == {"width": 1280, "height": 800}


@pytest.mark.parametrize("page", screenshots.PAGES, ids=lambda page: page.name)
def test_each_page_names_a_url_a_role_and_how_to_find_its_object(page):
    assert page.role in screenshots.ROLES
    if page.find:
        assert page.find in screenshots.FINDERS
        reverse(page.url_name, args=[1])
    else:
        try:
            reverse(page.url_name)
        except NoReverseMatch:  # pragma: no cover - the message is the point
            pytest.fail(f"{page.url_name} needs arguments: give the page a finder")


def test_the_server_gets_the_settings_of_make_run_on_a_database_of_its_own(tmp_path):
    env = screenshots.server_environment(tmp_path)
    makefile = (ROOT / "Makefile").read_text()

    for name, value in screenshots.DEV_ENV.items():
        assert f"{name}={value}" in makefile
    assert env["DATABASE_URL"] == f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert env["EMAIL_FILE_PATH"].startswith(str(tmp_path))
    assert "SITE_URL" not in env  # run_dev.py sets it from the port


def test_a_dry_run_lists_the_files_and_starts_nothing(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "scripts/screenshots.py",
            "--dry-run",
            "--pages",
            "today",
            "inbox",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = result.stdout.splitlines()
    assert len(lines) == 2 * 2 * 2
    assert lines[0] == f"{tmp_path}/today-desktop-light.png  as mentee: today:home"
    assert f"{tmp_path}/inbox-phone-dark.png  as mentor: routing:inbox" in lines
    assert list(tmp_path.iterdir()) == []
