"""The open-to-help page as a compact table: several rows saved at once, an error shown on its own row."""

from __future__ import annotations

import re

from django.urls import reverse

from openhelp.directory.people.models import Profile
from tests.factories import SkillOfferFactory
from tests.people.test_open_to_help import offer_data


def rows_of(body: str) -> list[str]:
    return re.findall(r'<tr class="offer-row[^"]*">.*?</tr>', body, flags=re.S)


def test_it_shows_one_table_row_per_skill_plus_a_blank_row_to_add_one(owner_client, owner, skills):
    SkillOfferFactory(profile=owner.profile, skill=skills["python"], level=4)
    SkillOfferFactory(profile=owner.profile, skill=skills["postgres"], level=2)

    body = owner_client.get(reverse("people:open-to-help")).content.decode()

    rows = rows_of(body.split("<template")[0])
    assert len(rows) == 3
    assert "is-new" in rows[2] and "is-new" not in rows[0]
    assert '<table class="table offer-table">' in body
    assert 'class="chip-check"' in body  # formats as checkbox chips


def test_it_saves_several_rows_at_once(owner_client, owner, skills):
    SkillOfferFactory(profile=owner.profile, skill=skills["python"], level=2)
    response = owner_client.post(
        reverse("people:open-to-help"),
        offer_data(
            [
                {"skill": "Python", "level": "5", "note": "now better"},
                {"skill": "k8s", "level": "3", "note": ""},
                {"skill": "PostgreSQL", "level": "1", "note": "basics"},
            ]
        ),
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=owner)
    offers = {o.skill.name: (o.level, o.note) for o in profile.skills_offered.select_related("skill")}
    assert offers == {"Python": (5, "now better"), "Kubernetes": (3, ""), "PostgreSQL": (1, "basics")}


def test_it_reports_each_error_on_its_own_row_and_keeps_every_row(owner_client, owner, skills):
    response = owner_client.post(
        reverse("people:open-to-help"),
        offer_data(
            [
                {"skill": "Python", "level": "4", "note": "fine row"},
                {"skill": "Klingon", "level": "3", "note": "unknown skill"},
                {"skill": "PostgreSQL", "level": "", "note": "no level"},
            ]
        ),
    )

    assert response.status_code == 200
    rows = rows_of(response.content.decode().split("<template")[0])
    assert "has-error" not in rows[0] and 'value="fine row"' in rows[0]
    assert "has-error" in rows[1] and "Klingon" in rows[1] and 'value="unknown skill"' in rows[1]
    assert "has-error" in rows[2] and 'aria-invalid="true"' in rows[2] and 'value="no level"' in rows[2]
    assert not Profile.objects.get(user=owner).skills_offered.exists()
