"""The 'open to help' page and learning goals: one form, rows of skills, all or nothing."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.urls import reverse

from openhelp.directory.people.models import Format, Profile, SkillOffer, SkillWanted
from tests.factories import SkillOfferFactory, SkillWantedFactory
from tests.people import messages

NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
PYTHON_ROW = {"skill": "Python", "level": "3", "note": ""}


def offer_data(rows, **overrides) -> dict:
    data = {
        "open_to_help": "on",
        "formats": [Format.ASYNC.value, Format.CALL_30.value],
        "sessions_per_week": "3",
        "minutes_per_week": "",
        "paused_until": "",
        "offers-TOTAL_FORMS": str(len(rows)),
        "offers-INITIAL_FORMS": "0",
        "offers-MIN_NUM_FORMS": "0",
        "offers-MAX_NUM_FORMS": "50",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"offers-{i}-{key}"] = value
    data.update(overrides)
    return data


def wanted_data(rows) -> dict:
    data = {
        "wanted-TOTAL_FORMS": str(len(rows)),
        "wanted-INITIAL_FORMS": "0",
        "wanted-MIN_NUM_FORMS": "0",
        "wanted-MAX_NUM_FORMS": "50",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"wanted-{i}-{key}"] = value
    return data


def test_it_saves_the_switch_formats_capacity_and_skills_together(owner_client, owner, skills):
    response = owner_client.post(
        reverse("people:open-to-help"),
        offer_data(
            [
                {"skill": "k8s", "level": "4", "note": "Helm charts"},
                {"skill": "python", "level": "5", "note": ""},
                {"skill": "", "level": "", "note": ""},  # a blank row is ignored
            ]
        ),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=owner)
    assert profile.open_to_help is True
    assert profile.formats == ["async", "call30"]
    assert profile.sessions_per_week == 3
    offers = {o.skill.name: (o.level, o.note) for o in profile.skills_offered.select_related("skill")}
    assert offers == {"Kubernetes": (4, "Helm charts"), "Python": (5, "")}


def test_it_shows_existing_skills_with_their_level_for_editing(owner_client, owner, skills):
    SkillOfferFactory(profile=owner.profile, skill=skills["postgres"], level=2, note="indexes")
    page = owner_client.get(reverse("people:open-to-help")).content.decode()
    assert 'value="PostgreSQL"' in page
    assert '<option value="2" selected>2 — has done it a few times</option>' in page
    assert 'value="indexes"' in page


def test_it_replaces_and_removes_rows(owner_client, owner, skills):
    kept = SkillOfferFactory(profile=owner.profile, skill=skills["postgres"], level=2)
    SkillOfferFactory(profile=owner.profile, skill=skills["python"], level=3)
    response = owner_client.post(
        reverse("people:open-to-help"),
        offer_data(
            [
                {"skill": "PostgreSQL", "level": "3", "note": "now better"},
                {"skill": "Python", "level": "3", "note": "", "DELETE": "on"},
            ]
        ),
    )
    assert response.status_code == 302
    offers = list(SkillOffer.objects.filter(profile=owner.profile))
    assert [(o.pk, o.level, o.note) for o in offers] == [(kept.pk, 3, "now better")]


def test_it_flags_a_duplicate_skill_on_its_row_and_saves_nothing(owner_client, owner, skills):
    response = owner_client.post(
        reverse("people:open-to-help"),
        offer_data(
            [
                {"skill": "Kubernetes", "level": "4", "note": "first"},
                {"skill": "k8s", "level": "2", "note": "again, by alias"},
            ],
            sessions_per_week="2",
        ),
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors == {"skill": [messages.DUPLICATE_KUBERNETES]}
    page = response.content.decode()
    assert messages.DUPLICATE_KUBERNETES in page
    assert 'value="again, by alias"' in page and 'value="k8s"' in page and 'value="first"' in page
    assert 'name="sessions_per_week" value="2"' in page
    profile = Profile.objects.get(user=owner)
    assert profile.open_to_help is False
    assert not profile.skills_offered.exists()


def test_open_to_help_with_no_skill_is_refused_and_keeps_what_was_typed(owner_client, owner, skills):
    # Asks reach people through their skills: with none, "You are open to help" promised what never came.
    response = owner_client.post(
        reverse("people:open-to-help"),
        offer_data([{"skill": "", "level": "", "note": ""}], sessions_per_week="2"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"open_to_help": [messages.OPEN_WITHOUT_SKILLS]}
    page = response.content.decode()
    assert "Add at least one skill below" in page
    assert 'name="sessions_per_week" value="2"' in page
    assert re.search(r'<input[^>]*value="call30"[^>]*checked', page)
    profile = Profile.objects.get(user=owner)
    assert profile.open_to_help is False and profile.sessions_per_week is None


def test_removing_the_last_skill_while_staying_open_is_refused(owner_client, owner, skills):
    SkillOfferFactory(profile=owner.profile, skill=skills["python"], level=3)
    Profile.objects.filter(user=owner).update(open_to_help=True)

    response = owner_client.post(
        reverse("people:open-to-help"),
        offer_data([{"skill": "Python", "level": "3", "note": "", "DELETE": "on"}]),
    )

    assert response.context["form"].errors == {"open_to_help": [messages.OPEN_WITHOUT_SKILLS]}
    assert SkillOffer.objects.filter(profile=owner.profile).count() == 1


def test_someone_not_open_to_help_may_save_without_skills(owner_client, owner, skills):
    data = offer_data([])
    del data["open_to_help"]

    response = owner_client.post(reverse("people:open-to-help"), data)

    assert response.status_code == 302
    assert Profile.objects.get(user=owner).open_to_help is False


def test_it_rejects_a_level_outside_one_to_five(owner_client, owner, skills):
    response = owner_client.post(
        reverse("people:open-to-help"), offer_data([{"skill": "Python", "level": "7", "note": "deep"}])
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {"level": [messages.LEVEL]}
    assert 'value="deep"' in response.content.decode()
    assert not SkillOffer.objects.exists()


def test_a_skill_without_a_level_asks_for_one_in_words(owner_client, skills):
    response = owner_client.post(
        reverse("people:open-to-help"), offer_data([{"skill": "Python", "level": "", "note": ""}])
    )
    assert response.context["formset"].forms[0].errors == {"level": [messages.LEVEL]}


def test_it_names_an_unknown_skill(owner_client, skills):
    response = owner_client.post(
        reverse("people:open-to-help"), offer_data([{"skill": "Klingon", "level": "3", "note": ""}])
    )
    assert response.context["formset"].forms[0].errors == {"skill": [messages.UNKNOWN_SKILL]}


def test_it_adds_a_row_without_javascript_and_keeps_what_was_typed(owner_client, owner, skills):
    response = owner_client.post(
        reverse("people:open-to-help"),
        offer_data([{"skill": "Python", "level": "4", "note": "typing"}], add_row="1", sessions_per_week="5"),
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    page = response.content.decode()
    assert 'name="offers-1-skill"' in page
    assert 'value="typing"' in page
    assert 'name="sessions_per_week" value="5"' in page
    assert not SkillOffer.objects.exists()  # adding a row saves nothing


@time_machine.travel(NOON, tick=False)
def test_it_rejects_a_pause_that_is_not_in_the_future(owner_client, owner, skills):
    owner_client.force_login(owner)  # a session from the travelled-to date, not the real one
    response = owner_client.post(
        reverse("people:open-to-help"), offer_data([PYTHON_ROW], paused_until="2026-12-01")
    )
    assert response.context["form"].errors == {"paused_until": [messages.PAUSE_IN_PAST]}
    assert 'value="2026-12-01"' in response.content.decode()


@time_machine.travel(NOON, tick=False)
def test_it_pauses_until_a_date_and_resumes_by_itself(owner_client, outsider_client, owner, outsider, skills):
    owner_client.force_login(owner)  # sessions from the travelled-to date, not the real one
    outsider_client.force_login(outsider)
    response = owner_client.post(
        reverse("people:open-to-help"), offer_data([PYTHON_ROW], paused_until="2026-12-03")
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=owner)
    assert profile.is_paused() and not profile.is_available()
    page = outsider_client.get(reverse("people:detail", args=[profile.pk])).content.decode()
    assert "Paused until 3 Dec" in page

    with time_machine.travel(dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC), tick=False):
        profile.refresh_from_db()
        assert not profile.is_paused() and profile.is_available()
        page = outsider_client.get(reverse("people:detail", args=[profile.pk])).content.decode()
        assert "Paused until" not in page
        assert "Open to help · 3 of 3 sessions left" in page
        # Re-saving the page after the pause ended does not trip over the old date.
        form_page = owner_client.get(reverse("people:open-to-help")).content.decode()
        assert 'name="paused_until" value=' not in form_page


def test_it_saves_learning_goals(owner_client, owner, skills):
    SkillWantedFactory(profile=owner.profile, skill=skills["postgres"])
    response = owner_client.post(
        reverse("people:learning"),
        wanted_data([{"skill": "k8s", "note": "deploy my app"}, {"skill": "django", "note": ""}]),
    )
    assert response.status_code == 302
    wanted = {
        w.skill.name: w.note
        for w in SkillWanted.objects.filter(profile=owner.profile).select_related("skill")
    }
    assert wanted == {"Kubernetes": "deploy my app", "Django": ""}
    page = owner_client.get(reverse("people:detail", args=[owner.profile.pk])).content.decode()
    assert "deploy my app" in page


def test_skills_i_want_to_learn_are_not_named_like_the_learning_goals_page(owner_client, owner):
    # Two pages called "Learning goals" (this list and /goals/, with dates and progress) confused people.
    page = owner_client.get(reverse("people:learning")).content.decode()
    profile = owner_client.get(reverse("people:detail", args=[owner.profile.pk])).content.decode()

    assert "<h1>Skills I want to learn</h1>" in page and f'href="{reverse("goals:list")}"' in page
    assert "Learning goals" not in page
    assert "Skills I want to learn</a>" in profile and "No learning goals yet" not in profile


def test_it_flags_a_duplicate_learning_goal_on_its_row(owner_client, owner, skills):
    response = owner_client.post(
        reverse("people:learning"),
        wanted_data([{"skill": "Kubernetes", "note": "a"}, {"skill": "K8S", "note": "b"}]),
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors == {"skill": [messages.DUPLICATE_KUBERNETES]}
    assert 'value="b"' in response.content.decode()
    assert not SkillWanted.objects.exists()


def test_it_shows_the_level_words_on_the_profile(outsider_client, owner, skills):
    SkillOfferFactory(profile=owner.profile, skill=skills["django"], level=5, note="ORM internals")
    page = outsider_client.get(reverse("people:detail", args=[owner.profile.pk])).content.decode()
    assert "5 — recognised expert" in page
    assert "ORM internals" in page


def test_the_box_starts_ticked_for_someone_setting_it_up_for_the_first_time(owner_client, owner):
    page = owner_client.get(reverse("people:open-to-help")).content.decode()

    assert re.search(r'<input[^>]*name="open_to_help"[^>]*checked', page)


def test_the_box_shows_what_someone_chose_once_they_turned_it_off(owner_client, owner, skills):
    SkillOfferFactory(profile=owner.profile, skill=skills["python"], level=3)
    Profile.objects.filter(user=owner).update(open_to_help=False, formats=["async"])

    page = owner_client.get(reverse("people:open-to-help")).content.decode()

    assert re.search(r'<input[^>]*name="open_to_help"', page)
    assert not re.search(r'<input[^>]*name="open_to_help"[^>]*checked', page)
