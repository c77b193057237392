"""A password reset or change revokes the person's access tokens, and tells them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openhelp.platform.accounts.models import AccessToken
from openhelp.platform.notifications.models import Notification
from tests.factories import PASSWORD, make_access_token
from tests.factories_accounts import link_in, verified_user
from tests.harness.tasks import run_pending_tasks

NOTIFICATIONS_API = "/api/v1/notifications/"
NEW_PASSWORD = "another quite long passphrase"
FROZEN = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _works(raw_key: str) -> bool:
    return Client().get(NOTIFICATIONS_API, headers={"Authorization": f"Bearer {raw_key}"}).status_code == 200


def _logged_in(user) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client


@pytest.mark.django_db(transaction=True)
def test_it_revokes_every_token_when_the_password_is_reset(mailoutbox):
    user = verified_user("vera@example.org")
    _, calendar_key = make_access_token(user, name="calendar sync")
    _, backup_key = make_access_token(user, name="backup")
    assert _works(calendar_key) and _works(backup_key)

    client = Client()
    client.post(reverse("account_reset_password"), {"email": user.email})
    run_pending_tasks()
    [mail] = mailoutbox
    response = client.get(link_in(mail.body), follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302

    assert not _works(calendar_key) and not _works(backup_key)
    assert not AccessToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    notice = Notification.objects.get(recipient=user, event="account.tokens_revoked")
    assert "reset" in notice.title
    assert "calendar sync" in notice.body and "backup" in notice.body
    assert notice.url == reverse("accounts:tokens")
    assert notice.show_in_app
    run_pending_tasks()
    assert any("calendar sync" in m.body for m in mailoutbox if m.to == [user.email]), "told by e-mail too"


def test_it_revokes_every_token_when_the_password_is_changed(db):
    user = verified_user("vera@example.org")
    _, raw_key = make_access_token(user)
    client = _logged_in(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not _works(raw_key)
    notice = Notification.objects.get(recipient=user, event="account.tokens_revoked")
    assert "changed" in notice.title


def test_it_revokes_the_tokens_when_an_admin_sets_someones_password(db):
    user = verified_user("vera@example.org")
    _, raw_key = make_access_token(user)
    admin = verified_user("admin@example.org")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    response = _logged_in(admin).post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not _works(raw_key)
    assert Notification.objects.filter(recipient=user, event="account.tokens_revoked").exists()


def test_the_admin_changes_its_own_password_through_the_one_password_form(db):
    admin = verified_user("admin@example.org")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    response = _logged_in(admin).get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


def test_it_leaves_other_peoples_and_already_revoked_tokens_alone(db, outsider):
    user = verified_user("vera@example.org")
    old, _ = make_access_token(user, name="old")
    earlier = FROZEN - dt.timedelta(days=3)
    AccessToken.objects.filter(pk=old.pk).update(revoked_at=earlier)
    _, outsider_key = make_access_token(outsider)
    _logged_in(user).post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    old.refresh_from_db()
    assert old.revoked_at == earlier
    assert _works(outsider_key)
    # Nothing was revoked, so there is nothing to say (allauth's own notice still tells of the change).
    assert not Notification.objects.filter(event="account.tokens_revoked").exists()
