"""The notifications API: list (unread first, ?unread=), count, mark read, preferences."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from openhelp.platform.notifications.addresses import PAGE_TO_API, api_address
from openhelp.platform.notifications.models import Notification, NotificationPreference
from tests.factories import NotificationFactory
from tests.harness.openapi import openapi_schema
from tests.harness.queries import assert_constant_queries

BASE = "/api/v1/notifications/"


def test_it_lists_the_persons_notifications_paginated(owner, outsider, owner_client):
    read = NotificationFactory(recipient=owner, event="account.welcome", title="Read")
    read.read_at = read.created_at
    read.save()
    unread = NotificationFactory(recipient=owner, event="account.welcome", title="Unread")
    NotificationFactory(recipient=outsider, title="Theirs")
    NotificationFactory(recipient=owner, event="account.security_notice", show_in_app=False)
    body = owner_client.get(BASE).json()
    assert body["count"] == 2
    assert [n["title"] for n in body["results"]] == ["Unread", "Read"]
    assert body["results"][0] == {
        "id": unread.pk,
        "event": "account.welcome",
        "title": "Unread",
        "body": "",
        "url": "",
        "api_url": "",
        "created_at": body["results"][0]["created_at"],
        "read_at": None,
        "is_read": False,
    }
    assert [n["title"] for n in owner_client.get(BASE, {"unread": "true"}).json()["results"]] == ["Unread"]
    assert [n["title"] for n in owner_client.get(BASE, {"unread": "false"}).json()["results"]] == ["Read"]
    assert owner_client.get(BASE, {"page_size": 1}).json()["next"] is not None


def test_it_counts_and_marks_notifications_read(owner, owner_client):
    first, second = NotificationFactory.create_batch(2, recipient=owner, event="account.welcome")
    assert owner_client.get(f"{BASE}unread-count/").json() == {"unread_count": 2}
    marked = owner_client.post(f"{BASE}{first.pk}/read/").json()
    assert marked["is_read"] is True and marked["read_at"]
    assert owner_client.get(f"{BASE}unread-count/").json() == {"unread_count": 1}
    assert owner_client.post(f"{BASE}read-all/").json() == {"marked": 1, "unread_count": 0}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_it_hides_someone_elses_notification(owner, outsider_client):
    note = NotificationFactory(recipient=owner)
    response = outsider_client.post(f"{BASE}{note.pk}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_reads_and_updates_preferences(owner, owner_client):
    rows = {row["event"]: row for row in owner_client.get(f"{BASE}preferences/").json()}
    assert rows["account.welcome"]["channels"]["email"] == {"offered": True, "enabled": True, "locked": False}
    assert rows["account.password_reset"]["channels"]["email"]["locked"] is True
    assert rows["account.password_reset"]["channels"]["in_app"]["offered"] is False

    response = owner_client.put(
        f"{BASE}preferences/",
        {"preferences": [{"event": "account.welcome", "channel": "email", "enabled": False}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    rows = {row["event"]: row for row in response.json()}
    assert rows["account.welcome"]["channels"]["email"]["enabled"] is False
    assert NotificationPreference.objects.get(user=owner).enabled is False


def test_it_refuses_bad_preference_changes_with_field_errors(owner, owner_client):
    mandatory = owner_client.put(
        f"{BASE}preferences/",
        {"preferences": [{"event": "account.password_reset", "channel": "email", "enabled": False}]},
        content_type="application/json",
    )
    assert mandatory.status_code == 400
    assert "cannot be switched off" in mandatory.json()["error"]["fields"]["account.password_reset"][0]
    bad_channel = owner_client.put(
        f"{BASE}preferences/",
        {"preferences": [{"event": "account.welcome", "channel": "sms", "enabled": True}]},
        content_type="application/json",
    )
    assert bad_channel.status_code == 400
    assert "preferences" in bad_channel.json()["error"]["fields"]
    empty = owner_client.put(f"{BASE}preferences/", {}, content_type="application/json")
    assert empty.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_it_lists_without_n_plus_one_queries(owner, owner_client):
    def grow(n: int) -> None:
        Notification.objects.bulk_create(
            Notification(recipient=owner, event="account.welcome", title=f"N{i}") for i in range(n)
        )

    assert_constant_queries(grow=grow, action=lambda: owner_client.get(BASE))


def test_it_describes_the_endpoints_in_the_openapi_schema(owner_client):
    schema = openapi_schema()
    paths = schema["paths"]
    for path in [
        "/api/v1/notifications/",
        "/api/v1/notifications/unread-count/",
        "/api/v1/notifications/{notification_id}/read/",
        "/api/v1/notifications/read-all/",
        "/api/v1/notifications/preferences/",
        "/api/v1/tokens/",
        "/api/v1/tokens/{token_id}/",
    ]:
        assert path in paths, path
    assert paths["/api/v1/notifications/"]["get"]["summary"] == "Your notifications, unread first"


def test_a_notification_says_where_the_api_reads_what_it_is_about(owner, owner_client):
    """A client follows a notification to its object: ``api_url`` beside the page's ``url``."""
    about_an_ask = NotificationFactory(recipient=owner, event="ask.accepted", url="/asks/12/#message-3")
    about_an_offer = NotificationFactory(recipient=owner, event="ask.offer.received", url="/inbox/offers/7/")
    about_an_introduction = NotificationFactory(
        recipient=owner, event="introduction.received", url="/moments/introductions/4/"
    )
    about_nothing = NotificationFactory(recipient=owner, event="account.welcome", url="/settings/nowhere/")

    rows = {n["id"]: n["api_url"] for n in owner_client.get(BASE).json()["results"]}

    assert rows[about_an_ask.pk] == "/api/v1/asks/12/"
    assert rows[about_an_offer.pk] == "/api/v1/offers/7/"
    assert rows[about_an_introduction.pk] == "/api/v1/introductions/4/"
    assert rows[about_nothing.pk] == ""


@pytest.mark.parametrize("page", sorted(PAGE_TO_API))
def test_every_page_a_notification_names_has_its_operation(page):
    api_name, arguments = PAGE_TO_API[page]
    values = {"pk": 5, "slug": "python", "ask_id": 5}
    url = reverse(page, kwargs={key: values[key] for key in arguments})

    address = api_address(url)

    assert address and f"{resolve(address).namespace}:{resolve(address).url_name}" == api_name
