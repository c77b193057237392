"""Reactions to allauth's account events (signals allauth owns; connected in AccountsConfig.ready)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_changed, password_reset, password_set
from django.dispatch import receiver

from openhelp.platform.accounts.services import revoke_tokens_after_password_change, welcome


@receiver(email_confirmed, dispatch_uid="accounts.welcome_on_first_confirmation")
def _welcome_on_first_confirmation(sender, request, email_address, **kwargs) -> None:
    # Changing to a new address confirms it too, while the old, verified one still exists: no welcome then.
    already_confirmed = (
        EmailAddress.objects.filter(user_id=email_address.user_id, verified=True)
        .exclude(pk=email_address.pk)
        .exists()
    )
    if not already_confirmed:
        welcome(user=email_address.user)


@receiver(password_reset, dispatch_uid="accounts.revoke_tokens_on_password_reset")
def _revoke_tokens_on_password_reset(sender, request, user, **kwargs) -> None:
    revoke_tokens_after_password_change(user=user, reset=True)


@receiver(password_changed, dispatch_uid="accounts.revoke_tokens_on_password_change")
@receiver(password_set, dispatch_uid="accounts.revoke_tokens_on_password_set")
def _revoke_tokens_on_password_change(sender, request, user, **kwargs) -> None:
    revoke_tokens_after_password_change(user=user, reset=False)
