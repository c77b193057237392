"""The organiser in real Chromium, on the demo organisation: create a programme → import people into it
from a CSV (preview, then apply) → see the skill gaps and the fairness warning → see the named knowledge
nodes → download a CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest

from openhelp.demo import data
from openhelp.demo.services import seed_demo
from openhelp.directory.programmes.models import Membership, Programme
from openhelp.platform.accounts.models import User
from tests.harness.browser import sign_in

pytestmark = pytest.mark.browser

PEOPLE_CSV = (
    "email,name,team,manager_email,timezone,languages,skills_offered,skills_wanted\n"
    "ines.new@demo.opentohelp.org,Ines New,Data,,Europe/Lisbon,en,PostgreSQL:4,Kubernetes\n"
    "omar.new@demo.opentohelp.org,Omar New,Platform,ines.new@demo.opentohelp.org,Africa/Cairo,en,k8s:3,\n"
)


def test_an_organiser_runs_a_programme_and_reads_the_insights(page, browser_context, live_server, shot):
    activity = seed_demo(people=300, seed=42).activity
    hub = User.objects.select_related("profile").get(email=activity.hubs[0]).profile.display_name
    node = User.objects.select_related("profile").get(email=activity.knowledge_nodes[0]).profile.display_name

    sign_in(browser_context, live_server, User.objects.get(email=data.ORGANISER_EMAIL))

    # 1. A new programme with its code of conduct.
    page.goto("/programmes/new/")
    page.get_by_label(re.compile(r"^Name")).fill("Analytics circle")
    page.get_by_label(re.compile(r"^Description")).fill("Fast help with SQL and dashboards.")
    page.get_by_label(re.compile(r"^Code of conduct")).fill("Be kind; what is said in a session stays there.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    programme = Programme.objects.get(name="Analytics circle")
    assert page.get_by_role("heading", name="Analytics circle").is_visible()

    # 2. People come in from a CSV: a preview first, nothing written until "Apply".
    page.goto(f"/programmes/{programme.slug}/members/")
    page.get_by_role("link", name="Import people from a CSV file").click()
    page.get_by_label(re.compile("People file")).set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": PEOPLE_CSV.encode()}]
    )
    page.locator("form[enctype] [type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile(r"2\s+to create")).is_visible()
    assert not User.objects.filter(email="ines.new@demo.opentohelp.org").exists()
    shot(page, "import-preview")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    assert page.get_by_text("Everyone in the file is now in Analytics circle").is_visible()
    members = set(Membership.objects.filter(programme=programme).values_list("user__email", flat=True))
    assert {"ines.new@demo.opentohelp.org", "omar.new@demo.opentohelp.org"} <= members
    assert User.objects.get(email="omar.new@demo.opentohelp.org").profile.manager.email == (
        "ines.new@demo.opentohelp.org"
    )

    # 3. The insights of the demo organisation: skill gaps first, and a fairness warning.
    page.get_by_role("navigation", name="Main").locator("summary", has_text="Organise").click()
    page.get_by_role("link", name="Insights").click()
    page.wait_for_load_state()
    ledger = page.locator("section", has=page.get_by_role("heading", name="Skill ledger"))
    assert ledger.locator("svg").count() >= 1, "a chart, rendered without any CDN"
    assert any(skill in ledger.inner_text() for skill in activity.gap_skills)
    fairness = page.locator("section", has=page.get_by_role("heading", name="Load and fairness"))
    assert hub in fairness.inner_text()
    shot(page, "insights")

    # 4. Knowledge nodes: the seeded connector is named (they opted in); others are only counted.
    page.get_by_role("link", name="Knowledge nodes").last.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Knowledge nodes", level=1).is_visible()
    assert page.get_by_role("rowheader", name=node).first.is_visible()
    assert page.get_by_text(re.compile("not chosen to be named")).first.is_visible()

    # 5. The same figures as a CSV file.
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(open(caught.value.path(), encoding="utf-8-sig").read())))
    assert len(rows) > 2 and any(node in row for row in rows)
