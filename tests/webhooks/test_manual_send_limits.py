"""Test messages and deliveries sent again by hand have an hourly ceiling per person: each is a POST from this
server to any public URL an organiser chose (60 tests in a row were queued before)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openhelp.integrations.webhooks.models import Delivery
from tests.factories_webhooks import make_endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(organiser, settings):
    settings.WEBHOOK_MANUAL_SENDS_PER_HOUR = 3
    return make_endpoint(url="https://hooks.example.org/in", actor=organiser).endpoint


def test_the_api_answers_429_past_the_ceiling_and_queues_nothing_more(endpoint, organiser_client):
    url = f"/api/v1/webhooks/endpoints/{endpoint.pk}/test/"
    assert [organiser_client.post(url).status_code for _ in range(3)] == [202, 202, 202]
    refused = organiser_client.post(url)
    assert refused.status_code == 429
    assert "this hour" in refused.json()["error"]["message"]
    assert Delivery.objects.filter(endpoint=endpoint).count() == 3
    delivery = Delivery.objects.filter(endpoint=endpoint).first()
    replay = f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries/{delivery.pk}/replay/"
    assert organiser_client.post(replay).status_code == 429  # sending again counts the same


def test_the_page_says_so_and_queues_nothing_more(endpoint, organiser_client):
    url = reverse("webhooks:test", args=[endpoint.pk])
    for _ in range(3):
        organiser_client.post(url)
    response = organiser_client.post(url, follow=True)
    assert "this hour" in response.content.decode()
    assert Delivery.objects.filter(endpoint=endpoint).count() == 3
