"""The REST endpoints and the management commands share the one import."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.people.models import Profile
from openhelp.platform.accounts.models import User
from tests.imports.conftest import csv_text

pytestmark = pytest.mark.django_db

PREVIEW = reverse("v1:people-import-preview")
APPLY = reverse("v1:people-import-apply")
EXPORT = reverse("v1:people-export")


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_members_get_404_from_every_endpoint(owner, two_people):
    client = api_client(owner)
    assert client.post(PREVIEW, {"csv": two_people}, format="json").status_code == 404
    assert client.post(APPLY, {"csv": two_people}, format="json").status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert not User.objects.filter(email="ada@example.org").exists()


def test_preview_then_apply(organiser, taxonomy, two_people):
    client = api_client(organiser)
    preview = client.post(PREVIEW, {"csv": two_people}, format="json")
    assert preview.status_code == 200
    body = preview.json()
    assert (body["is_valid"], body["created"], body["new_teams"]) == (True, 2, ["Platform"])
    assert body["rows"][0]["line"] == 2 and body["rows"][0]["action"] == "create"
    assert not User.objects.filter(email="ada@example.org").exists()

    applied = client.post(APPLY, {"csv": two_people}, format="json")
    assert applied.status_code == 200
    assert applied.json()["users"] == ["ada@example.org", "grace@example.org"]
    again = client.post(APPLY, {"file": SimpleUploadedFile("p.csv", two_people.encode())}, format="multipart")
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)


def test_apply_with_errors_is_a_400_listing_rows(organiser, taxonomy):
    response = api_client(organiser).post(APPLY, {"csv": csv_text("bad,Bad,,,UTC,,,")}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "import_rejected"
    assert error["rows"] == [
        {"line": 2, "column": "email", "message": "“bad” is not a valid e-mail address."}
    ]


def test_it_needs_exactly_one_of_csv_or_file(organiser):
    response = api_client(organiser).post(PREVIEW, {}, format="json")
    assert response.status_code == 400
    assert "csv" in response.json()["error"]["fields"]


def test_export_endpoint_returns_csv(organiser):
    response = api_client(organiser).get(EXPORT, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response.content.decode().startswith("email,name,team,")


def test_the_schema_documents_the_import(organiser):
    schema = api_client(organiser).get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    assert "/api/v1/people/import/preview/" in paths
    assert "/api/v1/people/import/apply/" in paths
    assert "text/csv" in paths["/api/v1/people/export/"]["get"]["responses"]["200"]["content"]


def test_command_dry_run_changes_nothing(tmp_path, taxonomy, two_people):
    path = tmp_path / "people.csv"
    path.write_text(two_people, encoding="utf-8")
    out = io.StringIO()
    call_command("import_people", str(path), "--dry-run", stdout=out)
    assert "line 2: create ada@example.org" in out.getvalue()
    assert "Dry run, nothing changed: 2 created, 0 updated, 0 unchanged." in out.getvalue()
    assert not User.objects.filter(email="ada@example.org").exists()

    call_command("import_people", str(path), stdout=out)
    assert Profile.objects.filter(user__email="grace@example.org").exists()


def test_command_prints_errors_and_fails(tmp_path, taxonomy):
    path = tmp_path / "people.csv"
    path.write_text(csv_text("ada@example.org,Ada,,,UTC,,Cobol:3,"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_people", str(path), stderr=err)
    assert "line 2, skills_offered: “Cobol” is not a skill" in err.getvalue()
    assert not User.objects.filter(email="ada@example.org").exists()


def test_commands_exit_non_zero_and_round_trip(tmp_path, taxonomy, two_people):
    import subprocess
    import sys

    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    # The file is rejected before any query, so the real manage.py can run it without a test database.
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_people", str(bad)], capture_output=True, text=True, check=False
    )
    assert finished.returncode == 1
    assert "file: The file is empty." in finished.stderr
    assert "1 error(s); nothing was changed." in finished.stderr

    source = tmp_path / "people.csv"
    source.write_text(two_people, encoding="utf-8")
    call_command("import_people", str(source), stdout=io.StringIO())
    exported = tmp_path / "export.csv"
    call_command("export_people", "--output", str(exported), stderr=io.StringIO())
    out = io.StringIO()
    call_command("import_people", str(exported), "--dry-run", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_a_json_body_over_the_request_limit_is_a_clear_400(organiser, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = "email,name\n" + "".join(f"p{i}@example.org,P {i}\n" for i in range(100))
    response = api_client(organiser).post(PREVIEW, {"csv": big}, format="json")
    assert response.status_code == 400
    # A file upload is not limited by DATA_UPLOAD_MAX_MEMORY_SIZE (only by the 5 MB cap).
    upload = SimpleUploadedFile("p.csv", big.encode())
    assert api_client(organiser).post(PREVIEW, {"file": upload}, format="multipart").status_code == 200


@pytest.mark.parametrize("value, status", [("true", 200), ("false", 200), ("yes", 400), ("1", 400)])
def test_a_multipart_upload_reads_send_invitations_as_the_text_true_or_false(
    organiser, taxonomy, two_people, value, status
):
    """A form has no booleans, only text: there "true" and "false" are read (JSON takes only true/false)."""
    upload = SimpleUploadedFile("p.csv", two_people.encode())
    body = {"file": upload, "send_invitations": value}

    response = api_client(organiser).post(PREVIEW, body, format="multipart")

    assert response.status_code == status, response.content
    if status == 400:
        assert list(response.json()["error"]["fields"]) == ["send_invitations"]
