from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import NotificationFactory, OpenToHelpProfileFactory, UserFactory


@pytest.fixture
def world(owner, outsider, anonymous_client, owner_client, outsider_client):
    """The owner has one unread notification; the outsider must never reach it."""
    return SimpleNamespace(
        owner=owner,
        outsider=outsider,
        notification=NotificationFactory(recipient=owner, event="account.welcome", title="Welcome"),
        clients={"anonymous": anonymous_client, "owner": owner_client, "outsider": outsider_client},
    )


@pytest.fixture
def mentee(owner):
    return owner


@pytest.fixture
def helper(db):
    user = UserFactory(email="helper@example.org", with_profile=False)
    OpenToHelpProfileFactory(user=user, display_name="Hana Helper")
    return user
