"""The web forms: an ask and office hours can be scoped to one of my programmes (default none)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.directory.programmes import services
from openhelp.help.asks.models import Ask
from openhelp.help.officehours.models import OfficeHours
from tests.factories import SkillFactory
from tests.factories_officehours import make_mentor

from .conftest import client_for

pytestmark = pytest.mark.django_db

ASK_POST = {
    "title": "First A/B test analysis",
    "objective": "decide whether to ship",
    "question_1": "Which test fits?",
    "skill_1": "SQL",
    "format": "call30",
    "urgency": "this_week",
    "save": "",
}
BLOCK_POST = {
    "title": "Postgres clinic",
    "weekdays": ["1"],
    "start_time": "10:00",
    "end_time": "11:00",
    "timezone": "Europe/Berlin",
    "slot_minutes": "20",
    "buffer_minutes": "0",
    "seats": "1",
    "location_kind": "room",
    "horizon_weeks": "2",
    "min_notice_hours": "2",
    "is_active": "on",
}


def test_the_ask_form_offers_my_programmes_and_saves_the_choice(programme, member, organiser):
    SkillFactory(name="SQL")
    other = services.create_programme(actor=organiser, name="Design Circle")
    client = client_for(member)
    page = client.get(reverse("asks:new")).content.decode()
    assert "Data Guild" in page and "Design Circle" not in page
    refused = client.post(reverse("asks:new"), {**ASK_POST, "programme": str(other.pk)})
    assert "programme" in refused.context["form"].errors and not Ask.objects.exists()
    assert client.post(reverse("asks:new"), {**ASK_POST, "programme": str(programme.pk)}).status_code == 302
    assert Ask.objects.get().programme == programme
    assert client.post(reverse("asks:new"), {**ASK_POST, "title": "Unscoped"}).status_code == 302
    assert Ask.objects.get(title="Unscoped").programme is None


def test_without_programmes_the_ask_form_has_no_choice(outsider):
    page = client_for(outsider).get(reverse("asks:new")).content.decode()
    assert 'name="programme"' not in page


def test_the_office_hours_form_saves_the_programme(programme, organiser):
    mentor = make_mentor()
    services.add_members(programme=programme, users=[mentor], role="member", actor=organiser)
    client = client_for(mentor)
    assert 'name="programme"' in client.get(reverse("officehours:block-new")).content.decode()
    response = client.post(reverse("officehours:block-new"), {**BLOCK_POST, "programme": str(programme.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OfficeHours.objects.get(mentor=mentor).programme == programme
