"""Helpers for the accounts and notifications tests beyond the shared factories."""

from __future__ import annotations

import re
import socket

from allauth.account.models import EmailAddress

from openhelp.directory.people.models import Profile
from openhelp.platform.accounts.models import AccessToken, User
from openhelp.platform.notifications.models import Notification, NotificationPreference
from tests.factories import PASSWORD, ProfileFactory, UserFactory


def verified_user(email: str = "verified@example.org", *, password: str = PASSWORD, **profile):
    """A person who signed up and confirmed their address, so they can log in through the real form."""
    user = UserFactory(email=email, with_profile=False, password=password)
    ProfileFactory(user=user, **({"display_name": "Vera Verified"} | profile))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def verify(user) -> EmailAddress:
    """Give an existing fixture person a confirmed allauth address (conftest people have none)."""
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return address


def assert_only_their_data_is_gone(person, *, proposed, others_notification) -> None:
    """After deleting an account (page or API): the person and everything theirs is gone; a skill they
    proposed stays, unattributed; someone else's notification stays."""
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Profile.objects.filter(user_id=person.pk).exists()
    assert not Notification.objects.filter(recipient_id=person.pk).exists()
    assert not NotificationPreference.objects.filter(user_id=person.pk).exists()
    assert not AccessToken.objects.filter(user_id=person.pk).exists()
    assert not EmailAddress.objects.filter(user_id=person.pk).exists()
    proposed.refresh_from_db()
    assert proposed.proposed_by is None
    assert Notification.objects.filter(pk=others_notification.pk).exists()


def link_in(text: str) -> str:
    """The first http(s) link in an e-mail's text part."""
    match = re.search(r"https?://\S+", text)
    assert match, f"no link in: {text!r}"
    return match.group(0)


def free_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
