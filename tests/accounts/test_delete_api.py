"""Deleting one's own account over the API: the web's confirmation (password and typed phrase), its limits
shared with the page, its service (releases first, then everything personal), 204; never a session
request without its CSRF token."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openhelp.directory.skills.models import Skill
from openhelp.platform.accounts.models import User
from openhelp.platform.outbox.models import Event
from tests.factories import (
    PASSWORD,
    NotificationFactory,
    NotificationPreferenceFactory,
    SkillFactory,
    make_access_token,
)
from tests.factories_accounts import assert_only_their_data_is_gone, verify

pytestmark = pytest.mark.django_db
URL = "/api/v1/account/delete/"
CONFIRMED = {"password": PASSWORD, "confirmation": "delete my account"}
RELEASED: list[int] = []


def recording_release(*, user) -> None:
    RELEASED.append(user.pk)


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_access_token(user)[1]}"})


def _delete(client: Client, body: dict, **headers):
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_it_deletes_the_account_and_everything_personal(owner, outsider, settings):
    settings.ACCOUNT_DELETION_RELEASES = [
        *settings.ACCOUNT_DELETION_RELEASES,
        f"{__name__}.recording_release",
    ]
    RELEASED.clear()
    verify(owner)
    NotificationFactory(recipient=owner)
    NotificationPreferenceFactory(user=owner)
    proposed = SkillFactory(name="Terraform", proposed_by=owner, status=Skill.Status.PROPOSED)
    others = NotificationFactory(recipient=outsider)

    response = _delete(_api(owner), {"password": PASSWORD, "confirmation": "  Delete my ACCOUNT "})

    assert response.status_code == 204 and response.content == b""
    assert RELEASED == [owner.pk], "the service's releases ran"
    assert Event.objects.filter(kind="person.deleted", payload__person=owner.pk).exists()
    assert_only_their_data_is_gone(owner, proposed=proposed, others_notification=others)


def _session_with_csrf(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("accounts:delete"))  # the page sets the CSRF cookie, as a browser would get it
    return client, client.cookies["csrftoken"].value


def test_a_browser_session_deletes_with_its_csrf_token_and_is_signed_out(owner):
    client, csrf = _session_with_csrf(owner)
    response = _delete(client, CONFIRMED, **{"X-CSRFToken": csrf})
    assert response.status_code == 204
    assert not User.objects.filter(pk=owner.pk).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_a_browser_session_without_its_csrf_token_is_refused(owner):
    client, _ = _session_with_csrf(owner)
    response = _delete(client, CONFIRMED)
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert User.objects.filter(pk=owner.pk).exists()


def test_anonymous_gets_401(owner):
    response = _delete(Client(), CONFIRMED)
    assert response.status_code == 401 and "WWW-Authenticate" in response
    assert User.objects.filter(pk=owner.pk).exists()


def test_it_deletes_only_the_callers_account(owner, outsider):
    assert _delete(_api(outsider), CONFIRMED).status_code == 204
    assert User.objects.filter(pk=owner.pk).exists()
    assert not User.objects.filter(pk=outsider.pk).exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"password": "wrong", "confirmation": "delete my account"}, "password", "not your current password"),
        ({"password": PASSWORD, "confirmation": "yes"}, "confirmation", "Type “delete my account” exactly."),
        ({"confirmation": "delete my account"}, "password", "required"),
        ({"password": PASSWORD}, "confirmation", "required"),
        ({**CONFIRMED, "reason": "bye"}, "reason", "no such field"),
        ({"password": PASSWORD, "confirmation": "x" * 41}, "confirmation", "no more than 40"),
    ],
)
def test_it_keeps_the_account_on_bad_input(owner, body, field, message):
    response = _delete(_api(owner), body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and message in " ".join(error["fields"][field])
    assert User.objects.filter(pk=owner.pk).exists()


def test_five_wrong_passwords_in_an_hour_refuse_even_the_right_one(owner):
    api = _api(owner)
    with time_machine.travel(dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False) as traveller:
        for _ in range(5):
            assert _delete(api, {**CONFIRMED, "password": "guess"}).status_code == 400
        refused = _delete(api, CONFIRMED)
        assert refused.status_code == 429 and refused["Retry-After"] == "3600"
        assert "Too many wrong passwords" in refused.json()["error"]["message"]
        page = Client()
        page.force_login(owner)
        shown = page.post(reverse("accounts:delete"), CONFIRMED)
        assert "Too many wrong passwords" in shown.content.decode(), "the page counts the same guesses"
        assert User.objects.filter(pk=owner.pk).exists()
        traveller.shift(dt.timedelta(hours=1, seconds=1))
        assert _delete(api, CONFIRMED).status_code == 204


def test_it_shares_the_pages_limit_of_ten_attempts_a_minute(owner):
    page = Client()
    page.force_login(owner)
    for _ in range(10):  # right password, wrong phrase: only the per-minute limit counts these
        page.post(reverse("accounts:delete"), {**CONFIRMED, "confirmation": "no"})
    refused = _delete(_api(owner), CONFIRMED)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Too many attempts" in refused.json()["error"]["message"]
    assert User.objects.filter(pk=owner.pk).exists()
