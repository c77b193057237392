"""Who may open what: pages need a login, the API needs a token or session, and 'me' is always the caller."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import ProfileFactory, UserFactory
from tests.harness.access import Row, assert_access_matrix

PAGES = ["people:directory", "people:me", "people:edit", "people:open-to-help", "people:learning"]

ACCESS = [
    *[Row("GET", lambda w, name=name: reverse(name), {"anonymous": 302}) for name in PAGES],
    Row("GET", lambda w: reverse("people:directory"), {"owner": 200, "outsider": 200}),
    Row("GET", lambda w: reverse("people:me"), {"owner": 302, "outsider": 302}),
    Row("GET", lambda w: reverse("people:edit"), {"owner": 200, "outsider": 200}),
    Row("GET", lambda w: reverse("people:open-to-help"), {"owner": 200, "outsider": 200}),
    Row("GET", lambda w: reverse("people:learning"), {"owner": 200, "outsider": 200}),
    Row(
        "GET",
        lambda w: reverse("people:detail", args=[w.owner.profile.pk]),
        {"anonymous": 302, "owner": 200, "outsider": 200},
    ),
    Row("GET", lambda w: reverse("people:detail", args=[999999]), {"owner": 404}),
    Row("GET", lambda w: reverse("people:detail", args=[w.inactive.pk]), {"outsider": 404}),
    Row("POST", lambda w: reverse("people:edit"), {"anonymous": 302}, data={"display_name": "Anon"}),
    Row("POST", lambda w: reverse("people:open-to-help"), {"anonymous": 302}, data={}),
    Row("POST", lambda w: reverse("people:learning"), {"anonymous": 302}, data={}),
    # API: 401 for anonymous callers (the Bearer scheme is advertised), 200 for any signed-in person.
    Row("GET", lambda w: "/api/v1/me/", {"anonymous": 401, "owner": 200, "outsider": 200}),
    Row("PATCH", lambda w: "/api/v1/me/", {"anonymous": 401}, data={"headline": "x"}, json=True),
    Row("PUT", lambda w: "/api/v1/me/skills-offered/", {"anonymous": 401}, data={"skills": []}, json=True),
    Row("PUT", lambda w: "/api/v1/me/skills-wanted/", {"anonymous": 401}, data={"skills": []}, json=True),
    Row("GET", lambda w: "/api/v1/people/", {"anonymous": 401, "owner": 200}),
    Row("GET", lambda w: f"/api/v1/people/{w.owner.profile.pk}/", {"anonymous": 401, "outsider": 200}),
    Row("GET", lambda w: f"/api/v1/people/{w.inactive.pk}/", {"outsider": 404}),
]


def test_it_enforces_the_access_matrix(world):
    world.inactive = ProfileFactory(user=UserFactory(is_active=False, with_profile=False))
    assert_access_matrix(ACCESS, world)


def test_anonymous_visitors_are_sent_to_log_in(anonymous_client):
    response = anonymous_client.get(reverse("people:directory"))
    assert response["Location"].startswith(reverse("account_login"))


def test_me_goes_to_the_callers_own_profile(owner_client, outsider_client, owner, outsider):
    assert owner_client.get(reverse("people:me"))["Location"] == reverse(
        "people:detail", args=[owner.profile.pk]
    )
    assert outsider_client.get(reverse("people:me"))["Location"] == reverse(
        "people:detail", args=[outsider.profile.pk]
    )


def test_a_user_without_a_profile_gets_one_on_first_visit(db, client):
    user = UserFactory(with_profile=False, email="new@example.org")
    client.force_login(user)
    response = client.get(reverse("people:me"))
    assert response.status_code == 302
    assert user.__class__.objects.get(pk=user.pk).profile.display_name == "new"


def test_editing_on_the_web_only_changes_the_callers_profile(outsider_client, owner, outsider):
    outsider_client.post(
        reverse("people:edit"),
        {
            "user": owner.pk,
            "display_name": "Changed",
            "timezone": "UTC",
            "working_hours_start": "09:00",
            "working_hours_end": "17:00",
        },
    )
    owner.profile.refresh_from_db()
    outsider.profile.refresh_from_db()
    assert owner.profile.display_name == "Olivia Owner"
    assert outsider.profile.display_name == "Changed"


def test_the_admin_lists_and_edits_people(db, client, owner, skills):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in [
        reverse("admin:people_profile_changelist"),
        reverse("admin:people_profile_change", args=[owner.profile.pk]),
        reverse("admin:people_team_changelist"),
        reverse("admin:people_team_add"),
        reverse("admin:people_language_changelist"),
    ]:
        assert client.get(url).status_code == 200, url
