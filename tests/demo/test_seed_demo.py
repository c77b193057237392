"""The demo organisation: deterministic, the promised shape, and its three logins work."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from openhelp.demo import data
from openhelp.demo.services import seed_demo
from openhelp.directory.library.models import LibraryEntry
from openhelp.directory.people.models import Language, Profile, Team
from openhelp.directory.skills.models import Skill, SkillAlias, SkillCategory, normalise_skill_name
from openhelp.directory.skills.services import resolve_skill
from openhelp.help.officehours.models import Booking
from openhelp.platform.accounts.models import User
from tests.factories import UserFactory
from tests.harness import shared

TODAY = dt.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def _digest() -> str:
    """A fingerprint of everything seeded that a person would see, independent of primary keys."""
    people = [
        (
            p.user.email,
            p.display_name,
            p.headline,
            p.bio,
            p.team.name,
            p.timezone,
            p.location,
            p.open_to_help,
            p.formats,
            p.sessions_per_week,
            p.minutes_per_week,
            str(p.paused_until),
            str(p.user.date_joined),
            sorted(language.code for language in p.languages.all()),
            sorted((o.skill.name, o.level, o.note) for o in p.skills_offered.all()),
            sorted((w.skill.name, w.note) for w in p.skills_wanted.all()),
        )
        for p in Profile.objects.select_related("user", "team").prefetch_related(
            "languages", "skills_offered__skill", "skills_wanted__skill"
        )
    ]
    skills = [
        (s.name, s.slug, s.category.name, s.parent.name if s.parent else None)
        for s in Skill.objects.select_related("category", "parent")
    ]
    aliases = sorted(SkillAlias.objects.values_list("name", "skill__name"))
    blob = json.dumps([sorted(people), sorted(skills), aliases], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _wipe() -> None:
    Booking.objects.all().delete()  # a booking protects its slot, which its mentor's deletion would take
    User.objects.all().delete()
    LibraryEntry.objects.all().delete()  # published takeaways outlive the people (they credit nobody then)
    Skill.objects.all().delete()
    SkillCategory.objects.all().delete()
    Team.objects.all().delete()
    Language.objects.all().delete()


def test_it_produces_the_same_organisation_from_the_same_seed():
    seed_demo(people=80, seed=7, today=TODAY)
    first = _digest()
    _wipe()
    seed_demo(people=80, seed=7, today=TODAY)
    assert _digest() == first
    _wipe()
    seed_demo(people=80, seed=8, today=TODAY)
    assert _digest() != first


@pytest.fixture(scope="class")
def class_demo(request, django_db_setup, django_db_blocker):
    """The demo a test class only reads (its ``DEMO = (people, seed)``), seeded once for the class instead
    of once in each of its tests (about 0.2 s of CPU a small seed), rolled back after it."""
    people, seed = request.cls.DEMO
    with shared.rolled_back(request, django_db_blocker):
        seed_demo(people=people, seed=seed, today=TODAY)
        yield


@pytest.mark.usefixtures("class_demo")
@pytest.mark.xdist_group("seed-demo-of-ten")
class TestADemoOfTen:
    DEMO = (10, 1)  # people, seed

    @pytest.mark.parametrize(
        "typed, expected",
        [
            ("k8s", "Kubernetes"),
            ("JS", "JavaScript"),
            ("postgres", "PostgreSQL"),
            ("ML", "Machine learning"),
            ("Golang", "Go"),
            ("a11y", "Web accessibility"),
        ],
    )
    def test_it_makes_aliases_resolve_to_their_skill(self, typed, expected):
        assert resolve_skill(typed).name == expected

    def test_it_links_children_to_their_parent_skills(self):
        python = Skill.objects.get(name="Python")
        assert {"Django", "pandas", "Flask"} <= set(python.children.values_list("name", flat=True))
        assert Skill.objects.get(name="Next.js").parent.name == "React"

    @pytest.mark.parametrize("email", [data.MENTEE_EMAIL, data.MENTOR_EMAIL, data.ORGANISER_EMAIL])
    def test_it_lets_each_demo_login_log_in_through_the_login_page(self, email):
        client = Client()
        response = client.post(reverse("account_login"), {"login": email, "password": data.DEMO_PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)

    def test_it_refuses_a_wrong_password_for_a_demo_login(self):
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": data.MENTOR_EMAIL, "password": "wrong-password"}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("class_demo")
@pytest.mark.xdist_group("seed-demo-of-fifty")
class TestADemoOfFifty:
    DEMO = (50, 3)  # its tests each seeded 20 to 50 people of seed 3 before

    def test_it_gives_every_person_a_verified_primary_address(self):
        verified = EmailAddress.objects.filter(verified=True, primary=True)
        assert set(verified.values_list("email", flat=True)) == set(
            User.objects.values_list("email", flat=True)
        )

    def test_it_never_writes_the_team_into_a_headline(self):
        # A person card shows the headline and the team under it: "Staff engineer · Payments" then
        # "Payments".
        profiles = Profile.objects.select_related("team")
        assert all(not p.headline.endswith(f" · {p.team.name}") for p in profiles)
        assert Profile.objects.get(user__email=data.MENTOR_EMAIL).headline == "Staff engineer"

    def test_it_sets_up_the_three_demo_logins(self):
        mentor = Profile.objects.get(user__email=data.MENTOR_EMAIL)
        assert mentor.is_available(TODAY)
        assert mentor.skills_offered.filter(skill__name="PostgreSQL", level=5).exists()
        assert mentor.skills_offered.count() >= 3
        organiser = User.objects.get(email=data.ORGANISER_EMAIL)
        assert organiser.is_organiser
        # "Organiser" is a product role, not a site admin: no Django admin, no superuser.
        assert not organiser.is_staff and not organiser.is_superuser
        mentee = Profile.objects.get(user__email=data.MENTEE_EMAIL)
        assert not mentee.open_to_help
        assert mentee.skills_wanted.filter(skill__name="PostgreSQL").exists()


def test_it_keeps_every_alias_distinct_from_every_skill_name():
    names = {normalise_skill_name(name) for name, *_ in data.SKILLS}
    aliases = [normalise_skill_name(alias) for *_, alias_names in data.SKILLS for alias in alias_names]
    assert len(aliases) == len(set(aliases))
    assert not names & set(aliases)
    assert {parent for _, _, parent, _ in data.SKILLS if parent} <= {name for name, *_ in data.SKILLS}


def test_it_reuses_skills_that_already_exist():
    Skill.objects.create(name="PostgreSQL")
    seed_demo(people=10, seed=1, today=TODAY)
    assert Skill.objects.filter(normalised_name="postgresql").count() == 1
    assert resolve_skill("Postgres").name == "PostgreSQL"


def test_it_does_nothing_with_if_empty_when_people_exist():
    UserFactory(email="someone@example.org")
    skills_before = Skill.objects.count()
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert User.objects.count() == 1
    assert Skill.objects.count() == skills_before


def test_it_seeds_from_the_command_and_prints_the_logins():
    out = StringIO()
    call_command("seed_demo", "--people", "40", "--seed", "5", "--if-empty", stdout=out)
    assert User.objects.count() == 41  # the 40 people and the demo site administrator
    text = out.getvalue()
    assert data.DEMO_PASSWORD in text
    assert data.MENTEE_EMAIL in text and data.MENTOR_EMAIL in text and data.ORGANISER_EMAIL in text
    assert data.SITE_ADMIN_EMAIL in text


def test_if_empty_adds_the_site_administrator_to_a_demo_seeded_before_there_was_one():
    seed_demo(people=10, seed=1, today=TODAY, activity=False)  # as before: no site administrator
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert User.objects.get(email=data.SITE_ADMIN_EMAIL).is_site_admin
    assert data.SITE_ADMIN_EMAIL in out.getvalue()
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert User.objects.filter(is_superuser=True).count() == 1


def test_it_refuses_to_seed_the_demo_twice():
    call_command("seed_demo", "--people", "10", stdout=StringIO())
    with pytest.raises(CommandError, match="already"):
        call_command("seed_demo", "--people", "10", stdout=StringIO())
    assert User.objects.count() == 11


def test_it_refuses_a_production_instance_unless_told_it_is_a_throwaway(settings):
    """The demo organiser's password is in the README: seeding production would let anyone organise it."""
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="OTH_ENV=production") as refused:
        call_command("seed_demo", "--people", "10", stdout=StringIO())
    assert "--allow-production" in str(refused.value)
    assert User.objects.count() == 0
    out = StringIO()
    call_command("seed_demo", "--people", "10", "--no-activity", "--allow-production", stdout=out)
    assert User.objects.count() == 10
    # Not even on a throwaway one: a superuser whose password is published decides who signs in as whom.
    assert not User.objects.filter(is_superuser=True).exists()
    assert data.SITE_ADMIN_EMAIL not in out.getvalue() and "createsuperuser" in out.getvalue()
