"""A people import can also add everyone in the file to a programme the organiser runs — all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openhelp.directory.programmes.models import Membership, MembershipRole
from openhelp.organisers.imports.models import ImportBatch
from openhelp.platform.accounts.models import User
from tests.factories_programmes import MembershipFactory, ProgrammeFactory
from tests.imports.conftest import csv_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(organiser):
    return MembershipFactory(user=organiser, role=MembershipRole.ORGANISER).programme


def _stage(client, text: str, programme) -> str:
    url = reverse("imports:upload") + f"?programme={programme.slug}"
    response = client.post(url, {"file": SimpleUploadedFile("people.csv", text.encode())})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_everyone_in_the_file_joins_the_programme(organiser_client, programme, taxonomy, two_people):
    preview = organiser_client.get(_stage(organiser_client, two_people, programme))
    assert preview.context["form"].initial["programme"] == programme
    batch = ImportBatch.objects.get()
    applied = organiser_client.post(reverse("imports:apply", args=[batch.token]), {"programme": programme.pk})
    assert applied.status_code == 302
    assert applied["Location"] == reverse("programmes:members", args=[programme.slug])
    members = set(Membership.objects.filter(programme=programme).values_list("user__email", flat=True))
    assert {"ada@example.org", "grace@example.org"} <= members


def test_a_file_with_an_error_adds_nobody(organiser_client, programme, taxonomy):
    bad = csv_text("ada@example.org,Ada,Data,,Europe/London,en,Cobol:4,")  # Cobol is not in the taxonomy
    _stage(organiser_client, bad, programme)
    batch = ImportBatch.objects.get()
    refused = organiser_client.post(reverse("imports:apply", args=[batch.token]), {"programme": programme.pk})
    assert refused.status_code == 400
    assert not User.objects.filter(email="ada@example.org").exists()
    assert Membership.objects.filter(programme=programme).count() == 1  # only the organiser


def test_a_programme_i_do_not_organise_is_refused(organiser_client, organiser, taxonomy, two_people):
    someone_elses = ProgrammeFactory()
    MembershipFactory(programme=someone_elses, user=organiser, role=MembershipRole.MEMBER)
    _stage(organiser_client, two_people, someone_elses)
    batch = ImportBatch.objects.get()
    refused = organiser_client.post(
        reverse("imports:apply", args=[batch.token]), {"programme": someone_elses.pk}
    )
    assert refused.status_code == 400
    assert "programme" in refused.context["form"].errors
    assert not User.objects.filter(email="ada@example.org").exists()
