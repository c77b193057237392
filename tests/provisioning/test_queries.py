"""The query-count guard on the SCIM lists and the token page: constant in the number of rows."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from openhelp.directory.people.models import Profile, Team
from openhelp.platform.accounts.models import User
from tests.factories_provisioning import make_scim_token
from tests.harness.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
_counter = itertools.count()


def grow_people(n: int) -> None:
    team = Team.objects.get_or_create(name="Big", slug="big")[0]
    boss = User.objects.order_by("pk").first()
    users = User.objects.bulk_create([User(email=f"bulk{next(_counter)}@example.org") for _ in range(n)])
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=u.email, team=team, manager=boss) for u in users]
    )


def test_the_users_list_costs_the_same_at_10_and_200_people(scim):
    assert_constant_queries(grow=grow_people, action=lambda: scim.get("Users", count=200), large=200)


def test_the_groups_list_costs_the_same_at_10_and_200_teams(scim):
    def grow(n: int) -> None:
        teams = Team.objects.bulk_create(
            [Team(name=f"T{k}", slug=f"t{k}") for k in (next(_counter) for _ in range(n))]
        )
        users = User.objects.bulk_create([User(email=f"m{next(_counter)}@example.org") for _ in teams])
        Profile.objects.bulk_create(
            [Profile(user=u, display_name="M", team=t) for u, t in zip(users, teams, strict=True)]
        )

    assert_constant_queries(grow=grow, action=lambda: scim.get("Groups", count=200), large=200)


def test_the_token_page_costs_the_same_with_more_tokens(site_admin):
    client = Client()
    client.force_login(site_admin)
    assert_constant_queries(
        grow=lambda n: [make_scim_token(f"IdP {next(_counter)}", created_by=site_admin) for _ in range(n)],
        action=lambda: client.get("/provisioning/"),
        small=2,
        large=8,
    )
