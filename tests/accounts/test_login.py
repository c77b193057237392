"""Logging in and out; brute force is throttled; nothing tells whether an address has an account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.platform.notifications.models import Notification
from tests.factories import PASSWORD
from tests.factories_accounts import link_in, verified_user
from tests.harness.tasks import run_pending_tasks

WRONG = "not the password at all"


def _login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_logs_in_and_out_with_email_and_password(db, client):
    verified_user("vera@example.org")
    response = _login(client, "vera@example.org", PASSWORD)
    assert response.status_code == 302
    assert _is_logged_in(client)
    client.post(reverse("account_logout"))
    assert not _is_logged_in(client)


def test_it_renders_the_login_page_inside_the_site_layout(db, client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert "<title>" in html and "· Open to Help</title>" in html
    assert reverse("account_reset_password") in html


def test_it_throttles_login_after_repeated_failures(db, client):
    verified_user("vera@example.org")
    for _ in range(5):
        response = _login(client, "vera@example.org", WRONG)
        assert "not correct" in response.content.decode()
    # Even the right password is refused while the limit holds.
    response = _login(client, "vera@example.org", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not _is_logged_in(client)


def test_it_throttles_per_address_across_different_clients(db):
    verified_user("vera@example.org")
    for n in range(5):
        _login(Client(REMOTE_ADDR=f"10.0.0.{n}"), "vera@example.org", WRONG)
    other_ip = Client(REMOTE_ADDR="10.0.0.99")
    response = _login(other_ip, "vera@example.org", PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert not _is_logged_in(other_ip)


def test_it_answers_a_wrong_password_and_an_unknown_address_the_same_way(db, client):
    verified_user("vera@example.org")
    known = _login(client, "vera@example.org", WRONG)
    unknown = _login(Client(), "nobody@example.org", WRONG)
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    assert known.content.decode().replace("vera@example.org", "X") == unknown.content.decode().replace(
        "nobody@example.org", "X"
    ).replace(str(unknown.context["csrf_token"]), str(known.context["csrf_token"]))


@pytest.mark.django_db(transaction=True)
def test_it_answers_a_password_reset_the_same_way_for_unknown_addresses(client, mailoutbox):
    verified_user("vera@example.org")
    known = client.post(reverse("account_reset_password"), {"email": "vera@example.org"})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert mailoutbox == []

    assert run_pending_tasks() == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    assert by_address["vera@example.org"].subject == "Reset your Open to Help password"
    nobody = by_address["nobody@example.org"]
    assert "do not have any record of such an account" in nobody.body
    assert nobody.alternatives, "every e-mail has an HTML part"
    assert Notification.objects.get(email_to="nobody@example.org").recipient is None


@pytest.mark.django_db(transaction=True)
def test_it_resets_a_forgotten_password(client, mailoutbox):
    user = verified_user("vera@example.org")
    client.post(reverse("account_reset_password"), {"email": "vera@example.org"})
    run_pending_tasks()
    [mail] = mailoutbox
    assert "Choose a new password" in mail.alternatives[0][0]

    response = client.get(link_in(mail.body), follow=True)
    assert response.status_code == 200
    new_password = "another quite long passphrase"
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else link_in(mail.body),
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    reset = Notification.objects.get(event="account.password_reset")
    assert reset.context == {}, "the reset link is erased once delivered"

    # allauth also tells the person their password changed; that notice goes through the worker too.
    run_pending_tasks()
    notice = mailoutbox[-1]
    assert notice.to == ["vera@example.org"]
    assert "password" in notice.subject.lower()
    assert _login(Client(), "vera@example.org", new_password).status_code == 302


def test_successful_logins_per_address_are_limited_by_the_configured_rate(db, settings):
    # RATE_LIMIT_LOGIN (default allauth's 30/m/ip) is what an office behind one address may need to raise.
    assert settings.ACCOUNT_RATE_LIMITS["login"] == "30/m/ip"
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for n in range(3):
        verified_user(f"person{n}@example.org")
    for n in range(2):
        client = Client(REMOTE_ADDR="10.0.0.7")
        assert _login(client, f"person{n}@example.org", PASSWORD).status_code == 302
        assert _is_logged_in(client)
    third = Client(REMOTE_ADDR="10.0.0.7")
    response = _login(third, "person2@example.org", PASSWORD)
    assert response.status_code == 429
    assert not _is_logged_in(third)
    elsewhere = Client(REMOTE_ADDR="10.0.0.8")
    assert _login(elsewhere, "person2@example.org", PASSWORD).status_code == 302


def test_password_reset_e_mails_to_one_address_stop_after_five_an_hour(client, db, time_machine):
    """Probed: five a minute per address let anyone bomb one inbox with 7,000 reset e-mails a day."""
    start = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    verified_user(email="vera@example.org")
    for _ in range(5):
        assert (
            client.post(reverse("account_reset_password"), {"email": "vera@example.org"}).status_code == 302
        )
    time_machine.move_to(start + dt.timedelta(minutes=30), tick=False)
    refused = Client().post(reverse("account_reset_password"), {"email": "VERA@example.org"})
    assert refused.status_code == 429 and "Too Many Requests" in refused.content.decode()


def test_the_login_page_speaks_like_the_rest_of_the_site_and_keeps_the_address_after_an_error(db, client):
    verified_user("vera@example.org")
    page = client.get(reverse("account_login")).content.decode()

    assert "<h1>Log in</h1>" in page and "Sign In" not in page and "Remember Me" not in page
    assert 'class="card container-narrow"' in page and "Keep me logged in on this device" in page
    assert "Continue with your company account" in page
    refused = _login(client, "vera@example.org", WRONG).content.decode()
    assert 'value="vera@example.org"' in refused and "Sign In" not in refused


def test_a_visitor_sent_to_log_in_from_a_members_page_is_told_why(db, client):
    # The home page's "Find help" search is for members: a visitor landed on a bare "Log in".
    response = client.get(reverse("people:directory") + "?q=k8s", follow=True)

    page = response.content.decode()
    assert response.redirect_chain and "<h1>Log in</h1>" in page
    assert "The page you opened is for members: log in to go on to it." in page
    assert "The page you opened" not in client.get(reverse("account_login")).content.decode()


def test_after_signing_up_the_page_says_check_your_e_mail(db, client):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Nina New",
            "email": "nina@example.org",
            "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
            "timezone": "Europe/Berlin",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "<h1>Check your e-mail</h1>" in page and "Verify Your Email Address" not in page


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_link_works_once(client, mailoutbox):
    """Probed (issue: security review): a reset link used once cannot set the password again, in this
    browser or in another one that kept the link."""
    verified_user("vera@example.org")
    client.post(reverse("account_reset_password"), {"email": "vera@example.org"})
    run_pending_tasks()
    link = link_in(mailoutbox[0].body)
    other = Client()
    page = client.get(link, follow=True)
    form = page.redirect_chain[-1][0] if page.redirect_chain else link
    first = "another quite long passphrase"
    assert client.post(form, {"password1": first, "password2": first}).status_code == 302

    second = "the attacker's own passphrase"
    for browser in (client, other):
        page = browser.get(link, follow=True)
        target = page.redirect_chain[-1][0] if page.redirect_chain else link
        browser.post(target, {"password1": second, "password2": second})
    assert _login(Client(), "vera@example.org", first).status_code == 302
    assert _login(Client(), "vera@example.org", second).status_code != 302


def test_logging_in_gives_a_new_session_and_logging_out_ends_it(db):
    """Probed (security review): a session id planted before the login (session fixation) is not the one
    that is signed in, and a copy of the signed-in cookie is worth nothing after logging out."""
    verified_user("vera@example.org")
    client = Client()
    client.post(reverse("account_login"), {"login": "vera@example.org", "password": WRONG})
    planted = client.session.session_key
    _login(client, "vera@example.org", PASSWORD)
    signed_in = client.session.session_key
    assert planted is not None and signed_in != planted
    client.post(reverse("account_logout"))
    copy = Client()
    copy.cookies["sessionid"] = signed_in
    assert copy.get("/api/v1/me/").status_code == 401
