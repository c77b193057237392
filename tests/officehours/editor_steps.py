"""Steps in the office-hours editor shared by the browser tests: a block open every day, all day."""

from __future__ import annotations

from django.urls import reverse

EVERY_DAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def open_all_week(page, title: str) -> None:
    """A new block titled ``title``, every day from 00:00 to 23:30 local time, bookable without notice
    (so the preview has slots whatever the hour the test runs at)."""
    page.goto(reverse("officehours:block-new"))
    page.get_by_label("Title").fill(title)
    for day in EVERY_DAY:
        page.get_by_label(day, exact=True).check()
    page.get_by_label("Starts at (local time)").fill("00:00")
    page.get_by_label("Ends at (local time)").fill("23:30")
