"""The people API: me, my skills, the directory — same rules and messages as the web pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from openhelp.directory.people.models import Profile, SkillOffer, SkillWanted
from tests.factories import OpenToHelpProfileFactory, SkillOfferFactory, TeamFactory, make_access_token
from tests.factories_people import language, make_people
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries
from tests.people import messages


@pytest.fixture
def api(owner):
    _token, key = make_access_token(owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"]["code"] == "invalid"
    return body["error"]["fields"]


def test_it_returns_me_with_my_user_and_profile(api, owner):
    body = api.get("/api/v1/me/").json()
    assert body["user"] == {"id": owner.pk, "email": "owner@example.org", "is_organiser": False}
    assert body["display_name"] == "Olivia Owner"
    assert body["capacity"]["text"] == ""
    assert body["skills_offered"] == [] and body["skills_wanted"] == []


def test_it_updates_my_profile(api, owner):
    TeamFactory(name="Data", slug="data")
    response = api.patch(
        "/api/v1/me/",
        {
            "headline": "Data engineer",
            "bio": "**bold** <script>x</script>",
            "team": "data",
            "languages": ["en", "pt-BR"],
            "timezone": "America/Sao_Paulo",
            "meeting_link": "https://meet.example.org/o",
            "open_to_help": True,
            "formats": ["async", "call15"],
            "sessions_per_week": 2,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["team"] == "data" and body["team_name"] == "Data"
    assert sorted(body["languages"]) == ["en", "pt-BR"]
    assert body["bio_html"] == "<p><strong>bold</strong> </p>"
    assert body["is_available"] is True
    assert body["capacity"]["text"] == "2 of 2 sessions left"
    profile = Profile.objects.get(user=owner)
    assert profile.timezone == "America/Sao_Paulo"
    assert profile.formats == ["async", "call15"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("timezone", "Mars/Olympus", messages.UNKNOWN_TIMEZONE),
        ("meeting_link", "javascript:alert(document.cookie)", messages.JAVASCRIPT_LINK),
        ("meeting_link", "http://meet.example.org/olivia", messages.HTTP_LINK),
        ("bio", "x" * 4001, messages.BIO_TOO_LONG),
        ("avatar_colour", "red", messages.BAD_COLOUR),
        ("working_hours_end", "07:00", messages.HOURS_REVERSED),
    ],
)
def test_it_rejects_bad_profile_input_with_the_web_forms_messages(api, owner, field, value, message):
    response = api.patch("/api/v1/me/", {field: value, "headline": "Should not be saved"}, format="json")
    assert field_errors(response) == {field: [message]}
    assert Profile.objects.get(user=owner).headline == ""


@time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_it_rejects_a_pause_in_the_past(api):
    response = api.patch("/api/v1/me/", {"paused_until": "2026-11-30"}, format="json")
    assert field_errors(response) == {"paused_until": [messages.PAUSE_IN_PAST]}
    assert (
        api.patch("/api/v1/me/", {"paused_until": "2026-12-05"}, format="json").json()["is_available"]
        is False
    )


def test_it_replaces_my_offered_skills(api, owner, skills):
    SkillOfferFactory(profile=owner.profile, skill=skills["postgres"], level=2)
    response = api.put(
        "/api/v1/me/skills-offered/",
        {
            "skills": [
                {"skill": "k8s", "level": 4, "note": "Helm"},
                {"skill": skills["python"].pk, "level": 1},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["skills"] == [
        {
            "skill": {"id": skills["kubernetes"].pk, "name": "Kubernetes", "slug": "kubernetes"},
            "level": 4,
            "level_words": "can teach it in depth",
            "note": "Helm",
        },
        {
            "skill": {"id": skills["python"].pk, "name": "Python", "slug": "python"},
            "level": 1,
            "level_words": "can point you to resources",
            "note": "",
        },
    ]
    assert set(SkillOffer.objects.values_list("skill__name", flat=True)) == {"Kubernetes", "Python"}


def test_the_skill_lists_i_replace_are_read_at_the_same_address(api, skills):
    """``/me/skills-offered/`` and ``/me/skills-wanted/`` took a PUT only (GET was a 405): a client that
    edits one list reads it where it writes it, as PUT answers it."""
    put = api.put("/api/v1/me/skills-offered/", {"skills": [{"skill": "k8s", "level": 4}]}, format="json")
    wanted = api.put("/api/v1/me/skills-wanted/", {"skills": [{"skill": "django"}]}, format="json")

    assert api.get("/api/v1/me/skills-offered/").json() == put.json()
    assert api.get("/api/v1/me/skills-wanted/").json() == wanted.json()


@pytest.mark.parametrize(
    "rows, errors",
    [
        ([{"skill": "Python", "level": 7}], {"skills": [f"Item 1: level: {messages.LEVEL}"]}),
        ([{"skill": "Python", "level": 0}], {"skills": [f"Item 1: level: {messages.LEVEL}"]}),
        ([{"skill": "Klingon", "level": 3}], {"skills": [f"Item 1: skill: {messages.UNKNOWN_SKILL}"]}),
        (
            [{"skill": "Kubernetes", "level": 3}, {"skill": "k8s", "level": 2}],
            {"skills": [f"Item 2: skill: {messages.DUPLICATE_KUBERNETES}"]},
        ),
    ],
)
def test_it_rejects_bad_offered_skills_and_keeps_the_old_list(api, owner, skills, rows, errors):
    SkillOfferFactory(profile=owner.profile, skill=skills["postgres"], level=2)
    response = api.put("/api/v1/me/skills-offered/", {"skills": rows}, format="json")
    assert field_errors(response) == errors
    assert list(SkillOffer.objects.values_list("skill__name", flat=True)) == ["PostgreSQL"]


def test_it_rejects_an_unknown_skill_id(api, skills):
    response = api.put(
        "/api/v1/me/skills-offered/", {"skills": [{"skill": 999999, "level": 3}]}, format="json"
    )
    assert field_errors(response) == {"skills": ["Item 1: skill: There is no skill with id 999999."]}


def test_it_replaces_my_learning_goals(api, owner, skills):
    response = api.put(
        "/api/v1/me/skills-wanted/", {"skills": [{"skill": "django", "note": "forms"}]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["skills"][0]["skill"]["name"] == "Django"
    assert list(SkillWanted.objects.values_list("skill__name", "note")) == [("Django", "forms")]
    duplicate = api.put(
        "/api/v1/me/skills-wanted/", {"skills": [{"skill": "Kubernetes"}, {"skill": "K8s"}]}, format="json"
    )
    assert field_errors(duplicate) == {"skills": [f"Item 2: skill: {messages.DUPLICATE_KUBERNETES}"]}


def test_me_endpoints_only_ever_touch_the_callers_own_profile(api, owner, outsider, skills):
    theirs = outsider.profile
    aimed = api.patch(
        "/api/v1/me/", {"id": theirs.pk, "user": outsider.pk, "display_name": "Renamed"}, format="json"
    )
    assert aimed.status_code == 400 and set(aimed.json()["error"]["fields"]) == {"id", "user"}
    assert Profile.objects.get(user=owner).display_name != "Renamed"
    api.patch("/api/v1/me/", {"display_name": "Renamed"}, format="json")
    api.put("/api/v1/me/skills-offered/", {"skills": [{"skill": "Python", "level": 3}]}, format="json")
    theirs.refresh_from_db()
    assert theirs.display_name == "Oscar Outsider"
    assert not theirs.skills_offered.exists()
    assert Profile.objects.get(user=owner).display_name == "Renamed"
    assert owner.profile.skills_offered.count() == 1


def test_it_searches_people_with_the_directory_filters(api, owner, skills):
    ana = OpenToHelpProfileFactory(display_name="Ana Alves")
    SkillOfferFactory(profile=ana, skill=skills["django"], level=4)
    ana.languages.add(language("pt"))
    body = api.get("/api/v1/people/", {"skill": "python", "language": "pt", "open_now": "true"}).json()
    assert body["count"] == 1
    person = body["results"][0]
    assert person["display_name"] == "Ana Alves"
    assert person["skills_offered"][0]["skill"]["name"] == "Django"
    assert person["capacity"]["text"] == "3 of 3 sessions left"
    assert api.get("/api/v1/people/", {"q": "k8s"}).json()["count"] == 0


def test_it_filters_the_api_by_format_without_mistaking_it_for_a_renderer(api, owner):
    OpenToHelpProfileFactory(display_name="Async Annie", formats=["async"])
    response = api.get("/api/v1/people/", {"format": "async"})
    assert response.status_code == 200
    assert [p["display_name"] for p in response.json()["results"]] == ["Async Annie"]


def test_it_rejects_bad_directory_filters_with_a_400(api):
    fields = field_errors(api.get("/api/v1/people/", {"tz_overlap": "99", "format": "telepathy"}))
    assert set(fields) == {"tz_overlap", "format"}


def test_bios_are_rendered_as_the_profile_renders_them_and_a_changed_bio_shows_at_once(api, owner):
    ana = OpenToHelpProfileFactory(display_name="Ana Alves", bio="**bold** <script>x</script>")

    def bio_html() -> str:
        people = api.get("/api/v1/people/", {"q": "alves"}).json()["results"]
        return people[0]["bio_html"]

    assert bio_html() == Profile.objects.get(pk=ana.pk).bio_html
    assert "<strong>bold</strong>" in bio_html() and "<script>" not in bio_html()
    ana.bio = "_changed_"
    ana.save()
    assert bio_html() == "<p><em>changed</em></p>"
    assert api.get(f"/api/v1/people/{ana.pk}/").json()["bio_html"] == "<p><em>changed</em></p>"


def test_it_returns_one_person(api, outsider, skills):
    body = api.get(f"/api/v1/people/{outsider.profile.pk}/").json()
    assert body["display_name"] == "Oscar Outsider"
    assert "skills_wanted" in body
    assert "user" not in body  # others' e-mail addresses are not part of a profile
    assert api.get("/api/v1/people/999999/").status_code == 404


def test_the_people_list_costs_the_same_queries_for_10_or_500_people(api, skills):
    team = TeamFactory(name="Guild", slug="guild")

    def grow(n):
        make_people(n, skills=[skills["python"], skills["kubernetes"]], languages=[language("en")], team=team)

    api.get("/api/v1/me/")  # the token's first use records last_used_at once; keep that out of the count
    # More than a page at both sizes: a page that reaches the end of the "available" segment reads the
    # next segment too (one more query, whatever the size; see openhelp/directory/people/keyset.py).
    assert_constant_queries(
        grow=grow, action=lambda: api.get("/api/v1/people/", {"q": "bulk", "page_size": 100}), small=110
    )


def test_the_schema_is_valid_and_documents_the_people_endpoints(api, owner_client):
    schema = openapi_schema()  # validated against the OpenAPI specification
    for path in ["/api/v1/me/", "/api/v1/me/skills-offered/", "/api/v1/me/skills-wanted/", "/api/v1/people/"]:
        assert path in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]}
    assert {"q", "skill", "open_now", "format", "language", "team", "tz_overlap", "page"} <= parameters
