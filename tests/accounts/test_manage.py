"""Managing the account: change e-mail, change password, two-factor authentication."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client
from django.urls import reverse

from openhelp.platform.accounts.models import User
from openhelp.platform.notifications.models import Notification
from tests.factories import PASSWORD
from tests.factories_accounts import link_in, verified_user
from tests.harness.tasks import run_pending_tasks


def _logged_in(email: str = "vera@example.org") -> Client:
    """A client that logged in through the form, so allauth knows when it last authenticated."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


@pytest.mark.django_db(transaction=True)
def test_it_changes_the_email_address_after_confirming_the_new_one(mailoutbox):
    user = verified_user("vera@example.org")
    client = _logged_in()
    page = client.get(reverse("account_email"))
    assert page.status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # asked before any change
    response = client.post(reverse("account_email"), {"action_add": "", "email": "vera.new@example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "vera@example.org", "unchanged until the new address is confirmed"

    run_pending_tasks()
    [confirm] = [m for m in mailoutbox if m.to == ["vera.new@example.org"]]
    assert confirm.subject == "Confirm your e-mail address for Open to Help"
    assert Notification.objects.get(email_to="vera.new@example.org").recipient == user
    client.post(link_in(confirm.body))
    user.refresh_from_db()
    assert user.email == "vera.new@example.org"

    run_pending_tasks()
    [notice] = [m for m in mailoutbox if m.to == ["vera@example.org"]]
    assert "vera.new@example.org" in notice.body, "the old address hears about the change"
    assert "always sent" in notice.body
    assert not Notification.objects.filter(event="account.welcome").exists(), "welcome is for new accounts"


@pytest.mark.django_db(transaction=True)
def test_a_session_proves_the_password_again_before_changing_the_address():
    # A session left open (or stolen) could start an address change at once; the new address confirmed,
    # a password reset to it took the account.
    user = verified_user("vera@example.org")
    client = _logged_in()
    response = client.post(reverse("account_email"), {"action_add": "", "email": "mallory@example.org"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not user.emailaddress_set.filter(email="mallory@example.org").exists()

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_add": "", "email": "vera.new@example.org"})
    assert user.emailaddress_set.filter(email="vera.new@example.org").exists()


def test_it_changes_the_password(db):
    user = verified_user("vera@example.org")
    client = _logged_in()
    new = "a different long passphrase"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    notice = Notification.objects.get(recipient=user, event="account.security_notice")
    assert notice.email_status == Notification.DeliveryStatus.PENDING
    assert "Password" in notice.context["subject"]


def test_it_refuses_a_wrong_current_password_when_changing_it(db):
    user = verified_user("vera@example.org")
    client = _logged_in()
    new = "a different long passphrase"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "nope nope", "password1": new, "password2": new}
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the middle one is now; the others are the allowed drift
    return format_hotp_value(hotp_value(secret, counter))


# A fixed instant in the middle of a 30-second TOTP step: with allauth's tolerance of 0 steps, a code worked out
# at the end of one step and checked in the next was refused (a failure that depended on the second).
@time_machine.travel(dt.datetime(2026, 12, 6, 10, 0, 10, tzinfo=dt.UTC), tick=False)
def test_it_turns_on_two_factor_authentication_and_then_asks_for_a_code(
    db, django_capture_on_commit_callbacks
):
    user = verified_user("vera@example.org")
    client = _logged_in()
    index = client.get(reverse("mfa_index"))
    assert index.status_code == 200
    # Turning it on asks for the password again first.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    client.post(page["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()
    assert '<a class="skip-link"' in page.content.decode(), "inside the site layout"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Notification.objects.filter(recipient=user, event="account.security_notice").exists()

    settings_page = _logged_in_two_step(user, secret)
    assert settings_page.status_code == 200


def _logged_in_two_step(user: User, secret: str):
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    return client.get(reverse("accounts:settings"))
