"""The Django admin: people by e-mail with the organiser flag, tokens without their secrets."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.platform.accounts.models import User
from tests.factories import NotificationFactory, NotificationPreferenceFactory, UserFactory, make_access_token


@pytest.fixture
def admin_client_(db):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def test_it_filters_people_by_the_organiser_flag(admin_client_, owner, organiser):
    url = reverse("admin:accounts_user_changelist")
    html = admin_client_.get(url, {"is_organiser__exact": "1"}).content.decode()
    assert "organiser@example.org" in html
    assert "owner@example.org" not in html
    assert admin_client_.get(url, {"is_staff__exact": "0", "q": "owner"}).status_code == 200


def test_it_makes_someone_an_organiser_from_their_admin_page(admin_client_, owner):
    url = reverse("admin:accounts_user_change", args=[owner.pk])
    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(url, {"email": owner.email, "is_active": "on", "is_organiser": "on"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    owner.refresh_from_db()
    assert owner.is_organiser


def test_it_adds_a_person_by_email(admin_client_):
    response = admin_client_.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New@Example.org",
            "usable_password": "true",
            "password1": "a long passphrase here",
            "password2": "a long passphrase here",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").check_password("a long passphrase here")


def test_it_shows_tokens_without_letting_anyone_create_or_edit_their_keys(admin_client_, owner):
    token, raw_key = make_access_token(owner)
    html = admin_client_.get(reverse("admin:accounts_accesstoken_change", args=[token.pk])).content.decode()
    assert token.key_hint in html
    assert raw_key not in html
    assert 'name="key_hash"' not in html
    assert admin_client_.get(reverse("admin:accounts_accesstoken_add")).status_code == 403


def test_it_lists_notifications_and_preferences(admin_client_, owner):
    NotificationFactory(recipient=owner, title="Hello there")
    NotificationPreferenceFactory(user=owner)
    page = admin_client_.get(reverse("admin:notifications_notification_changelist")).content.decode()
    # Who and when, never what: the text is its recipient's (tests/admin/test_private_text.py).
    assert "owner@example.org" in page and "Hello there" not in page
    assert (
        admin_client_.get(reverse("admin:notifications_notificationpreference_changelist")).status_code == 200
    )


def test_it_keeps_the_admin_closed_to_people_who_are_not_staff(owner_client):
    response = owner_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
