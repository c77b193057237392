"""The learned ranker in the product: fitting from offers, the guard's verdict, the revert switch,
the organisers' page and API, and routing using the model only when it may."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.directory.matching.learning.features import FEATURE_NAMES, SkillGraph
from openhelp.directory.matching.learning.fitting import Group, fit_guarded
from openhelp.help.asks.models import AskState
from openhelp.help.routing import learned, services
from openhelp.help.routing.candidates import rank_candidates
from openhelp.help.routing.models import Offer, OfferState
from openhelp.platform.core.periodic import registered_jobs
from tests.factories import make_access_token
from tests.factories_routing import make_mentor, open_ask
from tests.harness.access import Row, assert_access_matrix
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    _token, key = make_access_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _fitted(*, used: bool = True):
    """A real fit on synthetic groups (the fitting itself is tested in tests/matching)."""
    column = FEATURE_NAMES.index("default_score")
    rng = np.random.default_rng(3)
    slices = []
    for _ in range(5):
        groups = []
        for _ in range(40):
            features = rng.random((10, len(FEATURE_NAMES)))
            labels = np.zeros(10)
            labels[int(np.argmax(features[:, column]))] = 2.0
            groups.append(Group(features, labels))
        slices.append(groups)
    result = fit_guarded(slices)
    result.used = used
    return result


@pytest.fixture
def stored(db):
    return learned.store(None, _fitted(), SkillGraph())


def test_the_fitting_job_is_registered_daily():
    names = {job.name: job for job in registered_jobs()}
    assert "routing.fit_rankers" in names
    assert names["routing.fit_rankers"].every.total_seconds() == 24 * 3600


def test_with_too_little_history_the_defaults_stay(skills):
    ranker = learned.fit_scope(None)
    assert ranker.scope == "organisation"
    assert not ranker.passed_guard and not ranker.in_use
    assert "too little history" in ranker.guard_reason
    assert learned.ranker_for(None) is None


def test_a_past_ask_becomes_a_labelled_group_without_its_own_outcome(skills):
    first = make_mentor(skills["django"], name="First")
    second = make_mentor(skills["django"], name="Second")
    ask = open_ask(skills=[skills["django"]], title="Tune my queryset")
    services.route_ask(ask=ask)
    Offer.objects.filter(ask=ask, mentor=first).update(state=OfferState.ACCEPTED)
    Offer.objects.filter(ask=ask, mentor=second).update(state=OfferState.DECLINED)
    type(ask).objects.filter(pk=ask.pk).update(
        state=AskState.COMPLETED, helper=first, accepted_at=ask.created_at
    )
    ask.refresh_from_db()

    group = learned.history_group(ask, weights=learned.policy.weights(), graph=SkillGraph())

    assert group is not None
    assert sorted(group.labels.tolist()) == [0.0, 2.0]
    # The help given on this very ask is not part of the helper's features.
    assert group.features[:, FEATURE_NAMES.index("no_history")].tolist() == [1.0, 1.0]


def test_the_guard_decides_and_organisers_can_go_back_to_the_defaults(stored):
    assert stored.in_use
    assert learned.ranker_for(None) is not None
    learned.set_use_defaults(stored, use_defaults=True)
    assert learned.ranker_for(None) is None
    learned.set_use_defaults(stored, use_defaults=False)
    assert learned.ranker_for(None) is not None
    # A refit that fails the guard is stored but not used; the organisers' choice survives refits.
    learned.set_use_defaults(stored, use_defaults=True)
    refit = learned.store(None, _fitted(used=False), SkillGraph())
    assert refit.pk == stored.pk and refit.use_defaults and not refit.passed_guard
    assert learned.ranker_for(None) is None


def test_routing_ranks_with_the_learned_model_and_keeps_reasons(skills, stored):
    for n in range(3):
        make_mentor(skills["django"], name=f"Mentor {n}")
    ask = open_ask(skills=[skills["django"]], title="Help with Django forms")
    ranked = rank_candidates(ask, limit=3)
    assert len(ranked) == 3
    assert all(match.reasons for match in ranked)
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


def test_the_page_shows_quality_and_switches(organiser_client, stored):
    page = organiser_client.get(reverse("routing:ranker"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Whole organisation" in body and "Learned ranker in use" in body
    assert "Go back to the defaults" in body
    response = organiser_client.post(reverse("routing:ranker-switch", args=[stored.pk]), {"use": "defaults"})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.use_defaults
    assert "Use learned" in organiser_client.get(reverse("routing:ranker")).content.decode()
    organiser_client.post(reverse("routing:ranker-switch", args=[stored.pk]), {"use": "learned"})
    stored.refresh_from_db()
    assert not stored.use_defaults


def test_the_page_without_a_model_says_so(organiser_client):
    assert "Nothing has been learned yet" in organiser_client.get(reverse("routing:ranker")).content.decode()


def test_the_api_lists_and_switches(organiser, stored):
    api = _api(organiser)
    [item] = api.get("/api/v1/matching/rankers/").json()
    assert item["scope"] == "organisation" and item["in_use"] is True
    assert item["acceptance"] is None and item["mrr_learned"] == stored.mrr_learned
    response = api.patch(f"/api/v1/matching/rankers/{stored.pk}/", {"use_defaults": True}, format="json")
    assert response.status_code == 200 and response.json()["in_use"] is False
    bad = api.patch(f"/api/v1/matching/rankers/{stored.pk}/", {"use_defaults": "maybe"}, format="json")
    assert bad.status_code == 400 and "use_defaults" in bad.content.decode()
    assert api.patch(f"/api/v1/matching/rankers/{stored.pk}/", {}, format="json").status_code == 400


def test_the_access_matrix(owner, organiser, stored):
    world = SimpleNamespace(
        ranker=stored,
        clients={
            "anonymous": Client(),
            "owner": _api(owner),
            "organiser": _api(organiser),
        },
    )
    rows = [
        Row("GET", lambda w: "/api/v1/matching/rankers/", {"anonymous": 401, "owner": 404, "organiser": 200}),
        Row(
            "GET",
            lambda w: f"/api/v1/matching/rankers/{w.ranker.pk}/",
            {"anonymous": 401, "owner": 404, "organiser": 200},
        ),
        Row(
            "PATCH",
            lambda w: f"/api/v1/matching/rankers/{w.ranker.pk}/",
            {"anonymous": 401, "owner": 404, "organiser": 200},
            data={"use_defaults": False},
            json=True,
        ),
        Row("GET", lambda w: "/api/v1/matching/rankers/999999/", {"organiser": 404}),
    ]
    assert_access_matrix(rows, world)


def test_the_page_is_for_organisers_only(owner_client, outsider_client, anonymous_client, stored):
    url = reverse("routing:ranker")
    assert anonymous_client.get(url).status_code == 302
    assert owner_client.get(url).status_code == 404
    assert outsider_client.get(url).status_code == 404
    switch = reverse("routing:ranker-switch", args=[stored.pk])
    assert owner_client.post(switch, {"use": "defaults"}).status_code == 404
    stored.refresh_from_db()
    assert not stored.use_defaults


def test_the_schema_documents_the_matching_endpoints():
    schema = openapi_schema()  # validated against the OpenAPI specification
    assert "get" in schema["paths"]["/api/v1/matching/rankers/"]
    assert "patch" in schema["paths"]["/api/v1/matching/rankers/{id}/"]


def test_a_ranker_that_failed_its_check_offers_nothing_to_switch(organiser_client, stored):
    stored.passed_guard = False
    stored.save(update_fields=["passed_guard"])
    body = organiser_client.get(reverse("routing:ranker")).content.decode()
    assert "Nothing to switch" in body
    assert "Go back to the defaults" not in body and "Use learned" not in body
