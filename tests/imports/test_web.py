"""The organisers' web pages: upload → preview → apply with CSRF, errors shown, others get 404."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from openhelp.directory.people.models import Profile
from openhelp.organisers.imports.models import ImportBatch
from openhelp.organisers.imports.services import stage_import
from openhelp.platform.accounts.models import User
from tests.harness.access import Row, assert_access_matrix
from tests.imports.conftest import csv_text

pytestmark = pytest.mark.django_db


def upload(client: Client, text: str | bytes, name: str = "people.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data, "text/csv")})


@pytest.fixture
def csrf_client(organiser) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    return client


def csrf_token(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["csrf_token"]


def test_it_enforces_the_access_matrix(owner_client, organiser_client, anonymous_client, organiser, owner):
    batch = stage_import(owner=organiser, text="email,name\na@example.org,A\n")
    world = SimpleNamespace(
        batch=batch,
        clients={"anonymous": anonymous_client, "owner": owner_client, "organiser": organiser_client},
    )
    assert_access_matrix(
        [
            Row(
                "GET", lambda w: reverse("imports:upload"), {"anonymous": 302, "owner": 404, "organiser": 200}
            ),
            Row(
                "GET", lambda w: reverse("imports:export"), {"anonymous": 302, "owner": 404, "organiser": 200}
            ),
            Row(
                "GET",
                lambda w: reverse("imports:preview", args=[w.batch.token]),
                {"anonymous": 302, "owner": 404, "organiser": 200},
            ),
            Row(
                "POST",
                lambda w: reverse("imports:apply", args=[w.batch.token]),
                {"anonymous": 302, "owner": 404},
                data={},
            ),
        ],
        world,
    )
    assert not User.objects.filter(email="a@example.org").exists()


def test_upload_preview_apply_with_csrf(csrf_client, taxonomy, two_people):
    token = csrf_token(csrf_client, reverse("imports:upload"))
    refused = csrf_client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("people.csv", two_people.encode())}
    )
    assert refused.status_code == 403

    response = csrf_client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("people.csv", two_people.encode()), "csrfmiddlewaretoken": token},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[batch.token])

    page = csrf_client.get(response["Location"])
    html = page.content.decode()
    assert "<strong>2</strong> to create" in html
    assert "Platform" in html and "ada@example.org" in html
    assert not User.objects.filter(email="ada@example.org").exists()

    applied = csrf_client.post(
        reverse("imports:apply", args=[batch.token]), {"csrfmiddlewaretoken": page.context["csrf_token"]}
    )
    assert applied.status_code == 302
    assert Profile.objects.filter(user__email__in=["ada@example.org", "grace@example.org"]).count() == 2
    assert not ImportBatch.objects.exists()
    follow = csrf_client.get(applied["Location"])
    assert "2 created, 0 updated, 0 unchanged" in follow.content.decode()


def test_the_preview_lists_errors_and_offers_no_apply(organiser_client, taxonomy):
    response = upload(organiser_client, csv_text("ada@example.org,Ada,Data,,Mars/Base,,,"))
    page = organiser_client.get(response["Location"])
    html = page.content.decode()
    assert "1 error — nothing will change" in html
    assert "<td>2</td><td>timezone</td>" in html
    assert "Mars/Base" in html
    assert reverse("imports:apply", args=[ImportBatch.objects.get().token]) not in html


def test_apply_revalidates_and_changes_nothing_when_the_file_no_longer_fits(
    organiser_client, organiser, taxonomy
):
    batch = stage_import(owner=organiser, text=csv_text("ada@example.org,Ada,,,UTC,,Rust:3,"))
    taxonomy["rust"].delete()  # the taxonomy changed between preview and apply

    response = organiser_client.post(reverse("imports:apply", args=[batch.token]))

    assert response.status_code == 400
    assert "“Rust” is not a skill" in response.content.decode()
    assert not User.objects.filter(email="ada@example.org").exists()


def test_an_unreadable_upload_is_an_error_next_to_the_field(organiser_client):
    response = upload(organiser_client, "name\nZoë\n".encode("latin-1"))
    assert response.status_code == 200
    assert "is not valid UTF-8" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_file_field_sits_in_the_design_systems_field_box(organiser_client):
    # Rendered with as_div it had no .field box: "Choose File" sat against the Preview button.
    page = " ".join(organiser_client.get(reverse("imports:upload")).content.decode().split())

    form = page.split('enctype="multipart/form-data"')[1].split("</form>")[0]
    assert '<div class="field"><label for="id_file">' in form
    assert 'type="file"' in form.split('<div class="field">')[1]


def test_another_organisers_or_an_expired_upload_answers_404(organiser_client, organiser):
    other = User.objects.create_user("other-organiser@example.org", is_organiser=True)
    theirs = stage_import(owner=other, text="email,name\na@example.org,A\n")
    assert organiser_client.get(reverse("imports:preview", args=[theirs.token])).status_code == 404
    assert organiser_client.post(reverse("imports:apply", args=[theirs.token])).status_code == 404

    mine = stage_import(owner=organiser, text="email,name\na@example.org,A\n")
    with time_machine.travel(mine.created_at + dt.timedelta(hours=2)):
        assert organiser_client.get(reverse("imports:preview", args=[mine.token])).status_code == 404
    assert not User.objects.filter(email="a@example.org").exists()


def test_export_downloads_the_csv(organiser_client, organiser):
    response = organiser_client.get(reverse("imports:export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "organiser@example.org,Orla Organiser" in response.content.decode()
