"""Signing up: name and time zone, a verification e-mail sent by the worker, confirmation, a welcome."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from openhelp.platform.accounts.models import User
from openhelp.platform.notifications.models import Notification
from tests.factories_accounts import link_in, verified_user
from tests.harness.tasks import run_pending_tasks

SIGNUP = {
    "display_name": "Sam Signup",
    "email": "sam@example.org",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
    "timezone": "America/Sao_Paulo",
}


def test_it_offers_time_zone_suggestions_on_the_signup_page(anonymous_client, db):
    html = anonymous_client.get(reverse("account_signup")).content.decode()
    assert '<datalist id="timezone-options">' in html
    assert '<option value="Europe/Berlin">' in html
    assert 'list="timezone-options"' in html
    assert "data-detect-timezone" in html
    assert '<label for="id_display_name">' in html


@pytest.mark.django_db(transaction=True)
def test_it_signs_up_verifies_the_address_and_welcomes_the_person(anonymous_client, mailoutbox):
    response = anonymous_client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="sam@example.org")
    assert user.profile.display_name == "Sam Signup"
    assert user.profile.timezone == "America/Sao_Paulo"
    # Nothing is sent inside the request: the e-mail waits for the worker.
    assert mailoutbox == []
    verification = Notification.objects.get(recipient=user, event="account.email_verification")
    assert verification.email_status == Notification.DeliveryStatus.PENDING
    assert not verification.show_in_app

    assert run_pending_tasks() == 1
    [mail] = mailoutbox
    assert mail.to == ["sam@example.org"]
    assert mail.subject == "Confirm your e-mail address for Open to Help"
    assert "Hello Sam Signup," in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert "Confirm my e-mail address" in html
    verification.refresh_from_db()
    assert verification.email_status == Notification.DeliveryStatus.SENT
    assert verification.context == {}, "the one-time link is erased once delivered"

    confirm_url = link_in(mail.body)
    assert anonymous_client.get(confirm_url).status_code == 200
    response = anonymous_client.post(confirm_url)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified
    assert anonymous_client.get(reverse("accounts:settings")).status_code == 200, "logged in on confirmation"

    welcome = Notification.objects.get(recipient=user, event="account.welcome")
    assert welcome.show_in_app
    assert welcome.url == reverse("people:me")
    assert run_pending_tasks() == 1
    assert mailoutbox[1].subject == "Welcome to Open to Help"
    assert "Unsubscribe or change what you get" in mailoutbox[1].body


def test_it_refuses_an_unknown_time_zone_and_keeps_what_was_typed(anonymous_client, db):
    response = anonymous_client.post(reverse("account_signup"), {**SIGNUP, "timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["timezone"] == [
        "“Mars/Olympus_Mons” is not a known time zone. Use an IANA name such as Europe/Berlin."
    ]
    assert set(form.errors) == {"timezone"}
    html = response.content.decode()
    assert 'value="Sam Signup"' in html
    assert 'value="sam@example.org"' in html
    assert 'value="Mars/Olympus_Mons"' in html
    assert not User.objects.filter(email="sam@example.org").exists()


@pytest.mark.django_db(transaction=True)
def test_it_does_not_reveal_an_existing_account_at_signup(anonymous_client, mailoutbox):
    existing = verified_user("sam@example.org")
    taken = anonymous_client.post(reverse("account_signup"), SIGNUP)
    fresh = anonymous_client.post(reverse("account_signup"), {**SIGNUP, "email": "new@example.org"})
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email="sam@example.org").count() == 1

    assert run_pending_tasks() == 2
    to_existing = next(m for m in mailoutbox if m.to == ["sam@example.org"])
    # The owner of the address hears about it by e-mail instead.
    assert Notification.objects.get(email_to="sam@example.org").recipient == existing
    assert "already" in to_existing.body.lower()
    assert to_existing.alternatives


def test_a_taken_address_costs_the_same_password_hashing_as_a_free_one(anonymous_client, db, monkeypatch):
    """No account enumeration by timing: signing up with a registered address used to skip the password
    hash (most of the request's time), so it answered about five times faster than a new address."""
    hasher = type(get_hasher())
    hashed = []
    original = hasher.encode
    monkeypatch.setattr(
        hasher, "encode", lambda self, *args, **kwargs: hashed.append(1) or original(self, *args, **kwargs)
    )

    verified_user(email="taken@example.org")
    hashed.clear()
    for address in ("taken@example.org", "free@example.org"):
        response = anonymous_client.post(reverse("account_signup"), {**SIGNUP, "email": address})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")  # the same answer
        assert len(hashed) == 1, address
        hashed.clear()


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_page_speaks_our_words_and_an_old_link_says_what_to_do(anonymous_client, mailoutbox):
    anonymous_client.post(reverse("account_signup"), SIGNUP)
    run_pending_tasks()
    confirm_url = link_in(mailoutbox[0].body)

    html = anonymous_client.get(confirm_url).content.decode()

    assert "<h1>Confirm your e-mail address</h1>" in html
    assert "<strong>sam@example.org</strong> your address?" in html
    assert ">Confirm my e-mail address</button>" in html
    assert "for user" not in html and "Email Address" not in html

    expired = anonymous_client.get(reverse("account_confirm_email", args=["no-such-key"])).content.decode()
    assert "This link has expired or has already been used." in expired
    assert (
        f'<a href="{reverse("account_login")}">Log in</a>: if your address still needs confirming' in expired
    )
    assert "issue a new email confirmation request" not in expired


@pytest.mark.django_db(transaction=True)
def test_confirming_the_address_lands_on_today_with_one_welcome_not_two_banners(anonymous_client, mailoutbox):
    # Confirming signed the person in with two banners ("You have confirmed …", "Successfully signed in as
    # …"); every later sign-in had the second. One welcome now, and no banner on a sign-in.
    anonymous_client.post(reverse("account_signup"), SIGNUP, follow=True)  # "Check your e-mail"
    run_pending_tasks()

    response = anonymous_client.post(link_in(mailoutbox[0].body), follow=True)

    said = [str(message) for message in response.context["messages"]]
    assert said == ["Your e-mail address is confirmed. Welcome to Open to Help!"]
    anonymous_client.logout()
    response = anonymous_client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}, follow=True
    )
    assert response.redirect_chain and not list(response.context["messages"])


