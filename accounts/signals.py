"""Reactions to allauth's account events."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.dispatch import Signal, receiver

from accounts.services import welcome

# Sent (with ``user``) just before the account and its rows are deleted, outside any transaction.
account_deleting = Signal()


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
