"""Who may see and change what in the notification centre, on the web and over the API."""

from __future__ import annotations

from django.urls import reverse

from tests.harness.access import Row, assert_access_matrix

API = "/api/v1/notifications/"

ACCESS = [
    Row("GET", lambda w: reverse("notifications:list"), {"anonymous": 302, "owner": 200, "outsider": 200}),
    Row("GET", lambda w: reverse("notifications:preferences"), {"anonymous": 302, "owner": 200}),
    Row("POST", lambda w: reverse("notifications:preferences"), {"anonymous": 302, "owner": 302}, data={}),
    Row("GET", lambda w: reverse("notifications:read", args=[w.notification.pk]), {"owner": 405}),
    Row(
        "POST",
        lambda w: reverse("notifications:read", args=[w.notification.pk]),
        {"anonymous": 302, "outsider": 404, "owner": 302},
    ),
    Row(
        "POST", lambda w: reverse("notifications:read-all"), {"anonymous": 302, "outsider": 302, "owner": 302}
    ),
    Row("GET", lambda w: API, {"anonymous": 401, "owner": 200, "outsider": 200}),
    Row("GET", lambda w: f"{API}unread-count/", {"anonymous": 401, "owner": 200}),
    Row(
        "POST", lambda w: f"{API}{w.notification.pk}/read/", {"anonymous": 401, "outsider": 404, "owner": 200}
    ),
    Row("POST", lambda w: f"{API}read-all/", {"anonymous": 401, "owner": 200}),
    Row("GET", lambda w: f"{API}preferences/", {"anonymous": 401, "owner": 200}),
    Row(
        "PUT",
        lambda w: f"{API}preferences/",
        {"anonymous": 401, "owner": 200},
        data={"preferences": [{"event": "account.welcome", "channel": "email", "enabled": True}]},
        json=True,
    ),
]


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)