def test_the_password_rules_are_one_line_and_still_apply(anonymous_client, db):
    html = anonymous_client.get(reverse("account_signup")).content.decode()
    assert "At least 10 characters: not a common password, not only digits" in html
    assert "<ul><li>Your password can’t be too similar" not in html
    assert 'placeholder="Password' not in html

    response = anonymous_client.post(
        reverse("account_signup"), {**SIGNUP, "password1": "short", "password2": "short"}
    )
    assert "This password is too short" in " ".join(response.context["form"].errors["password1"])
    assert 'value="Sam Signup"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_account_notices_speak_like_the_rest_of_the_site(anonymous_client, mailoutbox):
    # allauth's own words ("Confirmation email sent to …", "You have signed out.") next to ours ("e-mail",
    # "Log out") read like two products.
    response = anonymous_client.post(reverse("account_signup"), SIGNUP, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["We sent a link to confirm sam@example.org."]
    run_pending_tasks()
    anonymous_client.post(link_in(mailoutbox[0].body), follow=True)  # on Today, welcomed

    response = anonymous_client.post(reverse("account_logout"), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["You are logged out."]


@pytest.mark.parametrize("name", ["account_signup", "account_login"])
def test_the_entrance_forms_are_a_narrow_card(anonymous_client, db, name):
    # A 70 rem card around 36 rem fields was mostly an empty box on a desktop.
    html = anonymous_client.get(reverse(name)).content.decode()

    assert f'action="{reverse(name)}" class="card container-narrow">' in html
