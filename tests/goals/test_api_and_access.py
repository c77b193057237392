"""The goals API, and the access matrix: a goal is its owner's alone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from openhelp.community.goals.models import LearningGoal
from tests.factories_goals import LearningGoalFactory
from tests.factories_mentoring import person
from tests.harness.access import Row, assert_access_matrix
from tests.harness.openapi import openapi_schema

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_it_sets_reads_changes_and_deletes_a_goal(learner, mentor, skills):
    client = api_for(learner)
    created = client.post(
        "/api/v1/goals/",
        {"title": "Pivot", "skills": ["SQL", skills["django"].pk], "target_date": "2025-06-23"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    rows = {row["skill"]["name"]: row for row in body["progress"]}
    assert (
        rows["SQL"]["covered"] is False and rows["SQL"]["mentors"][0]["person"]["display_name"] == "Mo Mentor"
    )
    goal_id = body["id"]
    listed = client.get("/api/v1/goals/").json()["results"]
    assert [g["id"] for g in listed] == [goal_id] and "mentors" not in listed[0]["progress"][0]
    changed = client.put(
        f"/api/v1/goals/{goal_id}/",
        {"title": "Pivot!", "skills": ["SQL"], "target_date": "2025-06-30", "achieved": True},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["achieved_at"] is not None
    assert client.delete(f"/api/v1/goals/{goal_id}/").status_code == 204
    assert not LearningGoal.objects.exists()


def test_it_answers_bad_goals_with_field_errors(learner, skills):
    response = api_for(learner).post(
        "/api/v1/goals/", {"title": "", "skills": ["Klingon"], "target_date": "not a date"}, format="json"
    )
    assert response.status_code == 400
    assert {"skills", "target_date"} <= set(response.json()["error"]["fields"])
    response = api_for(learner).post(
        "/api/v1/goals/", {"title": "", "skills": [], "target_date": "2025-06-23"}, format="json"
    )
    assert response.status_code == 400 and {"title", "skills"} <= set(response.json()["error"]["fields"])


def test_the_schema_documents_the_goal_endpoints():
    paths = openapi_schema()["paths"]
    assert "/api/v1/goals/" in paths and "/api/v1/goals/{id}/" in paths


class World:
    def __init__(self, *, learner, outsider, organiser, skills):
        self.goal = LearningGoalFactory(owner=learner, skills=[skills["sql"]])
        self.clients = {"anonymous": Client()}
        for role, user in (("learner", learner), ("outsider", outsider), ("organiser", organiser)):
            client = Client()
            client.force_login(user)
            self.clients[role] = client


@pytest.fixture
def world(learner, organiser, skills):
    return World(learner=learner, outsider=person("Otto Outsider"), organiser=organiser, skills=skills)


OWN = {"anonymous": 302, "learner": 200, "outsider": 404, "organiser": 404}
ACCESS = [
    Row(
        "GET",
        lambda w: reverse("goals:list"),
        {"anonymous": 302, "learner": 200, "outsider": 200, "organiser": 200},
    ),
    Row("GET", lambda w: reverse("goals:new"), {"anonymous": 302, "learner": 200, "outsider": 200}),
    Row("GET", lambda w: reverse("goals:detail", args=[w.goal.pk]), OWN),
    Row("GET", lambda w: reverse("goals:edit", args=[w.goal.pk]), OWN),
    Row(
        "POST",
        lambda w: reverse("goals:achieved", args=[w.goal.pk]),
        {**OWN, "learner": 302},
        data={"achieved": "1"},
    ),
    Row("GET", lambda w: "/api/v1/goals/", {"anonymous": 401, "learner": 200, "outsider": 200}),
    Row(
        "GET",
        lambda w: f"/api/v1/goals/{w.goal.pk}/",
        {"anonymous": 401, "learner": 200, "outsider": 404, "organiser": 404},
    ),
    Row(
        "DELETE",
        lambda w: f"/api/v1/goals/{w.goal.pk}/",
        {"anonymous": 401, "outsider": 404, "organiser": 404},
    ),
    Row("POST", lambda w: reverse("goals:delete", args=[w.goal.pk]), {**OWN, "learner": 302}),
]


def test_it_enforces_the_access_matrix(world):
    assert_access_matrix(ACCESS, world)
