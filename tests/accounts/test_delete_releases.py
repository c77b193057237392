"""Deleting an account calls each release named in settings.ACCOUNT_DELETION_RELEASES, in order, before
the delete: an explicit list in the composition root (accounts sits below the features that hold
commitments), not a signal that any app may listen to."""

from __future__ import annotations

import pytest

from openhelp.platform.accounts import services
from openhelp.platform.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CALLS: list[tuple[str, int, bool]] = []


def first_release(*, user) -> None:
    CALLS.append(("first", user.pk, User.objects.filter(pk=user.pk).exists()))


def second_release(*, user) -> None:
    CALLS.append(("second", user.pk, User.objects.filter(pk=user.pk).exists()))


def test_it_calls_the_configured_releases_in_order_before_deleting(settings):
    settings.ACCOUNT_DELETION_RELEASES = [f"{__name__}.first_release", f"{__name__}.second_release"]
    CALLS.clear()
    user = UserFactory()

    services.delete_account(user=user)

    assert CALLS == [("first", user.pk, True), ("second", user.pk, True)]  # each saw the account still there
    assert not User.objects.filter(pk=user.pk).exists()


def test_it_releases_office_hours_bookings_by_default(settings):
    assert settings.ACCOUNT_DELETION_RELEASES == [
        "openhelp.help.officehours.changes.cancel_for_deleted_account"
    ]
