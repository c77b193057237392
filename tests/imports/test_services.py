"""Applying a people file: what it creates and changes, idempotence, round trip, bounded queries."""

from __future__ import annotations

import math

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openhelp.directory.people.models import Profile, SkillOffer, SkillWanted, Team
from openhelp.organisers.imports.services import BATCH_SIZE, apply_import, export_people_csv, preview_import
from openhelp.platform.accounts.models import User
from tests.factories import ProfileFactory, SkillOfferFactory, SkillWantedFactory, TeamFactory, UserFactory
from tests.harness.queries import count_queries
from tests.harness.tasks import run_pending_tasks
from tests.imports.conftest import ADA, GRACE, csv_text

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_during(action) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_it_previews_new_people_and_new_teams_without_writing(taxonomy, two_people):
    assert writes_during(lambda: preview_import(two_people)) == []
    preview = preview_import(two_people)
    assert preview.errors == []
    assert [(r.line, r.email, r.action) for r in preview.rows] == [
        (2, "ada@example.org", "create"),
        (3, "grace@example.org", "create"),
    ]
    assert preview.new_teams == ["Platform"]
    assert "team: Platform (new team)" in preview.rows[1].changes
    assert (preview.created, preview.updated, preview.unchanged) == (2, 0, 0)
    assert not User.objects.filter(email="ada@example.org").exists()


def test_it_creates_people_with_unusable_passwords_and_unverified_addresses(taxonomy, two_people):
    result = apply_import(two_people, actor=None)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert [u.email for u in result.users] == ["ada@example.org", "grace@example.org"]
    ada = Profile.objects.select_related("user", "team", "manager").get(user__email="ada@example.org")
    assert not ada.user.has_usable_password()
    assert EmailAddress.objects.get(user=ada.user).verified is False
    assert ada.display_name == "Ada Lovelace"
    assert ada.team.name == "Data"
    assert ada.manager.email == "grace@example.org"  # a manager who is new in the same file
    assert ada.timezone == "Europe/London"
    assert sorted(ada.languages.values_list("code", flat=True)) == ["en", "fr"]
    assert {(o.skill.name, o.level) for o in ada.skills_offered.all()} == {("PostgreSQL", 4), ("Python", 5)}
    assert [w.skill.name for w in ada.skills_wanted.all()] == ["Rust"]
    grace = Profile.objects.get(user__email="grace@example.org")
    assert grace.team.name == "Platform"
    assert Team.objects.get(name="Platform").slug == "platform"
    assert [o.skill.name for o in grace.skills_offered.all()] == ["Kubernetes"]  # through the alias k8s
    assert list(grace.languages.values_list("code", flat=True)) == ["en"]  # by name
    assert mail.outbox == []


def test_it_updates_only_what_changed_and_lists_the_changes(taxonomy, two_people):
    apply_import(two_people, actor=None)
    edited = csv_text(ADA.replace("Europe/London", "Europe/Paris").replace("Python:5", "Python:3"), GRACE)

    preview = preview_import(edited)

    assert [(r.email, r.action) for r in preview.rows] == [
        ("ada@example.org", "update"),
        ("grace@example.org", "unchanged"),
    ]
    assert preview.rows[0].changes == (
        "time zone: Europe/London → Europe/Paris",
        "skills offered: Python:5→3",
    )
    result = apply_import(edited, actor=None)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    ada = Profile.objects.get(user__email="ada@example.org")
    assert ada.timezone == "Europe/Paris"
    assert ada.skills_offered.get(skill=taxonomy["python"]).level == 3


def test_it_replaces_lists_and_keeps_notes_on_kept_offers(taxonomy):
    profile = ProfileFactory(user__email="ada@example.org", display_name="Ada")
    SkillOfferFactory(profile=profile, skill=taxonomy["postgres"], level=4, note="Query plans")
    SkillOfferFactory(profile=profile, skill=taxonomy["rust"], level=2)
    SkillWantedFactory(profile=profile, skill=taxonomy["python"])
    text = csv_text(
        "ada@example.org,Ada,Postgres:4;k8s:2,Rust", header="email,name,skills_offered,skills_wanted"
    )

    assert preview_import(text).rows[0].changes == (
        "skills offered: +Kubernetes:2, −Rust:2",
        "skills wanted: +Rust, −Python",
    )
    apply_import(text, actor=None)

    offers = {o.skill.name: (o.level, o.note) for o in SkillOffer.objects.filter(profile=profile)}
    assert offers == {"PostgreSQL": (4, "Query plans"), "Kubernetes": (2, "")}
    assert list(SkillWanted.objects.filter(profile=profile).values_list("skill__name", flat=True)) == ["Rust"]


def test_columns_left_out_keep_their_fields(taxonomy):
    team = TeamFactory(name="Ops", slug="ops")
    profile = ProfileFactory(
        user__email="ada@example.org", display_name="Ada", team=team, timezone="Asia/Tokyo"
    )
    SkillOfferFactory(profile=profile, skill=taxonomy["rust"], level=2)

    result = apply_import(csv_text("ada@example.org,Ada L.", header="email,name"), actor=None)

    assert result.updated == 1
    profile.refresh_from_db()
    assert (profile.display_name, profile.team, profile.timezone) == ("Ada L.", team, "Asia/Tokyo")
    assert profile.skills_offered.count() == 1


