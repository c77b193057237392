"""A request that fails on the server: 503 with Retry-After while the database is unreachable (a restart,
a failover), otherwise 500; pages get a standalone page, the API its one error shape."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = "tests.web.failing_urls"
    return Client(raise_request_exception=False)


def test_a_page_says_back_in_a_moment_while_the_database_is_down(client):
    response = client.get("/people/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Back in a moment" in response.content.decode()
    assert "Nothing you already saved is lost" in response.content.decode()


def test_the_api_answers_503_in_its_error_shape(client):
    response = client.get("/api/v1/people/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"


def test_any_other_failure_stays_a_500_without_retry_after(client):
    page = client.get("/asks/")
    assert page.status_code == 500 and not page.has_header("Retry-After")
    assert "Something went wrong" in page.content.decode()
    api = client.get("/api/v1/asks/")
    assert api.status_code == 500 and api.json()["error"]["code"] == "server_error"
