"""The organisers' webhook pages: others get 404, CSRF as everywhere, the secret shown once, the log."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from openhelp.integrations.webhooks import services
from openhelp.integrations.webhooks.models import Delivery, DeliveryStatus, Endpoint
from tests.factories_webhooks import deliver_to_webhooks, make_endpoint, record_event
from tests.harness.access import Row, assert_access_matrix
from tests.harness.tasks import run_pending_tasks
from tests.webhooks.receiver import Answer

pytestmark = pytest.mark.django_db

FORM = {
    "url": "https://hooks.example.org/open-to-help",
    "description": "Teams bridge",
    "kinds": ["kudos.given"],
}


@pytest.fixture
def endpoint(organiser, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    return make_endpoint(url="https://hooks.example.org/x", actor=organiser).endpoint


def test_it_enforces_the_access_matrix(endpoint, owner_client, organiser_client, anonymous_client):
    world = SimpleNamespace(
        endpoint=endpoint,
        clients={"anonymous": anonymous_client, "owner": owner_client, "organiser": organiser_client},
    )
    pk = endpoint.pk
    members = {"anonymous": 302, "owner": 404}
    rows = [
        Row("GET", lambda w: reverse("webhooks:list"), {**members, "organiser": 200}),
        Row("GET", lambda w: reverse("webhooks:new"), {**members, "organiser": 200}),
        Row("GET", lambda w: reverse("webhooks:detail", args=[pk]), {**members, "organiser": 200}),
        Row("GET", lambda w: reverse("webhooks:edit", args=[pk]), {**members, "organiser": 200}),
        Row("GET", lambda w: reverse("webhooks:delete", args=[pk]), {**members, "organiser": 200}),
        Row("GET", lambda w: reverse("webhooks:detail", args=[pk + 1000]), {"organiser": 404}),
        Row("POST", lambda w: reverse("webhooks:new"), members, data=FORM),
        Row("POST", lambda w: reverse("webhooks:enable", args=[pk]), members),
        Row("POST", lambda w: reverse("webhooks:test", args=[pk]), members),
        Row("POST", lambda w: reverse("webhooks:rotate", args=[pk]), members),
        Row("POST", lambda w: reverse("webhooks:delete", args=[pk]), members),
    ]
    assert_access_matrix(rows, world)
    assert Endpoint.objects.count() == 1 and not Delivery.objects.exists()


def test_the_empty_list_says_what_webhooks_are_for(organiser_client, settings):
    page = organiser_client.get(reverse("webhooks:list")).content.decode()
    assert "No webhooks yet" in page and "Teams" in page and "Discord" in page
    assert reverse("webhooks:new") in page


def test_the_organise_menu_leads_here_through_integrations(organiser_client, owner_client):
    integrations = reverse("core:integrations")
    assert integrations in organiser_client.get(reverse("insights:dashboard")).content.decode()
    assert reverse("webhooks:list") in organiser_client.get(integrations).content.decode()
    assert integrations not in owner_client.get(reverse("people:directory")).content.decode()
    assert owner_client.get(integrations).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(organiser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    assert client.post(reverse("webhooks:new"), FORM).status_code == 403
    token = client.get(reverse("webhooks:new")).context["csrf_token"]
    assert client.post(reverse("webhooks:new"), {**FORM, "csrfmiddlewaretoken": token}).status_code == 201
    assert Endpoint.objects.count() == 1


def test_the_secret_is_shown_once_then_only_its_last_four(organiser_client):
    created = organiser_client.post(reverse("webhooks:new"), FORM)
    endpoint = Endpoint.objects.get()
    assert created.status_code == 201 and endpoint.secret in created.content.decode()
    assert endpoint.created_by.email == "organiser@example.org"
    assert (endpoint.description, endpoint.kinds, endpoint.all_kinds) == (
        "Teams bridge",
        ["kudos.given"],
        False,
    )

    detail = organiser_client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in detail and f"•••• {endpoint.secret[-4:]}" in detail
    listing = organiser_client.get(reverse("webhooks:list")).content.decode()
    assert endpoint.secret not in listing and "Teams bridge" in listing

    rotated = organiser_client.post(reverse("webhooks:rotate", args=[endpoint.pk])).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret in rotated and endpoint.previous_secret not in rotated


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({**FORM, "kinds": []}, "Choose at least one event"),
        ({**FORM, "url": "http://10.0.0.1/hook"}, "cannot be reached from here"),
        ({**FORM, "url": "http://localhost:8000/hook"}, "cannot be reached from here"),
        ({**FORM, "url": "ftp://example.org/"}, "Enter an http:// or https:// URL"),
        ({**FORM, "kinds": ["no.such"]}, "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(organiser_client, data, field_message, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    response = organiser_client.post(reverse("webhooks:new"), data)
    assert response.status_code == 400 and field_message in response.content.decode()
    assert not Endpoint.objects.exists()


def test_every_event_and_editing(organiser_client, endpoint):
    response = organiser_client.post(
        reverse("webhooks:edit", args=[endpoint.pk]),
        {"url": "https://other.example.org/in", "description": "Discord", "all_kinds": "on"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.all_kinds, endpoint.kinds) == ("https://other.example.org/in", True, [])
    form = organiser_client.get(reverse("webhooks:edit", args=[endpoint.pk])).content.decode()
    assert 'value="https://other.example.org/in"' in form and "<legend>Ask</legend>" in form


def test_the_delivery_log_shows_answers_and_replays(organiser_client, organiser, receiver, committed):
    endpoint = make_endpoint(url=receiver.url, actor=organiser).endpoint
    receiver.script.append(Answer(status=418, body=b"I'm a teapot"))
    record_event()
    with committed():
        deliver_to_webhooks()
    with committed():
        run_pending_tasks()

    page = organiser_client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert "HTTP 418" in page and "I&#x27;m a teapot" in page and "Failed" in page

    delivery = Delivery.objects.get()
    with committed():
        replayed = organiser_client.post(reverse("webhooks:replay", args=[endpoint.pk, delivery.pk]))
    assert replayed.status_code == 302
    with committed():
        run_pending_tasks()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and len(receiver.received) == 2
    # a delivery of another endpoint is not found through this one
    other = make_endpoint(url=receiver.url, actor=organiser).endpoint
    assert organiser_client.post(reverse("webhooks:replay", args=[other.pk, delivery.pk])).status_code == 404


def test_a_disabled_endpoint_shows_why_and_is_enabled_again(organiser_client, endpoint):
    Endpoint.objects.filter(pk=endpoint.pk).update(
        is_enabled=False, disabled_reason="10 deliveries in a row failed."
    )
    page = organiser_client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert "10 deliveries in a row failed." in page and "Enable again" in page
    assert organiser_client.post(reverse("webhooks:test", args=[endpoint.pk])).status_code == 302
    assert not Delivery.objects.exists()  # no test while disabled

    assert organiser_client.post(reverse("webhooks:enable", args=[endpoint.pk])).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_enabled and endpoint.disabled_reason == ""
    organiser_client.post(reverse("webhooks:test", args=[endpoint.pk]))
    assert Delivery.objects.get().kind == "webhook.test"


def test_delete(organiser_client, endpoint):
    services.send_test(endpoint=endpoint)
    response = organiser_client.post(reverse("webhooks:delete", args=[endpoint.pk]))
    assert response.status_code == 302 and not Endpoint.objects.exists() and not Delivery.objects.exists()