def test_it_gives_an_existing_account_without_a_profile_one(taxonomy):
    user = UserFactory(email="ada@example.org", with_profile=False)
    result = apply_import(csv_text("ada@example.org,Ada", header="email,name"), actor=None)
    assert result.created == 1
    assert result.users == [user]
    assert user.has_usable_password()  # their own password is untouched
    assert Profile.objects.get(user=user).display_name == "Ada"


def test_an_existing_person_can_be_the_manager(taxonomy):
    boss = UserFactory(email="boss@example.org")
    apply_import(
        csv_text("ada@example.org,Ada,boss@example.org", header="email,name,manager_email"), actor=None
    )
    assert Profile.objects.get(user__email="ada@example.org").manager == boss
    assert list(boss.reports.values_list("user__email", flat=True)) == ["ada@example.org"]


def test_importing_the_same_file_twice_writes_nothing_the_second_time(taxonomy, two_people):
    with time_machine.travel("2026-03-01 09:00Z", tick=False):
        apply_import(two_people, actor=None)
    stamps = dict(Profile.objects.values_list("pk", "updated_at"))

    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        results = []
        assert writes_during(lambda: results.append(apply_import(two_people, actor=None))) == []

    assert (results[0].created, results[0].updated, results[0].unchanged) == (0, 0, 2)
    assert dict(Profile.objects.values_list("pk", "updated_at")) == stamps


def test_export_then_import_changes_nothing(taxonomy, two_people, organiser):
    apply_import(two_people, actor=None)
    manager = Profile.objects.get(user__email="ada@example.org")
    manager.display_name = '=HYPERLINK("http://evil")'  # a formula is neutralised on export...
    manager.save()
    exported = export_people_csv()

    assert "'=HYPERLINK" in exported
    assert (
        exported.splitlines()[0]
        == "email,name,team,manager_email,timezone,languages,skills_offered,skills_wanted"
    )
    preview = preview_import(exported)
    assert preview.errors == []
    assert {row.action for row in preview.rows} == {"unchanged"}  # ...and restored on import
    assert writes_during(lambda: apply_import(exported, actor=None)) == []


def test_export_writes_the_documented_format(taxonomy, two_people):
    apply_import(two_people, actor=None)
    lines = export_people_csv(Profile.objects.filter(user__email="ada@example.org")).splitlines()
    assert lines[1] == ADA
    listed = export_people_csv([Profile.objects.get(user__email="grace@example.org")]).splitlines()
    assert listed[1] == "grace@example.org,Grace Hopper,Platform,,America/New_York,en,Kubernetes:3,"


def test_invitations_are_sent_only_when_asked(taxonomy, two_people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply_import(csv_text("quiet@example.org,Quiet", header="email,name"), actor=None)
    run_pending_tasks()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        apply_import(two_people, actor=None, send_invitations=True)
    run_pending_tasks()

    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "grace@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


INSERTED_PER_PERSON = [
    (User, 1),
    (EmailAddress, 1),
    (Profile, 1),
    (Profile.languages.through, 2),
    (SkillOffer, 2),
    (SkillWanted, 1),
]


def insert_statements(model, rows: int) -> int:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = min(connection.ops.bulk_batch_size(fields, [None] * rows) or rows, BATCH_SIZE)
    return math.ceil(rows / size)


def test_the_number_of_queries_does_not_grow_with_the_file(taxonomy):
    def people(n: int, offset: int) -> str:
        rows = [
            f"p{offset + i}@example.org,P {i},Team {offset + i % 3},,Europe/Berlin,en;de,Postgres:{1 + i % 5};Python:2,Rust"
            for i in range(n)
        ]
        return csv_text(
            *rows, header="email,name,team,manager_email,timezone,languages,skills_offered,skills_wanted"
        )

    small, large = people(10, 0), people(100, 1000)
    assert count_queries(lambda: preview_import(small)) == count_queries(lambda: preview_import(large))
    created_small = count_queries(lambda: apply_import(small, actor=None))
    created_large = count_queries(lambda: apply_import(large, actor=None))
    # Constant, except that the database may split one bulk insert into several statements (SQLite
    # allows 999 parameters, so ~45 profiles per INSERT); PostgreSQL needs no split at these sizes.
    growth = sum(
        insert_statements(model, 100 * per_row) - insert_statements(model, 10 * per_row)
        for model, per_row in INSERTED_PER_PERSON
    )
    assert created_large == created_small + growth
    again_small = count_queries(lambda: apply_import(small, actor=None))
    again_large = count_queries(lambda: apply_import(large, actor=None))
    assert again_small == again_large
    changed = small.replace("Python:2", "Python:4"), large.replace("Python:2", "Python:4")
    assert count_queries(lambda: apply_import(changed[0], actor=None)) == count_queries(
        lambda: apply_import(changed[1], actor=None)
    )
