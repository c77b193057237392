"""Deleting an account: the password and a typed confirmation, then everything personal is gone."""

from __future__ import annotations

import time_machine
from django.urls import reverse
from django.utils import timezone

from openhelp.directory.skills.models import Skill
from openhelp.platform.accounts import services
from openhelp.platform.accounts.models import User
from tests.factories import (
    PASSWORD,
    NotificationFactory,
    NotificationPreferenceFactory,
    SkillFactory,
    make_access_token,
)
from tests.factories_accounts import assert_only_their_data_is_gone, verify


def test_it_asks_for_the_password_and_a_typed_confirmation(owner_client):
    html = owner_client.get(reverse("accounts:delete")).content.decode()
    assert '<label for="id_password">' in html
    assert "Type “delete my account” to confirm" in html


def test_it_keeps_the_account_when_the_password_is_wrong(owner, owner_client):
    response = owner_client.post(
        reverse("accounts:delete"), {"password": "wrong", "confirmation": "delete my account"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"password": ["That is not your current password."]}
    assert 'value="delete my account"' in response.content.decode(), "what was typed is kept"
    assert User.objects.filter(pk=owner.pk).exists()


def test_it_keeps_the_account_without_the_typed_confirmation(owner, owner_client):
    response = owner_client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirmation": "yes"})
    assert response.context["form"].errors == {"confirmation": ["Type “delete my account” exactly."]}
    assert User.objects.filter(pk=owner.pk).exists()


def test_it_deletes_the_account_and_everything_personal(owner, outsider, owner_client):
    verify(owner)
    NotificationFactory(recipient=owner)
    NotificationPreferenceFactory(user=owner)
    make_access_token(owner)
    proposed = SkillFactory(name="Terraform", proposed_by=owner, status=Skill.Status.PROPOSED)
    others = NotificationFactory(recipient=outsider)

    response = owner_client.post(
        reverse("accounts:delete"), {"password": PASSWORD, "confirmation": "  Delete my ACCOUNT "}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert_only_their_data_is_gone(owner, proposed=proposed, others_notification=others)
    # Logged out: the settings page now sends them to log in.
    assert owner_client.get(reverse("accounts:settings")).status_code == 302


def test_it_limits_password_guesses_on_the_delete_page(owner, owner_client):
    for _ in range(10):
        owner_client.post(
            reverse("accounts:delete"), {"password": "guess", "confirmation": "delete my account"}
        )
    response = owner_client.post(
        reverse("accounts:delete"), {"password": PASSWORD, "confirmation": "delete my account"}
    )
    assert "Too many attempts" in response.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()


def test_it_deletes_through_the_service(owner):
    services.delete_account(user=owner)
    assert not User.objects.filter(pk=owner.pk).exists()


def test_past_the_limit_the_delete_page_does_not_even_check_the_password(owner, owner_client):
    with time_machine.travel(timezone.now(), tick=False):  # all eleven in the same minute
        for _ in range(10):  # the right password, the wrong phrase: only allauth's limit counts these
            owner_client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirmation": "no"})
        response = owner_client.post(
            reverse("accounts:delete"), {"password": "guess", "confirmation": "delete my account"}
        )
    assert response.context["form"].errors == {"__all__": ["Too many attempts. Wait a minute and try again."]}
    assert "not your current password" not in response.content.decode(), "no way to tell right from wrong"
