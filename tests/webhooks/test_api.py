"""The REST API: the same workflows as the pages, organisers only, the secret in full only once."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.integrations.webhooks.models import Delivery, Endpoint
from openhelp.platform.outbox.kinds import KINDS
from tests.factories_webhooks import make_endpoint
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db

LIST = reverse("v1:webhook-endpoints")
BODY = {
    "url": "https://hooks.example.org/in",
    "description": "n8n",
    "kinds": ["offer.accepted", "kudos.given"],
}


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def endpoint(organiser, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    return make_endpoint(url="https://hooks.example.org/x", actor=organiser).endpoint


def test_members_and_strangers_get_404_everywhere(owner, endpoint):
    client, pk = api_client(owner), endpoint.pk
    assert client.get(LIST).status_code == 404
    assert client.post(LIST, BODY, format="json").status_code == 404
    for name in ("webhook-endpoint", "webhook-deliveries"):
        assert client.get(reverse(f"v1:{name}", args=[pk])).status_code == 404
    for name in ("webhook-endpoint-enable", "webhook-endpoint-rotate", "webhook-endpoint-test"):
        assert client.post(reverse(f"v1:{name}", args=[pk])).status_code == 404
    assert client.delete(reverse("v1:webhook-endpoint", args=[pk])).status_code == 404
    assert client.get(reverse("v1:webhook-event-kinds")).status_code == 404
    assert APIClient().get(LIST).status_code == 401  # not signed in: 401, as on every operation
    assert Endpoint.objects.count() == 1 and not Delivery.objects.exists()


def test_create_list_change_and_delete(organiser):
    client = api_client(organiser)
    created = client.post(LIST, BODY, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["secret_hint"] == f"•••• {body['secret'][-4:]}"
    assert body["kinds"] == ["kudos.given", "offer.accepted"]

    listed = client.get(LIST).json()
    assert [item["id"] for item in listed] == [body["id"]] and "secret" not in listed[0]

    detail = reverse("v1:webhook-endpoint", args=[body["id"]])
    changed = client.patch(detail, {"all_kinds": True}, format="json")
    assert changed.status_code == 200 and changed.json()["all_kinds"] is True
    assert changed.json()["url"] == BODY["url"]

    rotated = client.post(reverse("v1:webhook-endpoint-rotate", args=[body["id"]])).json()
    assert rotated["secret"] != body["secret"]

    assert client.delete(detail).status_code == 204
    assert client.get(detail).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "url": "http://169.254.169.254/latest/"}, "url"),
        ({**BODY, "url": "http://[::1]:8000/"}, "url"),
        ({**BODY, "kinds": ["nope"]}, "kinds"),
        ({**BODY, "kinds": []}, "kinds"),
    ],
)
def test_bad_input_is_a_400_in_the_one_error_shape(organiser, body, field, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    response = api_client(organiser).post(LIST, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_test_deliveries_and_replay(organiser, endpoint):
    client = api_client(organiser)
    queued = client.post(reverse("v1:webhook-endpoint-test", args=[endpoint.pk]))
    assert queued.status_code == 202 and queued.json()["kind"] == "webhook.test"

    log = client.get(reverse("v1:webhook-deliveries", args=[endpoint.pk])).json()
    assert [item["kind"] for item in log] == ["webhook.test"]
    replay = reverse("v1:webhook-delivery-replay", args=[endpoint.pk, log[0]["id"]])
    assert client.post(replay).status_code == 202

    Endpoint.objects.filter(pk=endpoint.pk).update(is_enabled=False)
    assert client.post(replay).status_code == 409
    assert client.post(reverse("v1:webhook-endpoint-test", args=[endpoint.pk])).status_code == 409
    enabled = client.post(reverse("v1:webhook-endpoint-enable", args=[endpoint.pk]))
    assert enabled.status_code == 200 and enabled.json()["is_enabled"] is True


def test_event_kinds_and_the_schema(organiser):
    client = api_client(organiser)
    kinds = client.get(reverse("v1:webhook-event-kinds")).json()
    assert [item["kind"] for item in kinds] == list(KINDS)
    schema = openapi_schema()
    assert "/api/v1/webhooks/endpoints/{id}/deliveries/{delivery_pk}/replay/" in schema["paths"]
    assert "secret" in schema["components"]["schemas"]["EndpointWithSecret"]["properties"]
