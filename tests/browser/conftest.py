"""Browser journeys: the fixtures live in tests/harness/browser.py."""

from __future__ import annotations

import pytest

from tests.harness.browser import browser, browser_context, page, shot  # noqa: F401 - fixtures


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # The page fixture reads this to keep a screenshot and the HTML of a failing journey.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
