"""A member's address takes their user id; one past what a database integer holds names nobody: a 404,
as any other unknown id (SQLite's driver raised an OverflowError, a 500; found by schemathesis)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
BEYOND_64_BITS = 2**70


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_member_id_past_64_bits_is_a_404(programme, organiser, method):
    api = APIClient()
    api.force_authenticate(organiser)

    response = getattr(api, method)(
        f"/api/v1/programmes/{programme.pk}/members/{BEYOND_64_BITS}/", {"role": "organiser"}, format="json"
    )

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
