"""Who may open what: every skills page and endpoint from all four sides."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories_skills import ProposedSkillFactory
from tests.harness.access import Row, assert_access_matrix

ALL_IN = {"anonymous": 302, "owner": 200, "outsider": 200, "organiser": 200}
ORGANISER_PAGE = {"anonymous": 302, "owner": 404, "outsider": 404, "organiser": 200}
ORGANISER_ACTION = {"anonymous": 302, "owner": 404, "outsider": 404, "organiser": 302}
API_ALL_IN = {"anonymous": 401, "owner": 200, "outsider": 200, "organiser": 200}
API_ORGANISER = {"anonymous": 401, "owner": 404, "outsider": 404, "organiser": 200}


def detail(slug_attr):
    return lambda w: reverse("skills:detail", args=[getattr(w, slug_attr).slug])


def web(name, attr):
    return lambda w: reverse(f"skills:{name}", args=[getattr(w, attr).slug])


def api(name, attr=None):
    return lambda w: reverse(f"v1:skill-{name}", args=[getattr(w, attr).slug] if attr else [])


ACCESS = [
    Row("GET", lambda w: reverse("skills:list"), ALL_IN),
    Row("GET", lambda w: reverse("skills:autocomplete") + "?q=py", ALL_IN),
    Row("GET", detail("public"), ALL_IN),
    Row("GET", detail("own_proposal"), {"anonymous": 302, "owner": 200, "outsider": 404, "organiser": 200}),
    Row("GET", lambda w: reverse("skills:detail", args=["no-such-skill"]), {"owner": 404, "organiser": 404}),
    Row("GET", lambda w: reverse("skills:propose"), ALL_IN),
    Row("POST", lambda w: reverse("skills:propose"), ALL_IN, data={"name": ""}),
    Row("GET", lambda w: reverse("skills:moderation"), ORGANISER_PAGE),
    Row("POST", web("approve", "to_approve"), ORGANISER_ACTION),
    Row("POST", web("reject", "to_reject"), ORGANISER_ACTION),
    Row("GET", web("rename", "public"), ORGANISER_PAGE),
    Row("POST", web("rename", "public"), ORGANISER_PAGE, data={"name": ""}),
    Row("GET", web("merge", "to_merge"), ORGANISER_PAGE),
    Row("POST", web("merge", "to_merge"), ORGANISER_ACTION, data={"into": "Python"}),
    Row("GET", web("approve", "to_approve_2"), {"organiser": 405}),
    # API: anonymous gets 401, organiser-only endpoints answer 404 to everyone else.
    Row("GET", api("list"), API_ALL_IN),
    Row("GET", lambda w: reverse("v1:skill-autocomplete") + "?q=py", API_ALL_IN),
    Row("GET", api("detail", "public"), API_ALL_IN),
    Row(
        "GET",
        api("detail", "own_proposal"),
        {"anonymous": 401, "owner": 200, "outsider": 404, "organiser": 200},
    ),
    Row(
        "POST",
        api("propose"),
        {"anonymous": 401, "owner": 400, "outsider": 400, "organiser": 400},
        data={"name": ""},
        json=True,
    ),
    Row("POST", api("approve", "api_to_approve"), API_ORGANISER),
    Row("POST", api("merge", "api_to_merge"), API_ORGANISER, data={"into": "python"}, json=True),
]


@pytest.fixture
def world(
    taxonomy, owner, outsider, organiser, anonymous_client, owner_client, outsider_client, organiser_client
):
    return SimpleNamespace(
        public=taxonomy.python,
        own_proposal=ProposedSkillFactory(name="Terraform", proposed_by=owner),
        to_approve=ProposedSkillFactory(name="Pulumi", proposed_by=owner),
        to_approve_2=ProposedSkillFactory(name="Ansible", proposed_by=owner),
        to_reject=ProposedSkillFactory(name="Asdf", proposed_by=owner),
        to_merge=ProposedSkillFactory(name="Pythn", proposed_by=owner),
        api_to_approve=ProposedSkillFactory(name="Chef", proposed_by=owner),
        api_to_merge=ProposedSkillFactory(name="Py", proposed_by=owner),
        clients={
            "anonymous": anonymous_client,
            "owner": owner_client,
            "outsider": outsider_client,
            "organiser": organiser_client,
        },
    )


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)
