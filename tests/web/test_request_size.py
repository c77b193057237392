"""A request body larger than anything the site takes is refused before anyone reads it (413): Django keeps
uploaded files out of DATA_UPLOAD_MAX_MEMORY_SIZE and streams them to a temporary file, and a middleware
that reads web forms (RefuseUnstorableTextMiddleware) did so for any POST, anonymous and without a CSRF
token, so one request could write gigabytes to the server's disk."""

from __future__ import annotations

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client

pytestmark = pytest.mark.django_db
RECEIVED: list[int] = []


class RecordingUploadHandler(FileUploadHandler):
    """Counts the bytes of uploaded files that reached Django's upload handlers."""

    def receive_data_chunk(self, raw_data, start):
        RECEIVED.append(len(raw_data))
        return None

    def file_complete(self, file_size):
        return None


@pytest.fixture
def small_ceiling(settings):
    settings.REQUEST_BODY_MAX_BYTES = 64 * 1024
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler"]
    RECEIVED.clear()
    return settings.REQUEST_BODY_MAX_BYTES


def test_an_anonymous_upload_larger_than_the_ceiling_is_refused_unread(small_ceiling):
    client = Client()
    response = client.post("/accounts/login/", {"file": _file(small_ceiling + 1)})
    assert response.status_code == 413
    assert RECEIVED == []  # not a byte of the file reached an upload handler (a temporary file on disk)
    assert "too large" in response.content.decode()


def test_the_api_and_scim_say_it_in_their_own_error_shapes(small_ceiling):
    body = "{" + " " * (small_ceiling + 1) + "}"
    api = Client().post("/api/v1/asks/", body, content_type="application/json")
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"
    scim = Client().post("/scim/v2/Users", body, content_type="application/scim+json")
    assert scim.status_code == 413 and scim.json()["status"] == "413"


def test_a_body_within_the_ceiling_goes_on_as_before(small_ceiling):
    response = Client().post("/accounts/login/", {"file": _file(small_ceiling // 2)})
    assert response.status_code == 200
    assert sum(RECEIVED) == small_ceiling // 2


def test_the_default_ceiling_leaves_room_for_the_largest_people_import(settings):
    from openhelp.organisers.imports.api import _ImportView

    assert settings.REQUEST_BODY_MAX_BYTES > _ImportView.max_body_bytes


def _file(size: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("big.csv", b"a" * size, content_type="text/csv")
