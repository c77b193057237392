"""The demo organiser is an organiser of the product, not a site admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.demo import data
from openhelp.demo.services import seed_demo
from openhelp.platform.accounts.models import User

TODAY = dt.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def test_it_seeds_no_staff_and_no_superuser():
    seed_demo(people=10, seed=1, today=TODAY, activity=False)
    assert User.objects.filter(email=data.ORGANISER_EMAIL, is_organiser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_demo_organiser_runs_the_programme_without_the_django_admin():
    seed_demo(people=10, seed=1, today=TODAY, activity=False)
    client = Client()
    client.post(reverse("account_login"), {"login": data.ORGANISER_EMAIL, "password": data.DEMO_PASSWORD})
    assert client.get(reverse("insights:dashboard")).status_code == 200  # the role needs no staff flag
    assert client.get(reverse("admin:index"), follow=True).status_code == 403


def test_the_demo_site_admin_tries_company_login_and_scim_but_not_the_django_admin():
    seed_demo(people=10, seed=1, today=TODAY, activity=False, site_admin=True)
    admin = User.objects.get(email=data.SITE_ADMIN_EMAIL)
    assert admin.is_site_admin and not admin.is_staff
    client = Client()
    client.post(reverse("account_login"), {"login": data.SITE_ADMIN_EMAIL, "password": data.DEMO_PASSWORD})
    assert client.get(reverse("sso:provider-list")).status_code == 200
    assert client.get(reverse("provisioning-web:tokens")).status_code == 200
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
