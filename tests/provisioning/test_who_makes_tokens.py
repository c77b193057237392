"""Only a site administrator makes SCIM tokens, and a token works only while its maker still is one. A
SCIM token changes any account's e-mail address; a password reset to the new address then takes the
account over. An organiser could make one and so become anyone, a superuser included (found in the
security review; docs/security.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from openhelp.organisers.provisioning.models import ScimToken
from tests.factories import PASSWORD
from tests.factories_accounts import verified_user
from tests.factories_provisioning import ScimClient, make_scim_token
from tests.harness.tasks import run_pending_tasks

pytestmark = pytest.mark.django_db
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _new_address(scim: ScimClient, user, email: str):
    body = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "userName", "value": email}]}
    return scim.patch(f"Users/{user.pk}", body)


def test_an_organiser_cannot_make_a_scim_token(organiser_client):
    page = organiser_client.post("/provisioning/", {"name": "Mine", "password": PASSWORD})
    api = organiser_client.post(
        "/api/v1/provisioning/tokens/",
        {"name": "Mine", "password": PASSWORD},
        content_type="application/json",
    )
    assert (page.status_code, api.status_code) == (404, 404)
    assert not ScimToken.objects.exists()


def test_a_token_an_organiser_made_before_does_not_work(organiser):
    root = verified_user("root@example.org")
    _, secret = make_scim_token("Mine", created_by=organiser)
    scim = ScimClient(secret)
    assert scim.get("Users").status_code == 401
    assert _new_address(scim, root, "attacker@evil.test").status_code == 401
    root.refresh_from_db()
    assert root.email == "root@example.org"


@pytest.mark.parametrize("change", [{"is_superuser": False}, {"is_active": False}])
def test_a_token_stops_working_when_its_maker_is_no_longer_a_site_admin(site_admin, change):
    _, secret = make_scim_token(created_by=site_admin)
    assert ScimClient(secret).get("Users").status_code == 200
    type(site_admin).objects.filter(pk=site_admin.pk).update(**change)
    assert ScimClient(secret).get("Users").status_code == 401


def test_what_a_token_can_do_is_why_only_a_site_admin_makes_one(site_admin, mailoutbox, committed):
    """The power itself, unchanged: a new address by SCIM, then a password reset sent there."""
    person = verified_user("person@example.org")
    _, secret = make_scim_token(created_by=site_admin)
    assert _new_address(ScimClient(secret), person, "elsewhere@example.net").status_code == 200
    with committed():
        Client().post("/accounts/password/reset/", {"email": "elsewhere@example.net"})
    run_pending_tasks()
    [reset] = [message for message in mailoutbox if message.to == ["elsewhere@example.net"]]
    assert reset.subject == "Reset your Open to Help password"
    person.refresh_from_db()
    assert person.email == "elsewhere@example.net"
